"""One ingesting process per data folder at a time (watcher, `ingest`, `reprocess`)."""

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
