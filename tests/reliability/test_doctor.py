"""`lagebild doctor`: passes on a healthy installation, names each kind of damage, exits 1."""

from __future__ import annotations

import contextlib
import io
import json
import os
import time
from pathlib import Path

import duckdb
import pytest

from cli.main import main
from reliability.harness import write_corpus

pytestmark = pytest.mark.usefixtures("prefect_harness")


def run_doctor(data: Path, *extra: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["doctor", "--data-dir", str(data), *extra])
    return code, out.getvalue()


@pytest.fixture
def healthy(settings) -> Path:
    from flows.ingest import ingest_files
    from lagebild.inbox import scan
    from warehouse.db import initialise

    write_corpus(settings.inbox)
    initialise(settings.warehouse)
    ingest_files([str(p) for p in scan(settings.inbox)], settings)
    return settings.data_dir


def sql(data: Path, statement: str) -> None:
    with duckdb.connect(str(data / "lagebild.duckdb")) as con:
        con.execute(statement)


def test_a_healthy_installation_passes(healthy: Path):
    code, text = run_doctor(healthy)
    assert code == 0 and "all 14 checks passed" in text and "FAIL" not in text
    code, out = run_doctor(healthy, "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] and {c["name"] for c in report["checks"]} >= {
        "schema version", "storage", "articles once", "published dates", "known themes", "orphan rows", "offsets",
        "log ↔ articles", "archive ↔ log", "rejected ↔ reasons", "inbox"}


DAMAGE = {
    "archive ↔ log": lambda d: next((d / "archive" / "2022-01").glob("artikel-*.txt")).unlink(),
    "rejected ↔ reasons": lambda d: next((d / "rejected").glob("*.reason.txt")).unlink(),
    "inbox": lambda d: os.utime(_touch(d / "inbox" / "alt.txt"), (time.time() - 7200,) * 2),
    "orphan rows": lambda d: sql(d, "INSERT INTO mentions VALUES ('fehlt', 'x', 's', 0, 0, 1, 'm', NULL, false, "
                                    "NULL, NULL)"),
    "offsets": lambda d: sql(d, "UPDATE mentions SET end_char = end_char + 1000000 WHERE rowid = 0"),
    "article numbers": lambda d: sql(d, "UPDATE sentences SET article_key = article_key + 1000 WHERE rowid = 0"),
    "actor numbers": lambda d: sql(d, "UPDATE mentions SET actor_key = actor_key + 1000 WHERE rowid = 0"),
    "known themes": lambda d: sql(d, "INSERT INTO article_themes SELECT article_id, 'erfunden', 1.0, [], article_key "
                                     "FROM articles LIMIT 1"),
    "published dates": lambda d: sql(d, "ALTER TABLE articles ALTER published_date DROP NOT NULL; "
                                        "UPDATE articles SET published_date = NULL WHERE rowid = 0"),
    "log ↔ articles": lambda d: sql(d, "DELETE FROM ingest_log WHERE file = 'artikel-001.txt'"),
    "schema version": lambda d: sql(d, "DELETE FROM schema_migrations WHERE version = (SELECT max(version) "
                                       "FROM schema_migrations)"),
}


def _touch(path: Path) -> Path:
    path.write_text(" date 2022-01 T\n\nText.", encoding="utf-8")
    return path


@pytest.mark.parametrize("check", sorted(DAMAGE))
def test_each_kind_of_damage_fails_its_check_with_a_readable_line(healthy: Path, check: str):
    DAMAGE[check](healthy)
    code, text = run_doctor(healthy)
    assert code == 1, text
    failing = [line for line in text.splitlines() if line.strip().startswith("FAIL")]
    assert any(f"FAIL  {check}:" in line for line in failing), text
    assert "checks failed" in text and "Traceback" not in text
    report = json.loads(run_doctor(healthy, "--json")[1])
    assert not report["ok"] and any(c["name"] == check and not c["ok"] and c["problems"] for c in report["checks"])


def test_a_missing_warehouse_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["doctor", "--data-dir", str(tmp_path / "nichts")]) == 2
    assert "no warehouse" in capsys.readouterr().err
