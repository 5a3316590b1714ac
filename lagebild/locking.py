"""One ingesting process per data folder at a time (watcher, `ingest`, `reprocess`), and whether a watcher runs."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager

from lagebild.settings import Settings


@contextmanager
def inbox_lock(settings: Settings) -> Iterator[None]:
    """An advisory lock on DATA_DIR/.ingest.lock, held for one batch; others wait their turn."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.data_dir / ".ingest.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


WATCHER_LOCK = ".watcher.lock"


@contextmanager
def watcher_presence(settings: Settings) -> Iterator[None]:
    """Held (shared) by every running watcher of the data folder for its whole life, so that another
    process can tell that the inbox is being watched (`watcher_running`). The kernel drops it when the
    watcher exits, however it exits."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.data_dir / WATCHER_LOCK, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def watcher_running(settings: Settings) -> bool:
    """Whether a watcher (`lagebild watch`, `lagebild up`) runs on this data folder now."""
    try:
        handle = open(settings.data_dir / WATCHER_LOCK, "rb")  # noqa: SIM115 - closed below
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False
