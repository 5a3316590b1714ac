"""The load step's orchestration: recall what is stored, plan each file's placement, commit the plan.

The warehouse does the database part (warehouse/batch_commit.py) in one transaction; the placements
are decided here, before it, so the transaction only records them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from flows import search_refresh
from flows.batch import Placement, articles_to_enrich, place_files
from lagebild import faults
from lagebild.enrich.model import Enrichment
from lagebild.inbox import RawFile
from lagebild.parse import ParsedFile
from lagebild.settings import Settings
from warehouse import Warehouse
from warehouse.batch_commit import BatchRows, finished
from warehouse.load import LogRow, RunRow
from warehouse.store import WriterOutOfMemory

logger = logging.getLogger("lagebild.load")


@dataclass(frozen=True)
class Recall:
    """What the warehouse already knows about a batch before enrichment."""

    recorded: dict[str, Placement]  # files committed before a crash: just move them
    known_sources: dict[str, str]  # article ids already stored -> the file each was loaded from

    @property
    def known_ids(self) -> set[str]:
        return set(self.known_sources)


def recall(warehouse: Warehouse, raws: Sequence[RawFile], parsed: Sequence[ParsedFile]) -> Recall:
    """Files whose outcome was committed but which are still in the inbox (crash before the move)."""
    known = warehouse.recall([(r.file, r.sha256) for r in raws], [a.article_id for p in parsed for a in p.articles])
    recorded = {
        file: Placement(file, rec.row.status, rec.row.destination, rec.row.reason, rec.bad_lines_destination)
        for file, rec in known.recorded.items()
        if rec.row.destination and not Path(rec.row.destination).exists()
    }
    return Recall(recorded, known.articles)


def plan_batch(settings: Settings, run_id: str, raws: Sequence[RawFile], parsed: Sequence[ParsedFile],
               enrichments: Sequence[Enrichment], known_sources: dict[str, str],
               now: datetime) -> tuple[list[Placement], list[LogRow], frozenset[str]]:
    """Each file's status and destination, its ingest_log rows, and the article ids that are new."""
    enriched = {e.article_id for e in enrichments}
    first = articles_to_enrich(parsed, set(), set(known_sources))
    first_source = {**known_sources, **{a.article_id: a.source_file for a in first}}
    new_ids = frozenset(a.article_id for a in first if a.article_id in enriched)
    placements, log = place_files(settings, run_id, raws, parsed, set(new_ids), first_source, now)
    return placements, log, new_ids


FIRST_CHUNK = 100  # articles in the first transaction of a batch; later ones are sized to TARGET_SECONDS
COMMITTED_LOG = "run %s: %d files committed in a transaction of %.2f s"  # bench/readers.py reads it
SMALLEST_CHUNK = 50  # a transaction has a fixed cost (checks, summaries): fewer articles would not be shorter
TARGET_SECONDS = 0.8  # how long one transaction should hold the warehouse's write lock
READERS_GAP = 0.4  # seconds between transactions, in which waiting readers open the file (when any wait)


class PartlyLoaded(RuntimeError):
    """Some of a batch's transactions committed before one failed. The load step is not retried: its plan
    no longer fits the warehouse. The next run moves the loaded files and loads the others."""


def commit_batch(warehouse: Warehouse, settings: Settings, run: RunRow, raws: Sequence[RawFile],
                 parsed: Sequence[ParsedFile], enrichments: Sequence[Enrichment],
                 themes: Sequence[tuple[str, str]], known_sources: dict[str, str]) -> list[Placement]:
    """Plan the placements, then load the rows and record the placements file by file in short
    transactions (each holds whole files: their articles, enrichment and ingest_log rows); then make the
    new articles searchable. The transactions share one connection; when a reader (or another writer)
    waited for the file in the last seconds, the connection is closed between two transactions and the
    next one starts only after READERS_GAP."""
    now = datetime.now()
    placements, log, new_ids = plan_batch(settings, run.run_id, raws, parsed, enrichments, known_sources, now)
    added = _load_in_transactions(warehouse, settings, BatchRows(run, (), enrichments, themes, log, new_ids, now),
                                  parsed)
    if added:
        faults.point("before_index")  # committed in the warehouse, not yet in the search index
        search_refresh.index_run(settings, run.run_id)  # never raises: a lagging index is caught up later
    return placements


def _load_in_transactions(warehouse: Warehouse, settings: Settings, plan: BatchRows,
                          parsed: Sequence[ParsedFile]) -> int:
    """Commit the planned batch in transactions of whole files, sized to TARGET_SECONDS; returns the
    articles added. `plan` holds the run, enrichments, themes, log rows and new ids of the whole batch."""
    run, first_file = plan.run, _first_files(parsed, plan.new_ids)
    added, files, size, committed, loaded = 0, list(parsed), FIRST_CHUNK, 0, 0
    largest = 1000  # articles per transaction; lowered when one needed more than the writer's memory limit
    try:
        with warehouse.writer() as writer:
            while committed == 0 or files:  # once at least: a batch of recovered files still records its run
                chunk, files = _take(files, size)
                names = {p.file for p in chunk}
                began, after_others = time.monotonic(), writer.committed_since_open
                try:
                    added += writer.commit_batch(replace(
                        plan, articles=[a for p in chunk for a in p.articles],
                        log=[r for r in plan.log if r.file in names],
                        new_ids=frozenset(i for i in plan.new_ids if first_file[i] in names)))
                except WriterOutOfMemory:
                    # Nothing of it was written and the connection is closed (what earlier transactions held
                    # in memory is checkpointed): after others, try the same files again on the fresh
                    # connection; on a fresh one, in smaller transactions; a file that fails alone fails.
                    if not after_others and len(chunk) == 1:
                        raise
                    files = [*chunk, *files]
                    if not after_others:
                        largest = size = max(1, _articles(chunk) // 2)
                    logger.warning("run %s: a transaction of %d files needed more than the writer's memory "
                                   "limit (LAGEBILD_WRITER_MEMORY=%s); nothing of it was written, loading them "
                                   "again %s", run.run_id, len(chunk), settings.writer_memory,
                                   "on a fresh connection" if after_others else "in smaller transactions")
                    continue
                committed, loaded, took = committed + 1, loaded + len(chunk), time.monotonic() - began
                logger.info(COMMITTED_LOG, run.run_id, len(chunk), took)
                size = min(largest, max(SMALLEST_CHUNK, int(size * TARGET_SECONDS / max(took, 0.01))))
                if files and warehouse.someone_waiting():
                    writer.release()
                    time.sleep(READERS_GAP)
            if committed > 1:
                writer.record_run(finished(run, plan.log, added))  # the run's totals over all its transactions
    except Exception as exc:
        if not committed:
            raise
        raise PartlyLoaded(
            f"run {run.run_id}: {loaded} of {len(parsed)} files were loaded in {committed} transaction(s), "
            f"then loading failed ({type(exc).__name__}: {exc}); not retried: the next run moves the loaded "
            "files and loads the others, which stay in the inbox") from exc
    return added


def _first_files(parsed: Sequence[ParsedFile], new_ids: frozenset[str]) -> dict[str, str]:
    """New article id → the file whose copy of it is stored (its first occurrence in the batch)."""
    first: dict[str, str] = {}
    for p in parsed:
        for a in p.articles:
            if a.article_id in new_ids:
                first.setdefault(a.article_id, p.file)
    return first


def _articles(files: Sequence[ParsedFile]) -> int:
    """Articles of these files as `_take` counts them (a file without articles counts as one)."""
    return sum(max(1, len(p.articles)) for p in files)


def _take(files: list[ParsedFile], articles: int) -> tuple[list[ParsedFile], list[ParsedFile]]:
    """Whole files from the front holding about `articles` articles (at least one file)."""
    count = 0
    for i, p in enumerate(files):
        count += _articles([p])
        if count >= articles:
            return files[: i + 1], files[i + 1 :]
    return files, []
