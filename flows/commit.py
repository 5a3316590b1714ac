"""The load step's orchestration: recall what is stored, plan each file's placement, commit the plan.

The warehouse does the database part (warehouse/batch_commit.py) in one transaction; the placements
are decided here, before it, so the transaction only records them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
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
from warehouse.batch_commit import BatchRows
from warehouse.load import LogRow, RunRow

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


def commit_batch(warehouse: Warehouse, settings: Settings, run: RunRow, raws: Sequence[RawFile],
                 parsed: Sequence[ParsedFile], enrichments: Sequence[Enrichment],
                 themes: Sequence[tuple[str, str]], known_sources: dict[str, str]) -> list[Placement]:
    """Plan the placements, then load the rows and record the placements in one transaction; then make
    the new articles searchable."""
    now = datetime.now()
    placements, log, new_ids = plan_batch(settings, run.run_id, raws, parsed, enrichments, known_sources, now)
    articles = [a for p in parsed for a in p.articles]
    began = time.monotonic()
    added = warehouse.commit_batch(BatchRows(run, articles, enrichments, themes, log, new_ids, now))
    logger.info("run %s: %d articles committed in %.2f s (the write lock was held at most that long)",
                run.run_id, added, time.monotonic() - began)
    if added:
        faults.point("before_index")  # committed in the warehouse, not yet in the search index
        search_refresh.index_run(settings, run.run_id)  # never raises: a lagging index is caught up later
    return placements
