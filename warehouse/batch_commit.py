"""The database side of a batch: what is already stored, and the one transaction that loads it.

File placements are decided by the caller before the transaction (from what `recall` returned) and
arrive as ingest_log rows; the transaction records them with the rows and never touches the disk.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb

from lagebild import faults
from lagebild.article import Article, first_occurrences
from lagebild.enrich.model import Enrichment
from warehouse import load
from warehouse.data_checks import enforce
from warehouse.load import LogRow, RunRow
from warehouse.near_duplicates import mark_near_duplicates
from warehouse.stories import assign_stories
from warehouse.summaries import add_articles


class BatchPlanOutdated(RuntimeError):
    """The warehouse changed between recall and commit: the placements no longer fit; retry the batch."""


@dataclass(frozen=True)
class RecordedFile:
    """A file whose outcome was committed (by a run that may have died before moving it)."""

    row: LogRow
    bad_lines_destination: str | None = None


@dataclass(frozen=True)
class Known:
    """What the warehouse already holds of a batch."""

    recorded: dict[str, RecordedFile]  # file -> its committed outcome
    articles: dict[str, str]  # stored article_id -> source_file


@dataclass(frozen=True)
class BatchRows:
    """Everything one batch writes; `log` holds the placements decided before the transaction."""

    run: RunRow
    articles: Sequence[Article]  # every article of the batch's files, in file order
    enrichments: Sequence[Enrichment]
    themes: Sequence[tuple[str, str]]
    log: Sequence[LogRow]  # one whole-file row per file (line None), plus one per bad JSONL line
    new_ids: frozenset[str]  # the articles the placements count as new
    now: datetime


def recall(con: duckdb.DuckDBPyConnection, files: Iterable[tuple[str, str]], article_ids: Iterable[str]) -> Known:
    """Committed outcomes of these (file, sha256) pairs and which of these article ids are stored."""
    pairs = sorted(set(files))
    rows = load.recorded_files(con, pairs)
    bad_lines = _bad_lines_destinations(con, list(rows))
    recorded = {file: RecordedFile(row, bad_lines.get((file, sha))) for (file, sha), row in rows.items()}
    return Known(recorded, load.existing_articles(con, article_ids))


def _bad_lines_destinations(con: duckdb.DuckDBPyConnection, pairs: Sequence[tuple[str, str]]
                            ) -> dict[tuple[str, str], str | None]:
    """(file, sha256) -> where the file's bad JSONL lines were recorded to go."""
    if not pairs:
        return {}
    rows = con.execute(
        """SELECT file, sha256, any_value(destination) FROM ingest_log
           WHERE line IS NOT NULL AND (file, sha256) IN (SELECT (unnest(?), unnest(?))) GROUP BY ALL""",
        [[p[0] for p in pairs], [p[1] for p in pairs]],
    ).fetchall()
    return {(r[0], r[1]): r[2] for r in rows}


def commit_batch(con: duckdb.DuckDBPyConnection, batch: BatchRows) -> int:
    """Insert the new articles with their enrichment, log every file, check the rows; returns articles added.

    Call inside a transaction (Warehouse.commit_batch opens it).
    """
    by_id = {e.article_id: e for e in batch.enrichments}
    existing = load.existing_articles(con, [a.article_id for a in batch.articles])
    fresh = [a for a in first_occurrences(batch.articles, skip=existing) if a.article_id in by_id]
    found = {a.article_id for a in fresh}
    if found != batch.new_ids:
        raise BatchPlanOutdated(
            f"run {batch.run.run_id}: the warehouse holds other articles than when the batch was planned "
            f"({len(found - batch.new_ids)} unexpectedly new, {len(batch.new_ids - found)} already stored); "
            "nothing was written, the files stay in the inbox for the next run")
    duplicate_of = mark_near_duplicates(con, fresh, by_id)
    versions = {a.article_id: by_id[a.article_id].enrich_version for a in fresh}
    ids = [a.article_id for a in fresh]
    # The new rows are staged too (temporary tables, gone with the transaction if it rolls back): the summaries
    # and the data checks read them there.
    keys = load.insert_articles(con, load.article_rows(fresh, duplicate_of, batch.run.run_id, versions, batch.now),
                                stage=True)
    load.upsert_themes(con, batch.themes)
    load.insert_enrichments(con, [by_id[i] for i in ids], stage=True, keys=keys)
    add_articles(con, ids, load.STAGED)
    assign_stories(con, ids, load.STAGED)
    load.insert_log(con, batch.log, batch.run.run_id, batch.now)
    load.insert_run(con, finished(batch.run, batch.log, len(fresh)), datetime.now())
    enforce(con, ids, load.STAGED)
    load.drop_staged(con)
    faults.point("in_transaction")
    return len(fresh)


def finished(run: RunRow, log: Sequence[LogRow], articles: int) -> RunRow:
    """The run row with its counts taken from the whole-file log rows."""
    files = [r for r in log if r.line is None]
    count = lambda s: sum(r.status == s for r in files)  # noqa: E731
    return RunRow(run.run_id, run.flow_run_id, run.started_at, "completed", len(files), count("loaded"),
                  count("duplicate"), count("rejected"), articles, run.message)
