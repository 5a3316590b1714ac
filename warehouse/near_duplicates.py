"""Near-duplicates and overlaps of a batch, found in SQL against everything stored.

Copies: MinHash Jaccard >= DUPLICATE_SIMILARITY (LSH bands find the candidates) get `duplicate_of`.
Overlaps: shared passages (sampled word 8-grams) covering >= OVERLAP_SIMILARITY of the shorter text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import duckdb
import pyarrow as pa

from lagebild.article import Article
from lagebild.enrich import dedup, passages
from lagebild.enrich.model import Enrichment
from warehouse.load import insert_rows, registered, stored_articles

DUPLICATE_SIMILARITY = 0.8  # estimated Jaccard at or above which a text is a copy (duplicate_of)
OVERLAP_SIMILARITY = 0.1  # share of the shorter text in shared passages, to record an overlap
MIN_SHARED_PASSAGES = 3  # fingerprints two texts must share before they are compared


def mark_near_duplicates(
    con: duckdb.DuckDBPyConnection, fresh: Sequence[Article], by_id: dict[str, Enrichment]
) -> dict[str, str]:
    """Record the batch's fingerprints and overlaps; return article_id -> original for near-identical copies."""
    order = {a.article_id: i for i, a in enumerate(fresh)}
    prints = {a.article_id: passages.fingerprints(a.body) for a in fresh}
    insert_passages(con, prints)
    pairs: dict[tuple[str, str], float] = {}
    for new, other, shared, n_new, n_other in passage_candidates(con, prints, MIN_SHARED_PASSAGES):
        if other in order and order[other] > order[new]:
            continue  # compare each pair once, from the later article
        cover = shared / min(n_new, n_other)
        if cover >= OVERLAP_SIMILARITY:
            pairs[(new, other)] = round(min(cover, 1.0), 4)
    duplicate_of = _copies(con, fresh, by_id, order)
    for new, original in duplicate_of.items():
        pairs.setdefault((new, original), 1.0)
    insert_overlaps(con, [(a, b, sim) for (a, b), sim in sorted(pairs.items())])
    return duplicate_of


def _copies(con: duckdb.DuckDBPyConnection, fresh: Sequence[Article], by_id: dict[str, Enrichment],
            order: dict[str, int]) -> dict[str, str]:
    minhashes = {a.article_id: by_id[a.article_id].minhash for a in fresh if by_id[a.article_id].minhash}
    bands = {aid: dedup.bands(sig) for aid, sig in minhashes.items()}
    insert_bands(con, bands)
    insert_signatures(con, [(aid, by_id[aid].enrich_version, sig) for aid, sig in minhashes.items()])
    candidates = band_candidates(con, bands)
    stored_ids = {c for cs in candidates.values() for c in cs if c not in order}
    version = by_id[fresh[0].article_id].enrich_version if fresh else ""
    stored_sigs, originals = _stored_signatures(con, stored_ids, version)
    duplicate_of: dict[str, str] = {}
    for a in fresh:
        for other in sorted(candidates.get(a.article_id, ())):
            if other in order and order[other] >= order[a.article_id]:
                continue
            other_sig = minhashes.get(other) or stored_sigs.get(other)
            if other_sig and dedup.similarity(minhashes[a.article_id], other_sig) >= DUPLICATE_SIMILARITY:
                duplicate_of[a.article_id] = duplicate_of.get(other) or originals.get(other) or other
                break
    return duplicate_of


def _stored_signatures(con: duckdb.DuckDBPyConnection, ids: set[str],
                       version: str) -> tuple[dict[str, tuple[int, ...]], dict[str, str | None]]:
    """Signatures of stored candidates (kept at load time; re-hashed from the body if missing) and their originals."""
    sigs = signatures(con, ids, version)
    originals = duplicate_links(con, ids)
    missing = ids - sigs.keys()
    sigs.update({aid: dedup.signature(body) for aid, (body, _) in bodies(con, missing).items()})
    return sigs, originals


# Band hashes are kept to 63 bits: DuckDB pushes join filters into registered Arrow tables as
# Python ints, and pyarrow cannot turn values of 2**63 or more into the filter's int64.
MASK63 = (1 << 63) - 1


_BAND_SCHEMA = pa.schema([("article_id", pa.string()), ("band", pa.int32()), ("hash", pa.uint64())])


def _band_rows(bands: dict[str, list[tuple[int, int]]]) -> list[dict[str, object]]:
    return [{"article_id": aid, "band": b, "hash": h & MASK63} for aid, bs in bands.items() for b, h in bs]


def insert_bands(con: duckdb.DuckDBPyConnection, bands: dict[str, list[tuple[int, int]]]) -> None:
    rows = _band_rows(bands)
    if rows:
        with registered(con, "_batch_bands", rows, _BAND_SCHEMA):
            con.execute("INSERT INTO article_bands SELECT article_id, band, hash FROM _batch_bands")


def band_candidates(con: duckdb.DuckDBPyConnection, bands: dict[str, list[tuple[int, int]]]) -> dict[str, set[str]]:
    """For each new article, the stored articles sharing at least one LSH band."""
    rows = _band_rows(bands)
    if not rows:
        return {}
    with registered(con, "_probe_bands", rows, _BAND_SCHEMA):
        found = con.execute(
            """SELECT DISTINCT p.article_id, b.article_id FROM _probe_bands p
               JOIN article_bands b ON b.band = p.band AND b.hash = p.hash
               WHERE b.article_id <> p.article_id"""
        ).fetchall()
    out: dict[str, set[str]] = {}
    for new, old in found:
        out.setdefault(new, set()).add(old)
    return out


def bodies(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> dict[str, tuple[str, str | None]]:
    """article_id -> (body, duplicate_of) for stored articles."""
    return {r[0]: (r[1], r[2]) for r in stored_articles(con, ids, "body, duplicate_of")}


def duplicate_links(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> dict[str, str | None]:
    """article_id -> duplicate_of for stored articles (bodies are not read)."""
    return dict(stored_articles(con, ids, "duplicate_of"))


SIGNATURE_COLUMNS = ("article_id", "enrich_version", "signature")


def insert_signatures(con: duckdb.DuckDBPyConnection, rows: Iterable[tuple[str, str, Sequence[int]]]) -> None:
    """Store (article_id, enrich_version, MinHash signature) rows."""
    insert_rows(con, "article_signatures", [dict(zip(SIGNATURE_COLUMNS, (a, v, list(sig)), strict=True))
                                            for a, v, sig in rows if sig], SIGNATURE_COLUMNS)


def signatures(con: duckdb.DuckDBPyConnection, ids: Iterable[str], version: str) -> dict[str, tuple[int, ...]]:
    """Stored signatures of these articles computed by enrichment `version`."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = con.execute(
        """SELECT article_id, any_value(signature) FROM article_signatures
           WHERE enrich_version = ? AND article_id IN (SELECT unnest(?)) GROUP BY article_id""",
        [version, wanted],
    ).fetchall()
    return {r[0]: tuple(r[1]) for r in rows}


def insert_overlaps(con: duckdb.DuckDBPyConnection, pairs: Sequence[tuple[str, str, float]]) -> None:
    insert_rows(con, "overlaps", [{"article_id": a, "other_id": b, "similarity": s} for a, b, s in pairs],
                ("article_id", "other_id", "similarity"))


_PASSAGE_SCHEMA = pa.schema([("article_id", pa.string()), ("hash", pa.uint64())])


def _passage_rows(prints: dict[str, tuple[int, ...]]) -> list[dict[str, object]]:
    return [{"article_id": aid, "hash": h} for aid, hs in prints.items() for h in hs]


def insert_passages(con: duckdb.DuckDBPyConnection, prints: dict[str, tuple[int, ...]]) -> None:
    rows = _passage_rows(prints)
    if rows:
        with registered(con, "_batch_passages", rows, _PASSAGE_SCHEMA):
            con.execute("INSERT INTO article_passages SELECT article_id, hash FROM _batch_passages")


def passage_candidates(con: duckdb.DuckDBPyConnection, prints: dict[str, tuple[int, ...]], min_shared: int
                       ) -> list[tuple[str, str, int, int, int]]:
    """(new id, other id, shared, passages of new, passages of other) for the pairs sharing at least
    `min_shared` passages between the batch's articles (their stored fingerprints `prints`) and any other
    stored article, the batch's own included. The batch's side comes from `prints`, not from a scan."""
    rows = _passage_rows(prints)
    if not rows:
        return []
    with registered(con, "_mine", rows, _PASSAGE_SCHEMA):
        pairs = con.execute(
            """SELECT m.article_id, o.article_id, count(*) FROM _mine m
               JOIN article_passages o ON o.hash = m.hash AND o.article_id <> m.article_id
               GROUP BY ALL HAVING count(*) >= ? ORDER BY 1, 2""",
            [min_shared],
        ).fetchall()
    sizes: dict[str, int] = {aid: len(hs) for aid, hs in prints.items()}
    others = sorted({b for _, b, _ in pairs} - sizes.keys())
    if others:
        sizes.update(con.execute("SELECT article_id, count(*) FROM article_passages "
                                 "WHERE article_id IN (SELECT unnest(?)) GROUP BY ALL", [others]).fetchall())
    return [(a, b, int(n), sizes[a], sizes[b]) for a, b, n in pairs]
