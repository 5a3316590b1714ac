"""Reading stored articles back and replacing their enrichment rows (for reprocessing)."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from lagebild.article import Article
from lagebild.enrich.model import Enrichment
from warehouse.load import insert_enrichments, registered

ENRICHMENT_TABLES = ("sentences", "mentions", "article_themes", "sentence_themes", "quotes")


def count_articles(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT count(*) FROM articles").fetchone()
    return int(row[0]) if row else 0


def outdated_ids(con: duckdb.DuckDBPyConnection, version: str | None) -> list[str]:
    """Ids whose enrich_version differs from `version` (all ids when version is None)."""
    if version is None:
        return [r[0] for r in con.execute("SELECT article_id FROM articles ORDER BY article_id").fetchall()]
    return [r[0] for r in con.execute(
        "SELECT article_id FROM articles WHERE enrich_version IS DISTINCT FROM ? ORDER BY article_id", [version]
    ).fetchall()]


def load_articles(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> list[Article]:
    rows = con.execute(
        """SELECT article_id, title, body, published_date, date_precision, published_at, source_file,
                  source, url, source_line FROM articles WHERE article_id IN (SELECT unnest(?))
           ORDER BY article_id""", [list(ids)]).fetchall()
    return [Article(*r) for r in rows]


def replace_enrichments(con: duckdb.DuckDBPyConnection, results: Sequence[Enrichment]) -> None:
    """Delete the old rows of these articles, insert the new ones, stamp enrich_version."""
    ids = [e.article_id for e in results]
    for table in ENRICHMENT_TABLES:
        con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [ids])  # noqa: S608
    insert_enrichments(con, results)
    with registered(con, "_versions", [{"article_id": e.article_id, "v": e.enrich_version} for e in results]):
        con.execute("UPDATE articles SET enrich_version = _versions.v FROM _versions "
                    "WHERE articles.article_id = _versions.article_id")
