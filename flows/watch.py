"""The watcher: notice files (events + periodic rescan), wait until they are complete, ingest in batches."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from pathlib import Path

from flows.batch import BatchReport
from lagebild.inbox import StabilityTracker, scan
from lagebild.settings import Settings

log = logging.getLogger("lagebild.watch")
FAILURE_BACKOFF = (2.0, 5.0, 15.0, 60.0)


def watch_events(inbox: Path, changed: threading.Event, stop: threading.Event) -> threading.Thread:
    """Set `changed` whenever something happens in the inbox (watchfiles, in a thread)."""
    import watchfiles

    def loop() -> None:
        try:
            for _ in watchfiles.watch(inbox, stop_event=stop, recursive=True, debounce=50, step=25,
                                      raise_interrupt=False, ignore_permission_denied=True):
                changed.set()
        except Exception as exc:  # noqa: BLE001 - the periodic rescan still works
            log.warning("file events unavailable (%s); relying on the periodic rescan", exc)

    thread = threading.Thread(target=loop, name="inbox-events", daemon=True)
    thread.start()
    return thread


def run_watch(
    settings: Settings,
    ingest: Callable[[list[str]], BatchReport],
    stop: threading.Event | None = None,
    on_idle: Callable[[], object] | None = None,
) -> None:
    """Loop until `stop` is set: ingest ready files in batches of `settings.batch_size`."""
    stop = stop or threading.Event()
    changed = threading.Event()
    watch_events(settings.inbox, changed, stop)
    tracker = StabilityTracker(settings.settle_seconds)
    failures = 0
    while not stop.is_set():
        ready, waiting = tracker.ready(scan(settings.inbox))
        if ready:
            failures = _ingest_ready(settings, ingest, ready, stop, failures)
            continue
        if on_idle:
            on_idle()
        timeout = max(settings.settle_seconds / 2, 0.05) if waiting else settings.rescan_seconds
        changed.wait(timeout)
        changed.clear()


def _ingest_ready(settings: Settings, ingest: Callable[[list[str]], BatchReport], ready: list[Path],
                  stop: threading.Event, failures: int) -> int:
    """Ingest the ready files batch by batch; return the new count of consecutive failures."""
    try:
        for start in range(0, len(ready), settings.batch_size):
            if stop.is_set():
                break
            report = ingest([str(p) for p in ready[start : start + settings.batch_size]])
            log.info("batch %s: %d loaded, %d duplicate, %d rejected", report.run_id, report.loaded,
                     report.duplicates, report.rejected)
            _restore_handler(stop)
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
