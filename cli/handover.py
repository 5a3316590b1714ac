"""`lagebild ingest` while a watcher runs on the same data folder: hand the files over and wait.

The watcher (of `lagebild watch` or `lagebild up`) has its model loaded and records its batches as flow
runs of its Prefect server. A second process loading the same files would wait for the inbox lock, find
them gone and report nothing. So `lagebild ingest` puts the files into the inbox, as it always does, waits
until the watcher has moved each of them out, and reports the outcomes the watcher recorded in ingest_log
as its own. If the watcher stops meanwhile, the files still in the inbox are returned to the caller, which
ingests them itself.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from lagebild.inbox import relative_name
from lagebild.locking import watcher_running
from lagebild.settings import Settings
from warehouse import Warehouse
from warehouse.load import FileOutcome

FAST_POLL, SLOW_POLL = 0.05, 0.25  # seconds between looks at the inbox: fast for the first FAST_FOR seconds
FAST_FOR = 5.0
WATCHER_CHECK = 1.0  # seconds between checks that the watcher still runs


def watermark(settings: Settings) -> datetime:
    """The latest time in ingest_log, on the writer's clock: the outcomes of files that enter the inbox
    now are recorded after it (whatever the time zone or clock of this process)."""
    return Warehouse.of(settings).log_watermark()


def names(settings: Settings, files: Sequence[Path]) -> list[str]:
    """The names of these inbox files as ingest_log records them (relative to the inbox)."""
    inbox = settings.inbox.resolve()
    return [relative_name(inbox, p.absolute()) for p in files]


def outcomes(settings: Settings, files: Sequence[Path], since: datetime) -> dict[str, FileOutcome]:
    """The outcomes recorded after `since` of these inbox files, by whichever process loaded them."""
    return Warehouse.of(settings).file_outcomes(names(settings, files), since)


def hand_over(settings: Settings, files: Sequence[Path], progress: Callable[[int], object] = lambda n: None
              ) -> list[Path]:
    """Wait until the running watcher has moved every file (inbox paths) out of the inbox; `progress(n)` is
    called as n more files leave it. Returns the files still in the inbox if the watcher stopped first."""
    waiting = list(files)
    started = checked = time.monotonic()
    while waiting:
        still = [p for p in waiting if os.path.lexists(p)]
        if len(still) < len(waiting):
            progress(len(waiting) - len(still))
            waiting = still
            continue
        now = time.monotonic()
        if now - checked >= WATCHER_CHECK:
            checked = now
            if not watcher_running(settings):
                break
        time.sleep(FAST_POLL if now - started < FAST_FOR else SLOW_POLL)
    return waiting
