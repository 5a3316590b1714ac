"""The load step: one transaction writes a batch's rows and records every file's outcome."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from lagebild import faults
from lagebild.article import Article
from flows.batch import Placement, place_files
from lagebild.enrich import dedup, passages
from lagebild.enrich.model import Enrichment
from lagebild.inbox import RawFile
from lagebild.parse import ParsedFile
from lagebild.settings import Settings
from warehouse import load
from warehouse.load import LogRow, RunRow
from warehouse.summaries import refresh_summaries

DUPLICATE_SIMILARITY = 0.8  # estimated Jaccard at or above which a text is a copy (duplicate_of)
OVERLAP_SIMILARITY = 0.1  # share of the shorter text in shared passages, to record an overlap
MIN_SHARED_PASSAGES = 3  # fingerprints two texts must share before they are compared


@dataclass(frozen=True)
class Recall:
    """What the warehouse already knows about a batch before enrichment."""

    recorded: dict[str, Placement]  # files committed before a crash: just move them
    known_ids: set[str]  # article ids already stored


def recall(con: duckdb.DuckDBPyConnection, raws: Sequence[RawFile], parsed: Sequence[ParsedFile]) -> Recall:
    """Files whose outcome was committed but which are still in the inbox (crash before the move)."""
    rows = load.recorded_files(con, [(r.file, r.sha256) for r in raws])
    recorded: dict[str, Placement] = {}
    for (file, _sha), row in rows.items():
        if row.destination and not Path(row.destination).exists():
            recorded[file] = Placement(file, row.status, row.destination, row.reason,
                                       _bad_lines_destination(con, row))
    ids = [a.article_id for p in parsed for a in p.articles]
    return Recall(recorded, set(load.existing_articles(con, ids)))


def _bad_lines_destination(con: duckdb.DuckDBPyConnection, row: LogRow) -> str | None:
    found = con.execute(
        "SELECT destination FROM ingest_log WHERE file = ? AND sha256 = ? AND line IS NOT NULL LIMIT 1",
        [row.file, row.sha256],
    ).fetchone()
    return found[0] if found else None


def commit_batch(
    con: duckdb.DuckDBPyConnection, settings: Settings, run: RunRow, raws: Sequence[RawFile],
    parsed: Sequence[ParsedFile], enrichments: Sequence[Enrichment], themes: Sequence[tuple[str, str]],
) -> list[Placement]:
    """Insert new articles with their enrichment and log every file, all in one transaction."""
    now = datetime.now()
    con.execute("BEGIN TRANSACTION")
    try:
        all_articles = [a for p in parsed for a in p.articles]
        existing = load.existing_articles(con, [a.article_id for a in all_articles])
        fresh = _first_occurrences(all_articles, set(existing))
        first_source = {**existing, **{a.article_id: a.source_file for a in fresh}}
        by_id = {e.article_id: e for e in enrichments}
        fresh = [a for a in fresh if a.article_id in by_id]
        duplicate_of = mark_near_duplicates(con, fresh, by_id)
        versions = {a.article_id: by_id[a.article_id].enrich_version for a in fresh}
        load.insert_rows(con, "articles", load.article_rows(fresh, duplicate_of, run.run_id, versions, now),
                         load.ARTICLE_COLUMNS)
        load.upsert_themes(con, themes)
        load.insert_enrichments(con, [by_id[a.article_id] for a in fresh])
        refresh_summaries(con, [a.article_id for a in fresh])
        placements, log = place_files(settings, run.run_id, raws, parsed, {a.article_id for a in fresh},
                                      first_source, now)
        load.insert_log(con, log, run.run_id, now)
        load.insert_run(con, _finished(run, placements, len(fresh)), datetime.now())
        faults.point("in_transaction")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return placements


def _first_occurrences(articles: Sequence[Article], existing: set[str]) -> list[Article]:
    seen, out = set(existing), []
    for a in articles:
        if a.article_id not in seen:
            seen.add(a.article_id)
            out.append(a)
    return out


def _finished(run: RunRow, placements: Sequence[Placement], articles: int) -> RunRow:
    count = lambda s: sum(p.status == s for p in placements)  # noqa: E731
    return RunRow(run.run_id, run.flow_run_id, run.started_at, "completed", len(placements), count("loaded"),
                  count("duplicate"), count("rejected"), articles, run.message)


def mark_near_duplicates(
    con: duckdb.DuckDBPyConnection, fresh: Sequence[Article], by_id: dict[str, Enrichment]
) -> dict[str, str]:
    """Record overlaps and return article_id -> original for near-identical copies.

    Copies: MinHash Jaccard >= DUPLICATE_SIMILARITY (LSH bands find the candidates).
    Overlaps: shared passages (sampled word 8-grams) cover >= OVERLAP_SIMILARITY of the shorter text.
    """
    order = {a.article_id: i for i, a in enumerate(fresh)}
    load.insert_passages(con, {a.article_id: passages.fingerprints(a.body) for a in fresh})
    pairs: dict[tuple[str, str], float] = {}
    for new, other, shared, n_new, n_other in load.passage_candidates(con, list(order), MIN_SHARED_PASSAGES):
        if other in order and order[other] > order[new]:
            continue  # compare each pair once, from the later article
        cover = shared / min(n_new, n_other)
        if cover >= OVERLAP_SIMILARITY:
            pairs[(new, other)] = round(min(cover, 1.0), 4)
    duplicate_of = _copies(con, fresh, by_id, order)
    for new, original in duplicate_of.items():
        pairs.setdefault((new, original), 1.0)
    load.insert_overlaps(con, [(a, b, sim) for (a, b), sim in sorted(pairs.items())])
    return duplicate_of


def _copies(con: duckdb.DuckDBPyConnection, fresh: Sequence[Article], by_id: dict[str, Enrichment],
            order: dict[str, int]) -> dict[str, str]:
    signatures = {a.article_id: by_id[a.article_id].minhash for a in fresh if by_id[a.article_id].minhash}
    bands = {aid: dedup.bands(sig) for aid, sig in signatures.items()}
    load.insert_bands(con, bands)
    load.insert_signatures(con, [(aid, by_id[aid].enrich_version, sig) for aid, sig in signatures.items()])
    candidates = load.band_candidates(con, bands)
    stored_ids = {c for cs in candidates.values() for c in cs if c not in order}
    version = by_id[fresh[0].article_id].enrich_version if fresh else ""
    stored_sigs, originals = _stored_signatures(con, stored_ids, version)
    duplicate_of: dict[str, str] = {}
    for a in fresh:
        for other in sorted(candidates.get(a.article_id, ())):
            if other in order and order[other] >= order[a.article_id]:
                continue
            other_sig = signatures.get(other) or stored_sigs.get(other)
            if other_sig and dedup.similarity(signatures[a.article_id], other_sig) >= DUPLICATE_SIMILARITY:
                duplicate_of[a.article_id] = duplicate_of.get(other) or originals.get(other) or other
                break
    return duplicate_of


def _stored_signatures(con: duckdb.DuckDBPyConnection, ids: set[str],
                       version: str) -> tuple[dict[str, tuple[int, ...]], dict[str, str | None]]:
    """Signatures of stored candidates (kept at load time; re-hashed from the body if missing) and their originals."""
    sigs = load.signatures(con, ids, version)
    originals = load.duplicate_links(con, ids)
    missing = ids - sigs.keys()
    sigs.update({aid: dedup.signature(body) for aid, (body, _) in load.bodies(con, missing).items()})
    return sigs, originals
