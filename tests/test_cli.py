"""cli/main.py: every command documents itself; the commands work on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import build_parser
from helpers import ROOT, SEEDS, warm_cache

COMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]


def lagebild(*args: str, data: Path, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "LAGEBILD_DATA_DIR": str(data), "PREFECT_HOME": str(data / "prefect")}
    env.pop("PREFECT_API_URL", None)
    warm_cache(data)
    proc = subprocess.run([sys.executable, "-m", "cli", *args], env=env, input=stdin, text=True,
                          capture_output=True, cwd=ROOT, timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_the_contract_lists_every_command():
    assert {"watch", "ingest", "sql", "dashboard", "status", "enrich", "reprocess", "up"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_for_every_option(command: str, capsys: pytest.CaptureFixture[str]):
    parser = build_parser()
    with pytest.raises(SystemExit) as exit_:
        parser.parse_args([command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.count("--") >= 2 and "usage: lagebild " + command in out
    sub = parser._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    for action in sub._actions:
        assert action.help, f"{command} {action.option_strings or action.dest} has no help text"


INGESTED: dict[str, str] = {}  # the output of the `loaded` fixture's ingest


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("cli") / "data"
    out = lagebild("ingest", str(SEEDS), "--no-progress", data=data).stdout
    assert "5 files: 5 loaded, 0 duplicate, 0 rejected; 5 new articles" in out
    INGESTED["stdout"] = out
    return data


def test_ingest_says_where_its_time_went(loaded: Path):
    from bench.throughput import step_seconds

    line = next(line for line in INGESTED["stdout"].splitlines() if line.startswith("time: "))
    total = float(line.split()[1])
    steps = step_seconds(line)
    assert {"enrich", "load", "other"} <= set(steps), line
    assert steps["enrich"] > steps["load"] > 0  # the model's set-up is part of the first enrich
    assert abs(sum(steps.values()) - total) <= 0.05 * len(steps) + 0.01  # each figure is rounded to 0.1 s


def test_ingest_copies_outside_files_and_leaves_them_untouched(loaded: Path):
    assert sorted(p.name for p in SEEDS.glob("*.txt")) == sorted(p.name[len("seeds__"):]
                                                                  for p in (loaded / "archive").rglob("*.txt"))
    assert len(list(SEEDS.glob("*.txt"))) == 5  # the originals are still there


def test_sql_formats(loaded: Path):
    out = lagebild("sql", "SELECT count(*) AS n FROM articles", "--format", "json", data=loaded).stdout
    assert json.loads(out) == [{"n": 5}]
    query = "SELECT name FROM actors WHERE actor_id = 'country-ru'"
    csv = lagebild("sql", query, "--format", "csv", data=loaded).stdout
    assert csv.splitlines() == ["name", "Russland"]
    table = lagebild("sql", "SELECT date_precision, count(*) AS n FROM articles GROUP BY ALL ORDER BY 1",
                     data=loaded).stdout
    assert "minute" in table and "month" in table


def test_sql_refuses_host_files_with_a_message(loaded: Path):
    proc = lagebild("sql", "SELECT * FROM read_csv('/etc/passwd')", data=loaded, check=False)
    assert proc.returncode == 2 and "not allowed" in proc.stderr and "Traceback" not in proc.stderr


def test_status_reports_counts_and_runs(loaded: Path):
    out = lagebild("status", data=loaded).stdout
    assert "articles 5" in out and "completed" in out and "inbox backlog: 0 file(s); watcher: not running" in out
    info = json.loads(lagebild("status", "--json", data=loaded).stdout)
    assert info["counts"]["articles"] == 5 and info["files"] == {"loaded": 5} and info["watcher"] is False


def test_enrich_prints_mentions_with_offsets_into_the_text(tmp_path: Path):
    seed = sorted(SEEDS.glob("*.txt"))[1]
    result = json.loads(lagebild("enrich", str(seed), data=tmp_path / "data").stdout)
    text = result["text"]
    assert result["mentions"], "no mentions found"
    for m in result["mentions"]:
        assert text[m["start_char"]:m["end_char"]] == m["surface"]
        assert m["kind"] in {"person", "organisation", "country", "place", "group"}
    assert {"sergej-lawrow", "antony-blinken"} <= {m["actor_id"] for m in result["mentions"]}
    assert not (tmp_path / "data" / "lagebild.duckdb").exists()
    stdin = lagebild("enrich", "-", data=tmp_path / "data", stdin="Scholz traf Macron in Paris.").stdout
    assert {m["surface"] for m in json.loads(stdin)["mentions"]} >= {"Scholz", "Macron"}


def test_ingest_of_missing_path_is_a_clear_error(tmp_path: Path):
    proc = lagebild("ingest", str(tmp_path / "nope.txt"), data=tmp_path / "data", check=False)
    assert proc.returncode == 2 and "no such file or folder" in proc.stderr


def test_ingest_makes_articles_searchable_and_search_rebuild_recovers_a_lost_index(loaded: Path):
    import shutil

    from warehouse import search_index
    from warehouse.search import search

    warehouse = loaded / "lagebild.duckdb"
    assert search_index.in_step(warehouse)  # indexed by the load step of each batch
    assert search(warehouse, "Außenministers")[1] == "fts"
    shutil.rmtree(search_index.index_dir(warehouse))
    assert search(warehouse, "Außenministers")[1] == "ilike"
    out = lagebild("search-rebuild", data=loaded).stdout
    assert f"search index rebuilt: 5 articles in {search_index.index_dir(warehouse)}" in out
    assert len(search(warehouse, "Außenministers")[0]) == 4
    assert "maintenance: search index rebuild done at" in lagebild("status", data=loaded).stdout


def test_sql_starts_without_pandas_or_the_load_machinery(loaded: Path):
    """`lagebild sql` is the analyst's quick look, also while the watcher loads on both cores: it imports
    neither pandas nor pyarrow (together ~0.4 s of every call before, cli/sql_output.py), nor the Prefect
    server's client code (~45 ms)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "cli", "sql", "--data-dir", str(loaded),
                           "SELECT count(*) AS n FROM articles"], capture_output=True, text=True, check=True)
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert proc.stdout.split() == ["n", "5"]
    assert not {"pandas", "pyarrow", "warehouse.store", "spacy", "cli.prefect_server"} & imported


def test_sql_table_aligns_numbers_right_and_shows_null_empty(loaded: Path):
    out = lagebild("sql", "SELECT 'ab' AS name, 1 AS n, NULL::DATE AS d UNION ALL "
                   "SELECT 'abcdef', 1000, DATE '2024-03-01' ORDER BY n", data=loaded).stdout
    assert out.splitlines() == ["name       n  d",
                                "ab         1",
                                "abcdef  1000  2024-03-01"]
    wide = lagebild("sql", "SELECT repeat('x', 200) AS t", data=loaded).stdout.splitlines()[1]
    assert len(wide) == 80 and wide.endswith("...")
    out = lagebild("sql", "SELECT 'nan'::DOUBLE AS x, DATE '2024-03-01' AS d, 1.25::DECIMAL(5,2) AS m",
                   "--format", "json", data=loaded).stdout
    assert json.loads(out) == [{"x": None, "d": "2024-03-01", "m": 1.25}]
