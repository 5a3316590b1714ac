"""Numbered SQL migrations (warehouse/migrations/NNN_name.sql), applied once each, recorded."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

import duckdb

from warehouse.db import transaction

_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """All migrations shipped with the package, in order."""
    found = []
    for entry in resources.files("warehouse.migrations").iterdir():
        m = _NAME.match(entry.name)
        if m:
            found.append(Migration(int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda mig: mig.version)


def latest_version() -> int:
    return migrations()[-1].version


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest applied migration, 0 for an empty database."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0) if row else 0


def applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    """Every migration recorded as applied (a migration numbered below the highest one still runs once
    if it arrived later)."""
    return {int(r[0]) for r in con.execute("SELECT version FROM schema_migrations").fetchall()}


def migrate(con: duckdb.DuckDBPyConnection, adapt: Callable[[str], str] | None = None,
            upto: int | None = None) -> list[int]:
    """Apply pending migrations (up to version `upto`), each in its own transaction; return the versions applied.

    `adapt` rewrites each statement first (DuckLake: no PRIMARY KEY/UNIQUE/CHECK constraints).
    """
    adapt = adapt or (lambda sql: sql)
    con.execute(adapt(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    ))
    done = applied_versions(con)
    applied = []
    for mig in migrations():
        if mig.version in done or (upto is not None and mig.version > upto):
            continue
        with transaction(con):
            # read again inside the transaction: another process (services starting together) may have
            # applied it since `done` was read; its SQL would meet the migrated schema
            if con.execute("SELECT 1 FROM schema_migrations WHERE version = ?", [mig.version]).fetchone():
                continue
            con.execute(adapt(mig.sql))
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)", [mig.version, mig.name]
            )
        applied.append(mig.version)
    return applied
