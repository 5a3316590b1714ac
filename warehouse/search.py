"""Full-text search over articles: DuckDB's fts extension with the German stemmer, ILIKE as fallback.

The index does not follow inserts by itself: `rebuild_index` runs on a write connection after
loads. Searching runs on short read-only connections.
"""

from __future__ import annotations

import importlib.util
import logging
import re
from pathlib import Path

import duckdb
import pandas as pd

from warehouse.db import connect
from warehouse.queries.read import READ_TIMEOUT

log = logging.getLogger(__name__)
INDEX_SCHEMA = "fts_main_articles"
COLUMNS = ["article_id", "published_date", "date_precision", "title", "snippet", "score", "duplicate_of"]


def extension_path() -> Path | None:
    """The fts extension file shipped inside the duckdb-extension-fts wheel, if installed."""
    spec = importlib.util.find_spec("duckdb_extension_fts")
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        found = sorted(Path(root).glob(f"extensions/v{duckdb.__version__}/*/fts.duckdb_extension"))
        found += sorted(Path(root).glob(f"extensions/v{duckdb.__version__}/fts.duckdb_extension"))
        if found:
            return found[0]
    return None


def load_fts(con: duckdb.DuckDBPyConnection) -> bool:
    """Make fts available on this connection, offline; False when it cannot be loaded."""
    try:
        con.execute("LOAD fts")
        return True
    except duckdb.Error:
        pass
    path = extension_path()
    if path is None:
        return False
    try:
        con.execute(f"INSTALL '{path}'")  # a path we found on disk, not user input
        con.execute("LOAD fts")
        return True
    except duckdb.Error as exc:
        log.warning("fts extension not loadable: %s", exc)
        return False


def rebuild_index(target: str | Path, timeout: float = 600.0) -> bool:
    """(Re)build the German-stemmed index over title and body; False when fts is unavailable."""
    with connect(target, timeout=timeout) as con:
        if not load_fts(con):
            return False
        con.execute(
            "PRAGMA create_fts_index('articles', 'article_id', 'title', 'body', "
            "stemmer='german', stopwords='none', overwrite=1)"
        )
    return True


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?", [INDEX_SCHEMA]
    ).fetchone()
    return bool(row and row[0])


def search(
    target: str | Path, text: str, limit: int = 50, include_duplicates: bool = False
) -> tuple[pd.DataFrame, str]:
    """Articles matching `text`, best first, and the method used: 'fts' or 'ilike'."""
    text = text.strip()
    if not text:
        return pd.DataFrame(columns=COLUMNS), "none"
    dup = "" if include_duplicates else "AND ar.duplicate_of IS NULL"
    with connect(target, read_only=True, timeout=READ_TIMEOUT) as con:
        if has_index(con) and load_fts(con):
            try:
                return _fts(con, text, limit, dup), "fts"
            except duckdb.Error as exc:
                log.warning("fts search failed, using ILIKE: %s", exc)
        return _ilike(con, text, limit, dup), "ilike"


def _fts(con: duckdb.DuckDBPyConnection, text: str, limit: int, dup: str) -> pd.DataFrame:
    df = con.execute(
        f"""SELECT * FROM (
                SELECT ar.article_id, ar.published_date, ar.date_precision, ar.title, ar.body,
                       {INDEX_SCHEMA}.match_bm25(ar.article_id, ?) AS score, ar.duplicate_of
                FROM articles ar WHERE true {dup})
            WHERE score IS NOT NULL ORDER BY score DESC LIMIT ?""",
        [text, limit],
    ).df()
    return _with_snippets(df, text)


def _ilike(con: duckdb.DuckDBPyConnection, text: str, limit: int, dup: str) -> pd.DataFrame:
    words = [w for w in re.split(r"\W+", text) if w][:8] or [text]
    conds = " AND ".join("(ar.title || ' ' || ar.body) ILIKE ?" for _ in words)
    escaped = ["%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for w in words]
    conds = conds.replace("ILIKE ?", "ILIKE ? ESCAPE '\\'")
    df = con.execute(
        f"""SELECT ar.article_id, ar.published_date, ar.date_precision, ar.title, ar.body,
                   1.0 AS score, ar.duplicate_of
            FROM articles ar WHERE {conds} {dup} ORDER BY ar.published_date DESC LIMIT ?""",
        [*escaped, limit],
    ).df()
    return _with_snippets(df, text)


def _with_snippets(df: pd.DataFrame, text: str) -> pd.DataFrame:
    """Replace `body` by a short excerpt around the first query word (or its stem) found."""
    stems = [w[: max(4, len(w) - 3)].lower() for w in re.split(r"\W+", text) if w]
    df["snippet"] = [snippet(body, stems) for body in df["body"]]
    return df[COLUMNS]


def snippet(body: str, stems: list[str], width: int = 220) -> str:
    low = body.lower()
    hits = [i for i in (low.find(s) for s in stems) if i >= 0]
    at = min(hits) if hits else 0
    start = max(0, at - width // 3)
    text = body[start : start + width].replace("\n", " ")
    return ("… " if start else "") + text + (" …" if start + width < len(body) else "")
