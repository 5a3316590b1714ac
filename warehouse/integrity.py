"""Integrity checks of a warehouse in SQL: schema, storage, orphans, offsets, log ↔ articles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from warehouse.data_checks import check_by_name
from warehouse.schema import current_version, latest_version

LogFile = tuple[str, str, str | None, int | None]  # file, status, destination, line of an ingest_log row

EXAMPLES = 20  # problems listed per check; the count is always exact

# child table, column, parent table, parent column (NULLs in the child column are allowed)
REFERENCES = (
    ("sentences", "article_id", "articles", "article_id"),
    ("mentions", "article_id", "articles", "article_id"),
    ("mentions", "actor_id", "actors", "actor_id"),
    ("article_themes", "article_id", "articles", "article_id"),
    ("article_themes", "theme_id", "themes", "theme_id"),
    ("sentence_themes", "article_id", "articles", "article_id"),
    ("sentence_themes", "theme_id", "themes", "theme_id"),
    ("quotes", "article_id", "articles", "article_id"),
    ("quotes", "actor_id", "actors", "actor_id"),
    ('"overlaps"', "article_id", "articles", "article_id"),
    ('"overlaps"', "other_id", "articles", "article_id"),
    ("article_bands", "article_id", "articles", "article_id"),
    ("article_passages", "article_id", "articles", "article_id"),
    ("articles", "duplicate_of", "articles", "article_id"),
)


@dataclass
class Check:
    """One named check: ok, a one-line summary, and examples of what is wrong."""

    name: str
    ok: bool
    summary: str
    problems: list[str] = field(default_factory=list)
    count: int = 0

    @classmethod
    def of(cls, name: str, problems: list[str], count: int, ok_summary: str, fail_summary: str) -> Check:
        return cls(name, count == 0, ok_summary if count == 0 else fail_summary.format(n=count),
                   problems[:EXAMPLES], count)


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[Any, ...]:
    row = con.execute(sql).fetchone()
    assert row is not None, sql
    return row


def run_all(con: duckdb.DuckDBPyConnection) -> list[Check]:
    """Every SQL check, in the order a reader should see them."""
    return [schema_version(con), storage(con), unique_articles(con), *dates_and_themes(con), orphans(con),
            offsets(con), *numbers(con), log_matches_articles(con), destinations_unique(con)]


def schema_version(con: duckdb.DuckDBPyConnection) -> Check:
    have, want = current_version(con), latest_version()
    problems = [] if have == want else [f"schema version {have}, this Lagebild expects {want}: run `lagebild ingest` "
                                        "or `lagebild watch` once to migrate"]
    return Check.of("schema version", problems, len(problems), f"version {have} (latest)", "version {n} behind")


def tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' "
        "ORDER BY table_name").fetchall()]


def storage(con: duckdb.DuckDBPyConnection) -> Check:
    """Read every row of every table (DuckDB verifies block checksums on read); hash them."""
    problems, rows = [], 0
    size = con.execute("PRAGMA database_size").fetchone()
    for table in tables(con):
        try:
            count, _digest = _one(con, f'SELECT count(*), bit_xor(hash(t)) FROM "{table}" t')
            rows += int(count)
        except duckdb.Error as exc:
            problems.append(f"{table}: cannot be read in full: {exc}")
    summary = f"{len(tables(con))} tables, {rows} rows read, file {size[1] if size else '?'}"
    return Check.of("storage", problems, len(problems), summary, "{n} table(s) unreadable")


def unique_articles(con: duckdb.DuckDBPyConnection) -> Check:
    total = _one(con, "SELECT count(*) FROM articles")[0]
    return declared(con, "articles once", f"{total} articles, each once", "{n} article(s) twice")


def declared(con: duckdb.DuckDBPyConnection, name: str, ok_summary: str, fail_summary: str) -> Check:
    """A declared data check (warehouse/data_checks.py) over the whole warehouse."""
    check = check_by_name(name)
    rows = check.failures(con)
    return Check.of(name, [check.describe(r) for r in rows[:EXAMPLES]], len(rows), ok_summary, fail_summary)


def orphans(con: duckdb.DuckDBPyConnection) -> Check:
    """Rows pointing at an article, actor or theme that does not exist."""
    problems, total = [], 0
    for child, column, parent, key in REFERENCES:
        n = _one(con, f"SELECT count(*) FROM {child} c WHERE c.{column} IS NOT NULL "  # names are ours
                 f"AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.{key} = c.{column})")[0]
        if n:
            total += n
            problems.append(f"{n} row(s) of {child.strip(chr(34))}.{column} point at no {parent} row")
    return Check.of("orphan rows", problems, total, "every mention, sentence, theme, quote has its parent",
                    "{n} orphan row(s)")


def offsets(con: duckdb.DuckDBPyConnection) -> Check:
    """Mention, quote and sentence offsets lie inside the body; mention offsets point at the surface."""
    return declared(con, "offsets", "all offsets point into the stored text", "{n} bad offset(s)")


def numbers(con: duckdb.DuckDBPyConnection) -> list[Check]:
    """Every article has a number of its own and its rows carry it, every mention its actor's number (they
    are read by them, migration 021)."""
    return [declared(con, "article numbers", "every article and its rows carry its own number",
                     "{n} row(s) with a missing or wrong article number"),
            declared(con, "actor numbers", "every mention carries its actor's number",
                     "{n} mention(s) with a wrong actor number")]


def dates_and_themes(con: duckdb.DuckDBPyConnection) -> list[Check]:
    return [declared(con, "published dates", "every article has its date", "{n} article(s) without a date"),
            declared(con, "known themes", "every theme of an article is in themes", "{n} unknown theme row(s)")]


def log_matches_articles(con: duckdb.DuckDBPyConnection) -> Check:
    """Each loaded file's article exists; each article was recorded as loaded from its file."""
    missing = con.execute(
        """SELECT file, article_id FROM ingest_log l WHERE status = 'loaded' AND line IS NULL
           AND article_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = l.article_id)"""
    ).fetchall()
    unlogged = con.execute(
        """SELECT article_id, source_file FROM articles a WHERE NOT EXISTS (
             SELECT 1 FROM ingest_log l WHERE l.file = a.source_file AND l.status = 'loaded' AND l.line IS NULL
             AND l.run_id IS NOT DISTINCT FROM a.run_id)"""
    ).fetchall()
    problems = [f"{f}: logged as loaded, but article {a} is not stored" for f, a in missing]
    problems += [f"article {a}: no 'loaded' ingest_log row for its file {f!r}" for a, f in unlogged]
    return Check.of("log ↔ articles", problems, len(problems), "every loaded file has its rows and vice versa",
                    "{n} mismatch(es)")


def destinations_unique(con: duckdb.DuckDBPyConnection) -> Check:
    rows = con.execute(
        """SELECT destination, count(*) FROM ingest_log WHERE line IS NULL AND destination IS NOT NULL
           GROUP BY ALL HAVING count(*) > 1"""
    ).fetchall()
    problems = [f"{d}: recorded for {n} files" for d, n in rows]
    return Check.of("one file per destination", problems, len(rows), "no two files share a destination",
                    "{n} destination(s) shared")


def recorded_files(con: duckdb.DuckDBPyConnection) -> list[LogFile]:
    """(file, status, destination, line) of every ingest_log row, for the file-system checks."""
    return [(r[0], r[1], r[2], r[3]) for r in con.execute(
        "SELECT file, status, destination, line FROM ingest_log ORDER BY \"at\", file").fetchall()]
