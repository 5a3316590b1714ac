"""The watcher: notice files (file events + periodic rescan), wait until they are complete, ingest in batches."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flows.batch import BatchRunner
from lagebild.inbox import StabilityTracker, scan
from lagebild.locking import watcher_presence
from lagebild.malloc import release_free_memory
from lagebild.settings import Settings

log = logging.getLogger("lagebild.watch")
FAILURE_BACKOFF = (2.0, 5.0, 15.0, 60.0)
QUIET_EVENTS = ("opened", "closed_no_write")


def watch_events(inbox: Path, changed: threading.Event, tracker: StabilityTracker) -> Any:
    """Start watchdog's observer on the inbox: any change sets `changed`; a file closed after writing or
    renamed into the inbox is reported to `tracker` as complete. Returns the observer (None when file
    events are unavailable: the periodic rescan and the settle time still find every file)."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in QUIET_EVENTS:  # a file opened or read (the watcher's own reads)
                return
            if not event.is_directory:
                if event.event_type == "closed":
                    tracker.closed(Path(os.fsdecode(event.src_path)))
                elif event.event_type == "moved" and event.dest_path:
                    tracker.closed(Path(os.fsdecode(event.dest_path)))
            changed.set()

    try:
        try:
            from watchdog.observers.inotify import InotifyObserver

            observer: Any = InotifyObserver(generate_full_events=True)  # a rename from outside is a move
        except (ImportError, OSError):  # not Linux: no close events, the settle time decides
            observer = Observer()
        observer.schedule(Handler(), str(inbox), recursive=True)
        observer.daemon = True
        observer.start()
        return observer
    except Exception as exc:  # noqa: BLE001 - the periodic rescan still works
        log.warning("file events unavailable (%s); relying on the periodic rescan", exc)
        return None


def run_watch(
    settings: Settings,
    ingest: BatchRunner,
    stop: threading.Event | None = None,
    on_idle: Callable[[], object] | None = None,
) -> None:
    """Loop until `stop` is set: ingest ready files in batches of `settings.batch_size`. When none is ready,
    `on_idle` may do one step of upkeep (a true result: it did, and the inbox is looked at again at once)."""
    stop = stop or threading.Event()
    changed = threading.Event()
    tracker = StabilityTracker(settings.settle_seconds)
    observer = watch_events(settings.inbox, changed, tracker)
    failures = 0
    try:
        with watcher_presence(settings):  # while it is held, `lagebild ingest` hands its files over
            while not stop.is_set():
                changed.clear()
                ready, waiting, next_check = look(tracker, settings.inbox)
                if ready:
                    failures = _ingest_ready(settings, ingest, ready, stop, failures)
                    continue
                if on_idle is not None and on_idle():  # it did some upkeep: look at the inbox again first
                    continue
                # wake when a file event arrives, when the earliest settling file is due, or for the rescan
                timeout = min(settings.rescan_seconds, next_check + 0.01) if next_check is not None \
                    else settings.rescan_seconds
                changed.wait(timeout)
    finally:
        if observer is not None:
            observer.stop()


def look(tracker: StabilityTracker, inbox: Path) -> tuple[list[str], int, float | None]:
    """One look at the inbox: the ready files (as strings: the watcher holds a backlog's list until it has
    worked through it, and a Path costs ~380 bytes more than its string), how many still settle, and when
    the earliest of those could be ready."""
    ready, waiting, next_check = tracker.ready(scan(inbox))
    return [str(p) for p in ready], waiting, next_check


def _ingest_ready(settings: Settings, ingest: BatchRunner, ready: list[str],
                  stop: threading.Event, failures: int) -> int:
    """Ingest the ready files batch by batch; return the new count of consecutive failures."""
    try:
        for start in range(0, len(ready), settings.batch_size):
            if stop.is_set():
                break
            size = settings.batch_size
            report = ingest(ready[start : start + size], ready[start + size : start + 2 * size])
            log.info("batch %s: %d loaded, %d duplicate, %d rejected", report.run_id, report.loaded,
                     report.duplicates, report.rejected)
            _restore_handler(stop)
            release_free_memory()  # what the batch freed goes back to the system before the next one
        return 0
    except BaseException as exc:
        if _is_termination(exc):  # SIGTERM arrived during a flow run
            log.info("stopping: termination signal during a batch; the next start finishes it")
            stop.set()
            return failures
        if not isinstance(exc, Exception):
            raise
        delay = FAILURE_BACKOFF[min(failures, len(FAILURE_BACKOFF) - 1)]
        log.error("ingest failed (%s: %s); files stay in the inbox, retrying in %.0f s",
                  type(exc).__name__, exc, delay)
        stop.wait(delay)
        return failures + 1


def _is_termination(exc: BaseException) -> bool:
    """Prefect turns SIGTERM during a flow run into a TerminationSignal (a BaseException)."""
    return type(exc).__name__ == "TerminationSignal"


def _restore_handler(stop: threading.Event) -> None:
    """Put the watcher's own SIGTERM handler back in case a flow run left another in place."""
    handler = getattr(stop, "handler", None)
    if handler is not None and threading.current_thread() is threading.main_thread():
        if signal.getsignal(signal.SIGTERM) is not handler:
            signal.signal(signal.SIGTERM, handler)
