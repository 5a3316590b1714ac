"""Keep the full-text index current: DuckDB's FTS index does not update itself after loads."""

from __future__ import annotations

import logging
import time

from flows.batch import BatchReport
from lagebild.settings import Settings

log = logging.getLogger("lagebild.search")


class IndexRefresher:
    """Rebuild the FTS index when new articles arrived, at most every `min_interval` seconds, when idle."""

    def __init__(self, settings: Settings, min_interval: float = 10.0) -> None:
        self.settings = settings
        self.min_interval = min_interval
        self.pending = False
        self.last_build = 0.0

    def note(self, report: BatchReport) -> BatchReport:
        """Remember that a batch loaded articles (pass the report through)."""
        self.pending = self.pending or report.articles > 0
        return report

    def maybe_rebuild(self, force: bool = False) -> bool:
        """Rebuild if articles are pending and the interval has passed (or `force`)."""
        if not self.pending or (not force and time.monotonic() - self.last_build < self.min_interval):
            return False
        from warehouse.search import rebuild_index

        started = time.monotonic()
        try:
            built = rebuild_index(self.settings.warehouse, timeout=self.settings.lock_timeout)
        except Exception as exc:  # noqa: BLE001 - search falls back to ILIKE meanwhile
            log.warning("full-text index not rebuilt (%s); search uses ILIKE until the next try", exc)
            return False
        self.pending = False
        self.last_build = time.monotonic()
        # a rebuild holds the write lock: keep it to a fifth of the time at most on large warehouses
        self.min_interval = max(self.min_interval, 5 * (self.last_build - started))
        return built
