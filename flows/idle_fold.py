"""While the watcher's inbox is empty: fold the summary rows that its batches appended.

A batch appends its counts to the actor summaries (`actor_day`, `actor_pair_month`, …) instead of
rewriting the rows of its keys (warehouse/summaries.py), so these tables grow by every batch and every
reader sums more rows. The watcher
remembers the months its batches wrote to and, once it has had nothing to load for QUIET_SECONDS, folds
one of them per idle turn, each in a transaction of its own: one month's rows, well under a second of the
write lock, and a file that arrives meanwhile waits for one month at most. A trickle of single files is
not followed by a fold each. `lagebild compact` folds everything at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import date

from flows.batch import BatchReport, BatchRunner
from lagebild.settings import Settings
from warehouse import Warehouse, db, ducklake
from warehouse.db import WarehouseBusy
from warehouse.summaries import fold_summaries, months_of_runs

log = logging.getLogger("lagebild.fold")
QUIET_SECONDS = 5.0  # no batch for this long before the first fold
LOCK_WAIT = 2.0  # seconds a fold waits for another process's hold on the file; then it is tried later
RETRY_SECONDS = 60.0  # after a failed fold


class IdleFold:
    """`watching(runner)` notes the runs that loaded articles; calling the object (the watcher's idle
    hook) folds one month they wrote to. A failed fold is logged and its month tried again later: the
    counts read are the same folded or not."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.enabled = not ducklake.is_ducklake(settings.warehouse)  # DuckLake: `lagebild compact`
        self._runs: list[str] = []
        self._months: list[date] = []
        self._last_batch = 0.0  # time.monotonic() of the last batch
        self._not_before = 0.0  # time.monotonic() before which no fold is tried (after a failure)

    def watching(self, runner: BatchRunner) -> BatchRunner:
        def run(paths: list[str], upcoming: Sequence[str] = ()) -> BatchReport:
            try:
                report = runner(paths, upcoming)
            finally:
                self._last_batch = time.monotonic()
            if report.loaded and self.enabled:
                self._runs.append(report.run_id)
            return report

        return run

    @property
    def pending(self) -> bool:
        return bool(self._runs or self._months)

    def __call__(self) -> bool:
        """Fold one month (True), or nothing (False): no batch wrote since the last folds, or the last batch
        was less than QUIET_SECONDS ago."""
        now = time.monotonic()
        if not self.pending or now - self._last_batch < QUIET_SECONDS or now < self._not_before:
            return False
        warehouse = Warehouse.of(self.settings)
        try:
            if self._runs:
                with warehouse.connect(read_only=True, timeout=LOCK_WAIT) as con:
                    months = months_of_runs(con, self._runs)
                self._runs = []
                self._months = sorted(set(self._months) | set(months))
            if not self._months:
                return False
            month = self._months[0]
            started = time.monotonic()
            # the writer's memory limit, as for a batch: upkeep must not lift the watcher's peak; readers are
            # answered by this process meanwhile
            with warehouse.serving_readers(timeout=LOCK_WAIT), \
                    warehouse.connect(timeout=LOCK_WAIT, memory_limit=warehouse.batch_memory) as con, \
                    db.transaction(con):
                folded = fold_summaries(con, [month])
            self._months.pop(0)
        except WarehouseBusy:  # a reader or a notebook holds the file: not worth making new files wait
            log.debug("summary fold put off: the warehouse is busy")
            return False
        except Exception as exc:  # noqa: BLE001 - folding is upkeep: readers sum unfolded rows all the same
            log.warning("summary fold failed (%s: %s); tried again in %.0f s when the watcher is idle",
                        type(exc).__name__, exc, RETRY_SECONDS)
            self._not_before = time.monotonic() + RETRY_SECONDS
            return False
        log.info("summary fold %s: %s in %.2f s", f"{month:%Y-%m}",
                 ", ".join(f"{t} {a} → {b} rows" for t, (a, b) in folded.items()), time.monotonic() - started)
        return True
