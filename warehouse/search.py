"""Full-text search over articles: the tantivy index beside the warehouse (German stemming, BM25),
ILIKE on the warehouse when there is no index yet.

The index is kept current by the load step (warehouse/search_index.py); searching reads it without
touching the warehouse, so a search never waits for the warehouse's write lock.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import duckdb
import pandas as pd
import tantivy

from warehouse import search_index
from warehouse.db import connect
from warehouse.queries.read import READ_TIMEOUT

log = logging.getLogger(__name__)
COLUMNS = ["article_id", "published_date", "date_precision", "title", "snippet", "score", "duplicate_of"]
SNIPPET_CHARS = 220
_SYNTAX = re.compile(r'[+\-&|!(){}\[\]^~*?:\\/<>=]')


def index_stamp(target: str | Path) -> int:
    """Changes whenever the search index commits (0 without an index)."""
    try:
        return (search_index.index_dir(target) / "meta.json").stat().st_mtime_ns
    except (OSError, search_index.IndexUnavailable):
        return 0


def rebuild_index(target: str | Path, timeout: float = 600.0) -> bool:
    """Re-index every article (recovery; the load step keeps the index current); False without a place for it."""
    try:
        search_index.rebuild(target, timeout)
    except search_index.IndexUnavailable:
        return False
    return True


def search(
    target: str | Path, text: str, limit: int = 50, include_duplicates: bool = False
) -> tuple[pd.DataFrame, str]:
    """Articles matching `text`, best first, and the method used: 'fts' (the index) or 'ilike'."""
    text = text.strip()
    if not text:
        return pd.DataFrame(columns=COLUMNS), "none"
    try:
        index = search_index.open_index(target)
    except search_index.IndexUnavailable:
        index = None
    if index is not None:
        return _indexed(index, text, limit, include_duplicates), "fts"
    with connect(target, read_only=True, timeout=READ_TIMEOUT) as con:
        return _ilike(con, text, limit, include_duplicates), "ilike"


def parse(index: tantivy.Index, text: str) -> tantivy.Query:
    """The user's words (and "quoted phrases") over title and body; query syntax is taken as words."""
    plain = _SYNTAX.sub(" ", text)
    if plain.count('"') % 2:
        plain = plain.replace('"', " ")
    return index.parse_query_lenient(plain, ["title", "body"])[0]


def _indexed(index: tantivy.Index, text: str, limit: int, include_duplicates: bool) -> pd.DataFrame:
    index.reload()
    searcher = index.searcher()
    query = parse(index, text)
    wanted = query
    if not include_duplicates:
        copies = tantivy.Query.term_query(index.schema, "copy", True)
        wanted = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.MustNot, copies)])
    hits = searcher.search(wanted, limit).hits
    stems = _stems(text)
    rows = []
    for score, address in hits:
        doc = searcher.doc(address)
        rows.append({
            "article_id": doc.get_first("article_id"),
            "published_date": pd.Timestamp(doc.get_first("published_date")).date(),
            "date_precision": doc.get_first("date_precision"), "title": doc.get_first("title"),
            "snippet": snippet(doc.get_first("body") or "", stems), "score": float(score),
            "duplicate_of": doc.get_first("duplicate_of") or None,
        })
    return pd.DataFrame(rows, columns=COLUMNS)


def _stems(text: str) -> list[str]:
    """Word starts that find inflected forms in the text (Sanktion → sankt… finds Sanktionen)."""
    return [w[: max(4, len(w) - 3)].lower() for w in re.split(r"\W+", text) if w]


def _ilike(con: duckdb.DuckDBPyConnection, text: str, limit: int, include_duplicates: bool) -> pd.DataFrame:
    words = [w for w in re.split(r"\W+", text) if w][:8] or [text]
    conds = " AND ".join("(ar.title || ' ' || ar.body) ILIKE ? ESCAPE '\\'" for _ in words)
    escaped = ["%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for w in words]
    dup = "" if include_duplicates else "AND ar.duplicate_of IS NULL"
    df = con.execute(
        f"""SELECT ar.article_id, ar.published_date, ar.date_precision, ar.title, ar.body,
                   1.0 AS score, ar.duplicate_of
            FROM articles ar WHERE {conds} {dup} ORDER BY ar.published_date DESC LIMIT ?""",
        [*escaped, limit],
    ).df()
    df["snippet"] = [snippet(body, _stems(text)) for body in df["body"]]
    return df[COLUMNS]


def snippet(body: str, stems: list[str], width: int = SNIPPET_CHARS) -> str:
    """A short excerpt around the first of `stems` found in `body` (its start when none is)."""
    low = body.lower()
    hits = [i for i in (low.find(s) for s in stems) if i >= 0]
    at = min(hits) if hits else 0
    start = max(0, at - width // 3)
    text = body[start : start + width].replace("\n", " ")
    return ("… " if start else "") + text + (" …" if start + width < len(body) else "")
