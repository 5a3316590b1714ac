"""Bulk load of one batch inside one transaction: Arrow tables registered, INSERT … SELECT."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from lagebild.article import Article
from lagebild.enrich.model import Actor, Enrichment
from warehouse.summaries import actor_numbers


@dataclass(frozen=True)
class LogRow:
    """One row of ingest_log."""

    file: str
    sha256: str
    status: str  # loaded | duplicate | rejected
    reason: str | None = None
    line: int | None = None
    article_id: str | None = None
    destination: str | None = None


@dataclass(frozen=True)
class RunRow:
    run_id: str
    flow_run_id: str | None
    started_at: datetime
    status: str
    files: int = 0
    loaded: int = 0
    duplicates: int = 0
    rejected: int = 0
    articles: int = 0
    message: str | None = None


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, rows: Sequence[Mapping[str, object]],
               schema: pa.Schema | None = None) -> Iterator[str]:
    """The rows as an Arrow table visible to SQL under `name` for the length of the block."""
    con.register(name, pa.Table.from_pylist(list(rows), schema=schema))
    try:
        yield name
    finally:
        con.unregister(name)


def insert_rows(
    con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Mapping[str, object]], columns: Sequence[str],
    stage: bool = False,
) -> int:
    """INSERT the rows (dicts) into `table` through a registered Arrow table; returns the count."""
    return insert_columns(con, table, {c: [r.get(c) for r in rows] for c in columns}, stage)


# The tables whose new rows the load step also keeps in a temporary table of their own for the rest of its
# transaction (`staged`): the summaries and the data checks read a batch's rows there instead of finding them
# among every stored row by article id, a scan that grows with the warehouse (at 100k articles ~0.2 s of
# each transaction).
STAGED_TABLES = ("articles", "sentences", "mentions", "article_themes", "sentence_themes", "quotes")


def staged(table: str) -> str:
    """The temporary table that holds the rows this transaction's load step inserted into `table`."""
    return f"_staged_{table}"


STAGED = {table: staged(table) for table in STAGED_TABLES}  # raw table -> its staged table


def drop_staged(con: duckdb.DuckDBPyConnection) -> None:
    for table in STAGED.values():  # names are ours, not input
        con.execute(f"DROP TABLE IF EXISTS {table}")


def insert_columns(con: duckdb.DuckDBPyConnection, table: str, columns: Mapping[str, Sequence[object]],
                   stage: bool = False) -> int:
    """INSERT columns of equal length (name -> values) into `table` through a registered Arrow table; with
    `stage`, also into `staged(table)`, created empty with the table's columns even when there are no rows."""
    if stage:
        con.execute(f'CREATE OR REPLACE TEMP TABLE {staged(table)} AS SELECT * FROM "{table}" LIMIT 0')
    count = len(next(iter(columns.values()), ()))
    if not count:
        return 0
    cols = ", ".join(f'"{c}"' for c in columns)
    view = f"_batch_{table}"
    con.register(view, pa.table({c: pa.array(v) for c, v in columns.items()}))
    try:
        for target in (f'"{table}"', *([staged(table)] if stage else [])):  # names are ours, not input
            con.execute(f"INSERT INTO {target} ({cols}) SELECT {cols} FROM {view}")
    finally:
        con.unregister(view)
    return count


def stored_articles(con: duckdb.DuckDBPyConnection, ids: Iterable[str], columns: str) -> list[tuple[Any, ...]]:
    """(article_id, *columns) of the stored articles among `ids`; `columns` is SQL of ours, never input."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    return con.execute(
        f"SELECT article_id, {columns} FROM articles WHERE article_id IN (SELECT unnest(?))", [wanted]
    ).fetchall()


def existing_articles(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> dict[str, str]:
    """article_id -> source_file for the ids already in the warehouse."""
    return dict(stored_articles(con, ids, "source_file"))


def recorded_files(con: duckdb.DuckDBPyConnection, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], LogRow]:
    """Whole-file ingest_log rows for (file, sha256) pairs: files committed before a crash."""
    wanted = sorted(set(pairs))
    if not wanted:
        return {}
    rows = con.execute(
        """SELECT file, sha256, status, reason, destination FROM ingest_log
           WHERE line IS NULL AND (file, sha256) IN (SELECT (unnest(?), unnest(?)))
           ORDER BY "at" """,
        [[p[0] for p in wanted], [p[1] for p in wanted]],
    ).fetchall()
    return {(r[0], r[1]): LogRow(r[0], r[1], r[2], r[3], destination=r[4]) for r in rows}


@dataclass(frozen=True)
class FileOutcome:
    """What became of one inbox file: its whole-file ingest_log row and the new articles it brought."""

    file: str
    status: str  # loaded | duplicate | rejected
    reason: str | None
    destination: str | None
    articles: int


def file_outcomes(con: duckdb.DuckDBPyConnection, files: Sequence[str], since: datetime) -> dict[str, FileOutcome]:
    """The latest outcome recorded after `since` of each of these files (names relative to the inbox),
    whichever process loaded them; a file with none is not in the result."""
    if not files:
        return {}
    rows = con.execute(
        """WITH latest AS (
               SELECT file, status, reason, destination, run_id FROM ingest_log
               WHERE line IS NULL AND "at" > ? AND file IN (SELECT unnest(?))
               QUALIFY row_number() OVER (PARTITION BY file ORDER BY "at" DESC) = 1)
           SELECT l.file, l.status, l.reason, l.destination,
                  (SELECT count(*) FROM articles a WHERE a.source_file = l.file AND a.run_id = l.run_id)
           FROM latest l ORDER BY l.file""",
        [since, sorted(set(files))],
    ).fetchall()
    return {r[0]: FileOutcome(r[0], r[1], r[2], r[3], int(r[4])) for r in rows}


def article_rows(articles: Sequence[Article], duplicate_of: dict[str, str], run_id: str,
                 versions: dict[str, str], now: datetime) -> list[dict[str, object]]:
    return [
        {
            "article_id": a.article_id, "published_date": a.published_date, "date_precision": a.date_precision,
            "published_at": a.published_at, "title": a.title, "body": a.body, "source_file": a.source_file,
            "source_line": a.line, "source": a.source, "url": a.url, "word_count": a.word_count,
            "duplicate_of": duplicate_of.get(a.article_id), "ingested_at": now, "run_id": run_id,
            "enrich_version": versions.get(a.article_id),
        }
        for a in articles
    ]


ARTICLE_COLUMNS = (
    "article_id", "published_date", "date_precision", "published_at", "title", "body", "source_file",
    "source_line", "source", "url", "word_count", "duplicate_of", "ingested_at", "run_id", "enrich_version",
)


def insert_articles(con: duckdb.DuckDBPyConnection, rows: Sequence[Mapping[str, object]],
                    stage: bool = False) -> dict[str, int]:
    """INSERT article rows (`article_rows`), numbered in order from one past the greatest `article_key`
    stored (migration 021); returns article_id -> article_key."""
    row = con.execute("SELECT coalesce(max(article_key), 0) + 1 FROM articles").fetchone()
    first = int(row[0]) if row else 1
    keys = {str(r["article_id"]): first + i for i, r in enumerate(rows)}
    insert_rows(con, "articles", [{**r, "article_key": keys[str(r["article_id"])]} for r in rows],
                (*ARTICLE_COLUMNS, "article_key"), stage)
    return keys


def article_keys(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> dict[str, int]:
    """article_id -> article_key of the stored articles among `ids`."""
    return {r[0]: int(r[1]) for r in stored_articles(con, ids, "article_key") if r[1] is not None}


def insert_enrichments(con: duckdb.DuckDBPyConnection, enrichments: Sequence[Enrichment], stage: bool = False,
                       keys: Mapping[str, int] | None = None) -> None:
    """Sentences, mentions, themes, quotes and actors of the given enrichments (built column by column), each
    row with its article's `article_key` (from `keys`, else read from `articles`: store the articles first),
    a mention with its actor's `actor_key`; `stage`: their rows also in `staged` tables."""
    ids = [e.article_id for e in enrichments]
    keys = keys if keys is not None else article_keys(con, ids)
    missing = sorted(set(ids) - set(keys))
    if missing:
        raise ValueError(f"enrichment rows for {len(missing)} article(s) that are not stored or have no "
                         f"article_key: {', '.join(missing[:5])}; insert the articles first (insert_articles)")
    sentences = _columns(("article_id", "article_key", "sentence", "start_char", "end_char"))
    mentions, quotes = _columns(MENTION_COLUMNS), _columns(QUOTE_COLUMNS)
    themes = _columns(("article_id", "article_key", "theme_id", "score", "evidence"))
    sthemes = _columns(("article_id", "article_key", "sentence", "theme_id", "score", "evidence"))
    for e in enrichments:
        aid, key = e.article_id, keys[e.article_id]
        for s in e.sentences:
            _append(sentences, (aid, key, s.index, s.start_char, s.end_char))
        for m in e.mentions:
            _append(mentions, (aid, key, m.actor_id, m.surface, m.sentence, m.start_char, m.end_char, m.method,
                               m.role, m.metonym))
        for t in e.themes:
            _append(themes, (aid, key, t.theme_id, t.score, list(t.evidence)))
        for st in e.sentence_themes:
            _append(sthemes, (aid, key, st.sentence, st.theme_id, st.score, list(st.evidence)))
        for q in e.quotes:
            _append(quotes, (aid, key, q.actor_id, q.speaker_text, q.cue, q.quote, q.start_char, q.end_char,
                             q.kind, q.sentence, q.speaker_start, q.speaker_end, q.cue_start, q.cue_end,
                             list(q.targets), list(q.themes)))
    numbers = actor_numbers(con, mentions["actor_id"], mentions["article_id"])
    mentions["actor_key"] = [numbers[str(a)] for a in mentions["actor_id"]]
    insert_columns(con, "sentences", sentences, stage)
    insert_columns(con, "mentions", mentions, stage)
    insert_columns(con, "article_themes", themes, stage)
    insert_columns(con, "sentence_themes", sthemes, stage)
    insert_columns(con, "quotes", quotes, stage)
    upsert_actors(con, [a for e in enrichments for a in e.actors])


def _columns(names: Sequence[str]) -> dict[str, list[object]]:
    return {n: [] for n in names}


def _append(columns: dict[str, list[object]], values: Sequence[object]) -> None:
    for column, value in zip(columns.values(), values, strict=True):
        column.append(value)


MENTION_COLUMNS = ("article_id", "article_key", "actor_id", "surface", "sentence", "start_char", "end_char",
                   "method", "role", "metonym")
QUOTE_COLUMNS = ("article_id", "article_key", "actor_id", "speaker_text", "cue", "quote", "start_char", "end_char",
                 "kind", "sentence", "speaker_start", "speaker_end", "cue_start", "cue_end", "targets", "themes")


def _fields(obj: object, names: Sequence[str]) -> dict[str, object]:
    return {n: getattr(obj, n) for n in names}


def upsert_actors(con: duckdb.DuckDBPyConnection, actors: Iterable[Actor]) -> None:
    """Registry actors replace their row; discovered actors are added only when new."""
    unique = {a.actor_id: a for a in actors}
    rows = [_fields(a, ("actor_id", "name", "kind", "country", "origin", "role")) for a in unique.values()]
    if not rows:
        return
    with registered(con, "_batch_actors", rows):
        replace_rows(con, "actors", "actor_id", "_batch_actors", ("name", "kind", "country", "origin", "role"),
                     "origin = 'registry'")
        con.execute("""INSERT INTO actors SELECT actor_id, name, kind, country, origin, role
                       FROM _batch_actors b WHERE origin <> 'registry'
                       AND NOT EXISTS (SELECT 1 FROM actors x WHERE x.actor_id = b.actor_id)""")


def upsert_themes(con: duckdb.DuckDBPyConnection, themes: Iterable[tuple[str, str]]) -> None:
    rows = [{"theme_id": t, "label": label} for t, label in themes]
    if rows:
        with registered(con, "_batch_themes", rows):
            replace_rows(con, "themes", "theme_id", "_batch_themes", ("label",))


def insert_log(con: duckdb.DuckDBPyConnection, rows: Sequence[LogRow], run_id: str, now: datetime) -> None:
    cols = ("file", "sha256", "status", "reason", "at", "run_id", "line", "article_id", "destination")
    insert_rows(con, "ingest_log", [{**_fields(r, cols[:4]), "at": now, "run_id": run_id,
                                     **_fields(r, cols[6:])} for r in rows], cols)


def insert_run(con: duckdb.DuckDBPyConnection, run: RunRow, finished_at: datetime | None) -> None:
    row = {"run_id": run.run_id, "flow_run_id": run.flow_run_id, "started_at": run.started_at,
           "finished_at": finished_at, "status": run.status, "files": run.files, "loaded": run.loaded,
           "duplicates": run.duplicates, "rejected": run.rejected, "articles": run.articles, "message": run.message}
    schema = pa.schema([("run_id", pa.string()), ("flow_run_id", pa.string()), ("started_at", pa.timestamp("us")),
                        ("finished_at", pa.timestamp("us")), ("status", pa.string()), ("files", pa.int32()),
                        ("loaded", pa.int32()), ("duplicates", pa.int32()), ("rejected", pa.int32()),
                        ("articles", pa.int32()), ("message", pa.string())])
    with registered(con, "_batch_run", [row], schema):
        replace_rows(con, "ingest_runs", "run_id", "_batch_run", tuple(row)[1:])


def record_failed_run(con: duckdb.DuckDBPyConnection, run: RunRow, finished_at: datetime) -> None:
    """Mark a run failed; a run whose rows were committed keeps its counts (only status and message change)."""
    updated = con.execute(
        "UPDATE ingest_runs SET status = 'failed', message = ?, finished_at = ? WHERE run_id = ? RETURNING run_id",
        [run.message, finished_at, run.run_id],
    ).fetchall()
    if not updated:
        insert_run(con, run, finished_at)


def replace_rows(con: duckdb.DuckDBPyConnection, table: str, key: str, source: str, columns: Sequence[str],
                 where: str = "true") -> None:
    """INSERT OR REPLACE in portable SQL (DuckLake has no keys): update rows whose key exists, insert the rest.

    Table, column names and `where` are ours, never input.
    """
    sets = ", ".join(f'"{c}" = s."{c}"' for c in columns)
    con.execute(f'UPDATE "{table}" SET {sets} FROM (SELECT * FROM {source} WHERE {where}) s '
                f'WHERE "{table}"."{key}" = s."{key}"')
    cols = ", ".join(f'"{c}"' for c in (key, *columns))
    con.execute(f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM {source} s WHERE {where} '
                f'AND NOT EXISTS (SELECT 1 FROM "{table}" x WHERE x."{key}" = s."{key}")')
