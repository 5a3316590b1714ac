"""Keep the search index in step with the warehouse: each run's articles right after its commit, and a
catch-up (which repairs a crash between the two commits) before the first batch of a process."""

from __future__ import annotations

import logging
import time

from lagebild.settings import Settings
from warehouse import search_index
from warehouse.maintenance import maintenance

log = logging.getLogger("lagebild.search")


def index_run(settings: Settings, run_id: str) -> bool:
    """Make a committed run's articles searchable; False (and a warning) when the index could not be
    written: the warehouse keeps the articles, and the next catch-up adds them."""
    started = time.monotonic()
    try:
        added = search_index.index_runs(settings.warehouse, [run_id], timeout=settings.lock_timeout)
        behind = not search_index.in_step(settings.warehouse, timeout=settings.lock_timeout)
    except search_index.IndexUnavailable:
        return False
    except Exception as exc:  # noqa: BLE001 - search lags behind until the next catch-up
        log.warning("search index not updated for run %s (%s: %s); the next batch or start catches up",
                    run_id, type(exc).__name__, exc)
        return False
    if added:
        log.info("search index: %d articles of run %s searchable after %.2f s", added, run_id,
                 time.monotonic() - started)
    if behind:
        catch_up(settings)
    return True


def catch_up(settings: Settings) -> None:
    """Bring the index level with the warehouse (a no-op when their article counts agree)."""
    try:
        if search_index.in_step(settings.warehouse, timeout=settings.lock_timeout):
            return
        with maintenance(settings.warehouse, "search index catch-up") as note:
            done = search_index.catch_up(settings.warehouse, timeout=settings.lock_timeout)
            note(f"{done.indexed} articles added, {done.removed_runs} stale runs removed, "
                 f"{done.documents} documents")
    except search_index.IndexUnavailable:
        return
    except Exception as exc:  # noqa: BLE001 - ingest goes on; search lags until the next catch-up
        log.warning("search index catch-up failed (%s: %s); retried before the next batch",
                    type(exc).__name__, exc)
