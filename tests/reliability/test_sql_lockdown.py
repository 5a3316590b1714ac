"""`lagebild sql` and warehouse/console.py against runaway and hostile queries (beyond tests/test_console.py)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from reliability.harness import article_text
from warehouse.console import QueryError, run_query
from warehouse.db import connect, initialise


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse with 2,000 articles and 20,000 mentions (no enrichment needed)."""
    path = tmp_path_factory.mktemp("sql") / "w.duckdb"
    initialise(path)
    with connect(path) as con:
        con.execute("""INSERT INTO articles (article_id, published_date, date_precision, title, body, source_file,
                       word_count, ingested_at) SELECT 'a' || range, DATE '2022-01-01', 'month', 't', ?, 'f.txt',
                       10, now()::TIMESTAMP FROM range(2000)""", [article_text(1)])
        con.execute("""INSERT INTO mentions SELECT 'a' || (range % 2000), 'x', 's', 0, 0, 1, 'm', NULL, false,
                       range % 2000, NULL FROM range(20000)""")
    return path


def test_a_runaway_cross_join_of_warehouse_tables_is_stopped_by_the_time_limit(filled: Path):
    started = time.monotonic()
    with pytest.raises(QueryError, match="time limit|memory limit"):
        run_query(filled, "SELECT a.article_id, m.start_char, b.body FROM articles a, mentions m, articles b "
                  "ORDER BY 3, 2, 1", timeout=2.0)
    assert time.monotonic() - started < 15
    assert run_query(filled, "SELECT count(*) AS n FROM articles").frame["n"][0] == 2000  # still usable


def test_a_cross_join_that_streams_rows_stops_at_the_row_limit(filled: Path):
    started = time.monotonic()
    result = run_query(filled, "SELECT * FROM articles a, mentions m, articles b", row_limit=500, timeout=20)
    assert len(result.frame) == 500 and result.truncated and time.monotonic() - started < 15


def test_memory_is_bounded_and_nothing_spills_to_the_hosts_disk(filled: Path):
    """A query may use at most 1 GB and cannot write spill files (DuckDB's default is 80% of RAM + disk)."""
    query = "SELECT current_setting('memory_limit') AS m, current_setting('temp_directory') AS t"
    frame = run_query(filled, query).frame
    assert frame["m"][0] in {"953.6 MiB", "1.0 GiB", "1.0 GB"} and frame["t"][0] == ""
    with pytest.raises(QueryError, match="memory limit|time limit"):  # ~1.2 GB of list
        run_query(filled, "SELECT list(range) FROM range(150000000)", timeout=60)
    assert not list(filled.parent.glob("*.tmp"))


@pytest.mark.parametrize("sql", [
    "SELECT * FROM glob('/etc/*')",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM read_blob('/etc/hostname')",
    "SELECT * FROM read_json_auto('/etc/os-release')",
    "SELECT * FROM sniff_csv('/etc/passwd')",
    "EXPORT DATABASE '/tmp/lagebild-export'",
    "PRAGMA profiling_output = '/tmp/lagebild-profile.json'",
    "SET memory_limit = '100GB'",
    "RESET lock_configuration",
    "SET temp_directory = '/tmp'",
    "CREATE SECRET s (TYPE s3, KEY_ID 'k', SECRET 'v')",
    "ATTACH ':memory:' AS scratch",
])
def test_more_ways_to_reach_the_host_are_refused(filled: Path, sql: str):
    with pytest.raises(QueryError):
        run_query(filled, sql)
    assert not Path("/tmp/lagebild-export").exists() and not Path("/tmp/lagebild-profile.json").exists()


def test_parallel_runaway_queries_each_stop_and_release_the_file(filled: Path):
    errors: list[str] = []

    def runaway() -> None:
        try:
            run_query(filled, "SELECT count(*) FROM range(100000000000) a, articles b", timeout=1.5)
        except QueryError as exc:
            errors.append(str(exc))

    threads = [threading.Thread(target=runaway) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(errors) == 3 and all("time limit" in e for e in errors)
    with connect(filled, timeout=5) as con:  # no reader left behind: a writer gets in at once
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2000


def test_lagebild_sql_stops_a_runaway_with_a_message_not_a_traceback(filled: Path):
    import os
    import subprocess
    import sys

    from helpers import ROOT

    env = {**os.environ, "LAGEBILD_WAREHOUSE": str(filled), "LAGEBILD_DATA_DIR": str(filled.parent)}
    proc = subprocess.run([sys.executable, "-m", "cli", "sql", "--timeout", "1",
                           "SELECT count(*) FROM range(100000000000) a, articles b"],
                          env=env, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2 and "time limit" in proc.stderr and "Traceback" not in proc.stderr
