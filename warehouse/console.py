"""Ad hoc, read-only SQL for analysts (CLI and dashboard), locked down against the host."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from warehouse.db import connect

if TYPE_CHECKING:
    import pandas as pd

# No file access, no extension loading, bounded memory and no spill files on the host's disk,
# settings frozen: a query can only read the warehouse.
LOCKED_DOWN = {
    "enable_external_access": "false",
    "autoinstall_known_extensions": "false",
    "autoload_known_extensions": "false",
    "memory_limit": "1GB",
    "temp_directory": "",
    "lock_configuration": "true",
}
DEFAULT_ROW_LIMIT = 10_000
DEFAULT_TIMEOUT = 30.0


class QueryError(ValueError):
    """A query the console refused or DuckDB could not run; the message is for the user."""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool  # more rows existed than the row limit

    @property
    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame (the dashboard's table). pandas is imported here only: `lagebild sql`
        prints the rows without it and starts ~0.2 s sooner."""
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns)


def run_query(target: str | Path, sql: str, *, row_limit: int = DEFAULT_ROW_LIMIT,
              timeout: float = DEFAULT_TIMEOUT, lock_timeout: float = 30.0) -> QueryResult:
    """Run one statement on a read-only, locked-down connection; interrupt it after `timeout` s."""
    if not sql.strip():
        raise QueryError("empty query")
    with connect(target, read_only=True, timeout=lock_timeout, config=dict(LOCKED_DOWN)) as con:
        _only_queries(con, sql)
        timer = threading.Timer(timeout, con.interrupt)
        timer.start()
        try:
            cursor = con.execute(sql)
            rows = cursor.fetchmany(row_limit + 1) if cursor.description is not None else []
            if cursor.description is None:
                return QueryResult([], [], False)
            columns = [d[0] for d in cursor.description]
        except duckdb.InterruptException:
            raise QueryError(f"query stopped after {timeout:.0f} s (the time limit); narrow it down") from None
        except duckdb.Error as exc:
            raise QueryError(_friendly(exc)) from None
        finally:
            timer.cancel()
    return QueryResult(columns, rows[:row_limit], len(rows) > row_limit)


ALLOWED_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


def _only_queries(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """One reading statement (SELECT, WITH, FROM, SHOW, DESCRIBE, SUMMARIZE, EXPLAIN), nothing else."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(_friendly(exc)) from None
    if len(statements) != 1:
        raise QueryError(f"one statement at a time, please (found {len(statements)})")
    kind = statements[0].type
    if kind not in ALLOWED_STATEMENTS:
        raise QueryError(f"not allowed: the SQL console is read-only and runs queries only "
                         f"(SELECT, WITH, SHOW, DESCRIBE, EXPLAIN), not {kind.name}")


def _friendly(exc: duckdb.Error) -> str:
    text = str(exc).strip()
    if isinstance(exc, duckdb.PermissionException) or "disabled by configuration" in text:
        return f"not allowed: the SQL console reads the warehouse only (no files, no extensions). {text}"
    if "read-only mode" in text or "attached in read-only" in text:
        return f"not allowed: the SQL console is read-only. {text}"
    if "configuration option" in text and "Cannot change" in text:
        return f"not allowed: settings are locked. {text}"
    if isinstance(exc, duckdb.OutOfMemoryException):
        return f"query stopped: it needs more than the console's memory limit; narrow it down. {text.splitlines()[0]}"
    return text


def schema(target: str | Path) -> pd.DataFrame:
    """Tables and views with their columns, for listing beside the console."""
    with connect(target, read_only=True, config=dict(LOCKED_DOWN)) as con:
        return con.execute(
            """SELECT c.table_name, t.table_type, c.column_name, c.data_type
               FROM information_schema.columns c
               JOIN information_schema.tables t USING (table_schema, table_name)
               WHERE c.table_schema = 'main'
               ORDER BY t.table_type, c.table_name, c.ordinal_position"""
        ).df()
