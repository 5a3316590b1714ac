"""warehouse/console.py: read-only SQL that cannot touch the host."""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.console import QueryError, run_query, schema
from warehouse.db import WarehouseMissing, initialise


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    initialise(path)
    return path


def test_select_works_and_row_limit_truncates(warehouse: Path):
    result = run_query(warehouse, "SELECT range AS n FROM range(50)", row_limit=10)
    assert list(result.frame["n"]) == list(range(10)) and result.truncated


@pytest.mark.parametrize("sql, expected", [
    ("SELECT * FROM read_csv('/etc/passwd')", "not allowed"),
    ("COPY articles TO '/tmp/lagebild-leak.csv'", "not allowed"),
    ("ATTACH '/tmp/other.duckdb' AS o", "not allowed"),
    ("INSTALL httpfs", "not allowed"),
    ("LOAD fts", "not allowed"),
    ("SET enable_external_access = true", "not allowed"),
    ("INSERT INTO themes VALUES ('x', 'y')", "read-only"),
    ("DROP TABLE articles", "read-only"),
])
def test_host_files_extensions_settings_and_writes_are_refused(warehouse: Path, sql: str, expected: str):
    with pytest.raises(QueryError, match=expected):
        run_query(warehouse, sql)
    assert not Path("/tmp/lagebild-leak.csv").exists()


def test_runaway_query_is_stopped(warehouse: Path):
    with pytest.raises(QueryError, match="time limit"):
        run_query(warehouse, "SELECT count(*) FROM range(100000000) a, range(100000000) b", timeout=1.0)


def test_syntax_errors_are_messages(warehouse: Path):
    with pytest.raises(QueryError, match="syntax error"):
        run_query(warehouse, "SELEC 1")


def test_schema_lists_tables_and_views(warehouse: Path):
    tables = set(schema(warehouse)["table_name"])
    assert {"articles", "mentions", "ingest_log", "mentions_per_month"} <= tables


def test_missing_warehouse_says_what_to_do(tmp_path: Path):
    with pytest.raises(WarehouseMissing, match="lagebild ingest"):
        run_query(tmp_path / "none.duckdb", "SELECT 1")
