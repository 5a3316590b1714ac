"""The full-text index of the articles: a tantivy index folder beside the warehouse, German stemming.

The warehouse stays the source of truth. The load step adds each run's articles after the warehouse
committed them (`index_runs`); `catch_up` compares the runs of both sides and repairs the index after a
crash between the two commits; `rebuild` re-indexes everything (recovery only). One writer at a time
(tantivy's own lock file, taken inside the ingest lock); any number of readers in any process.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

from warehouse.db import connect

log = logging.getLogger("lagebild.search")
TOKENIZER = "de_stem"
FETCH = 500  # articles read from the warehouse per round trip
WRITER_HEAP = 64_000_000  # bytes; the writer commits a segment internally beyond this
RUNS_PER_COMMIT = 2_000  # catch-up commits every this many runs (bounded work per commit)
_ARTICLES = """SELECT article_id, coalesce(run_id, ''), title, body, published_date, date_precision,
                      duplicate_of FROM articles"""


class IndexUnavailable(RuntimeError):
    """This warehouse has no place for an index folder (a DuckLake on PostgreSQL)."""


@dataclass(frozen=True)
class Sync:
    """What `catch_up` found and did."""

    indexed: int  # articles added
    removed_runs: int  # runs in the index that the warehouse no longer holds
    documents: int  # documents in the index afterwards


def index_dir(target: str | Path) -> Path:
    """`DATA/lagebild.search/` for `DATA/lagebild.duckdb` (and beside a DuckLake's catalog file)."""
    from warehouse import ducklake

    if ducklake.is_ducklake(target):
        catalog = ducklake.parse(str(target)).catalog_file
        if catalog is None:
            raise IndexUnavailable("a DuckLake with a PostgreSQL catalog has no search index folder")
        target = catalog
    path = Path(target)
    return path.with_name(path.stem + ".search")


def schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("article_id", stored=True, tokenizer_name="raw")
    sb.add_text_field("run_id", stored=False, fast=True, tokenizer_name="raw")
    sb.add_text_field("title", stored=True, tokenizer_name=TOKENIZER)
    sb.add_text_field("body", stored=True, tokenizer_name=TOKENIZER)
    sb.add_text_field("published_date", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("date_precision", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("duplicate_of", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_boolean_field("copy", stored=False, indexed=True)
    return sb.build()


def analyzer() -> tantivy.TextAnalyzer:
    """Words, at most 40 characters, lower case, Snowball's German stemmer (Sanktionen → sanktion)."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.stemmer("german")).build())


def open_index(target: str | Path, create: bool = False) -> tantivy.Index | None:
    """The index of this warehouse (None when there is none and `create` is false)."""
    folder = index_dir(target)
    if not (folder / "meta.json").exists():
        if not create:
            return None
        folder.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(schema(), path=str(folder))
    else:
        index = tantivy.Index.open(str(folder))
    index.register_tokenizer(TOKENIZER, analyzer())
    return index


@contextmanager
def _writer(index: tantivy.Index) -> Iterator[Any]:
    """A writer whose changes are committed when the block ends (rolled back on an exception);
    segment merges started by the commit are waited for, so the index never piles up segments."""
    writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
    try:
        yield writer
    except BaseException:
        writer.rollback()
        raise
    writer.commit()
    writer.wait_merging_threads()


def _document(row: Sequence[Any]) -> tantivy.Document:
    article_id, run_id, title, body, published, precision, duplicate_of = row
    return tantivy.Document(article_id=article_id, run_id=run_id, title=title, body=body,
                            published_date=published.isoformat(), date_precision=precision,
                            duplicate_of=duplicate_of or "", copy=duplicate_of is not None)


def _add(writer: Any, target: str | Path, where: str, params: list[Any], timeout: float) -> int:
    """Read the matching articles from the warehouse and (re)place them in the index."""
    added = 0
    with connect(target, read_only=True, timeout=timeout) as con:
        cursor = con.execute(f"{_ARTICLES} WHERE {where}", params)  # `where` is ours, values are parameters
        while rows := cursor.fetchmany(FETCH):
            for row in rows:
                writer.delete_documents_by_term("article_id", row[0])
                writer.add_document(_document(row))
            added += len(rows)
    return added


def index_runs(target: str | Path, run_ids: Iterable[str], timeout: float = 60.0) -> int:
    """Add the articles of these runs (committed in the warehouse) in one index commit; returns them."""
    runs = sorted(set(run_ids))
    if not runs:
        return 0
    index = open_index(target, create=True)
    assert index is not None
    with _writer(index) as writer:
        return _add(writer, target, "coalesce(run_id, '') IN (SELECT unnest(?))", [runs], timeout)


def in_step(target: str | Path, timeout: float = 60.0) -> bool:
    """Whether the index holds as many documents as the warehouse holds articles (then they agree:
    the index only ever misses or keeps whole runs)."""
    index = open_index(target)
    with connect(target, read_only=True, timeout=timeout) as con:
        row = con.execute("SELECT count(*) FROM articles").fetchone()
    total = int(row[0]) if row else 0
    return index.searcher().num_docs == total if index is not None else total == 0


def catch_up(target: str | Path, timeout: float = 60.0) -> Sync:
    """Make the index hold exactly the warehouse's articles, run by run (cheap when they agree)."""
    index = open_index(target, create=True)
    assert index is not None
    with connect(target, read_only=True, timeout=timeout) as con:
        row = con.execute("SELECT count(*) FROM articles").fetchone()
        total = int(row[0]) if row else 0
        index.reload()
        if index.searcher().num_docs == total:
            return Sync(0, 0, total)
        stored = dict(con.execute(
            "SELECT coalesce(run_id, ''), count(*) FROM articles GROUP BY ALL").fetchall())
    indexed = _indexed_runs(index)
    stale = [r for r in indexed if r not in stored]
    missing = [r for r, n in stored.items() if indexed.get(r) != n]
    added = 0
    if stale:
        with _writer(index) as writer:
            for run in stale:
                writer.delete_documents_by_term("run_id", run)
    for start in range(0, len(missing), RUNS_PER_COMMIT):
        added += index_runs(target, missing[start : start + RUNS_PER_COMMIT], timeout)
    index.reload()
    return Sync(added, len(stale), index.searcher().num_docs)


def _indexed_runs(index: tantivy.Index) -> dict[str, int]:
    """run_id → documents, from the index's own run_id column."""
    searcher = index.searcher()
    size = max(searcher.num_docs, 1)
    found = searcher.aggregate(tantivy.Query.all_query(), {"runs": {"terms": {"field": "run_id", "size": size}}})
    return {b["key"]: int(b["doc_count"]) for b in found["runs"]["buckets"]}


def rebuild(target: str | Path, timeout: float = 60.0) -> int:
    """Drop every document and index all articles again, in one commit: readers see the old index
    until it is done. Recovery only: the load step keeps the index current."""
    index = open_index(target, create=True)
    assert index is not None
    with _writer(index) as writer:
        writer.delete_all_documents()
        return _add(writer, target, "true", [], timeout)
