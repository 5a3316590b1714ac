"""SQL page in AppTest: results, downloads, schema, and refusals shown as messages."""

from __future__ import annotations

import pytest
from dash_helpers import open_app, texts


def run_sql(sql: str):
    at = open_app("sql")
    at.text_area(key="w_sql").set_value(sql)
    at.button[0].click().run()
    assert not at.exception
    return at


def test_sql_runs_and_offers_downloads(with_data):
    at = run_sql("SELECT name, count(*) AS n FROM mention_sentences GROUP BY ALL ORDER BY n DESC")
    assert "Russland" in at.dataframe[0].value.to_string()
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["CSV", "Parquet"]
    assert "mention_sentences (view)" in [e.label for e in at.expander]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "COPY articles TO '/tmp/stolen.csv'",
        "ATTACH '/tmp/other.duckdb' AS other",
        "INSTALL httpfs",
        "LOAD fts",
        "SET enable_external_access = true",
        "DELETE FROM articles",
        "SELECT * FROM read_text('/etc/hostname')",
    ],
)
def test_sql_lockdown(with_data, sql):
    at = run_sql(sql)
    assert at.error, texts(at)
    assert "Traceback" not in texts(at)


def test_sql_syntax_error_is_a_message(with_data):
    at = run_sql("SELEC 1")
    assert "syntax" in at.error[0].value.lower()


def test_sql_empty_warehouse(with_empty):
    at = run_sql("SELECT count(*) AS n FROM articles")
    assert at.dataframe[0].value["n"].iloc[0] == 0


def test_sql_from_url_runs_once_loaded(with_data):
    at = open_app("sql", sql="SELECT 42 AS answer", run="1")
    assert at.dataframe[0].value["answer"].iloc[0] == 42
