"""Real `lagebild` processes, a mixed corpus of inputs, and the invariant every fault test asserts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from helpers import ROOT, warm_cache
from warehouse.db import connect

PERSONS = ("Olaf Scholz", "Emmanuel Macron", "Joe Biden", "Sergej Lawrow", "Annalena Baerbock")


def env_for(data: Path, api_url: str | None, **extra: str) -> dict[str, str]:
    """Environment of a child process: its data folder (with the run's compiled resources), the shared
    Prefect API, no fault unless asked."""
    warm_cache(data)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LAGEBILD_", "PREFECT_API_URL"))}
    env.update({"LAGEBILD_DATA_DIR": str(data), "PREFECT_HOME": str(data.parent / "prefect-home"),
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "WARNING"})
    if api_url:
        env["PREFECT_API_URL"] = api_url
    env.update(extra)
    return env


def lagebild(data: Path, *args: str, api_url: str | None = None, timeout: float = 300,
             **extra: str) -> subprocess.CompletedProcess:
    """Run one `lagebild` command to completion."""
    return subprocess.run([sys.executable, "-m", "cli", *args], env=env_for(data, api_url, **extra),
                          capture_output=True, text=True, cwd=ROOT, timeout=timeout)


def start(data: Path, *args: str, api_url: str | None = None, **extra: str) -> subprocess.Popen:
    """Start a long-running `lagebild` command (its own process group), output in DATA/../NAME.log."""
    log = (data.parent / f"{args[0]}.log").open("a")
    return subprocess.Popen([sys.executable, "-m", "cli", *args], env=env_for(data, api_url, **extra),
                            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)


def wait_until(predicate: Callable[[], bool], timeout: float, proc: subprocess.Popen | None = None,
               what: str = "condition") -> float:
    """Poll until `predicate()`; fail if `proc` exits first. Returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"process exited early with status {proc.returncode} waiting for {what}")
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def article_text(i: int, day: int = 19) -> str:
    a, b = PERSONS[i % len(PERSONS)], PERSONS[(i + 2) % len(PERSONS)]
    return (f" date 2022-01-{day:02d} Treffen Nummer {i}\n\n{a} traf {b} in Berlin. Thema des Treffens "
            f"Nummer {i} war die Lage an der Grenze, sagte ein Sprecher.\n\nDie Gespräche sollen weitergehen.\n")


@dataclass
class Corpus:
    """Inputs written into an inbox and what must become of each."""

    files: dict[str, str] = field(default_factory=dict)  # name relative to the inbox -> loaded|duplicate|rejected
    articles: int = 0
    bad_lines: int = 0


def write_corpus(inbox: Path, good: int = 8, tag: str = "") -> Corpus:
    """Good articles, an exact copy, a file without header, a JSONL with one broken line, a subfolder file."""
    inbox.mkdir(parents=True, exist_ok=True)
    c = Corpus()
    for i in range(good):
        (inbox / f"{tag}artikel-{i:03d}.txt").write_text(article_text(i), encoding="utf-8")
        c.files[f"{tag}artikel-{i:03d}.txt"] = "loaded"
    (inbox / f"{tag}kopie.txt").write_text(article_text(0), encoding="utf-8")
    c.files[f"{tag}kopie.txt"] = "duplicate"
    (inbox / f"{tag}ohne-kopf.txt").write_text("Kein Datum.\n\nNur Text.", encoding="utf-8")
    c.files[f"{tag}ohne-kopf.txt"] = "rejected"
    lines = [json.dumps({"date": "2022-02-0" + str(d), "title": f"Zeile {d}", "text": f"{PERSONS[d]} sprach "
                         f"mit Journalisten über Thema {tag}{d}."}) for d in range(1, 4)]
    (inbox / f"{tag}bulk.jsonl").write_text("\n".join(lines[:2] + ["{kaputt"] + lines[2:]) + "\n", encoding="utf-8")
    c.files[f"{tag}bulk.jsonl"] = "loaded"
    (inbox / "agentur").mkdir(exist_ok=True)
    (inbox / "agentur" / f"{tag}meldung.txt").write_text(article_text(100 + good), encoding="utf-8")
    c.files[f"agentur/{tag}meldung.txt"] = "loaded"
    c.articles, c.bad_lines = good + 3 + 1, 1
    return c


def doctor(data: Path, max_age: float = 3600) -> tuple[int, dict]:
    """`lagebild doctor --json` through the CLI's entry point (in this process: no start-up cost)."""
    import contextlib
    import io

    from cli.main import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["doctor", "--json", "--max-age", str(max_age), "--data-dir", str(data)])
    return code, json.loads(out.getvalue())


def failed_checks(report: dict) -> list[str]:
    return [f"{c['name']}: {c['summary']} {c['problems']}" for c in report["checks"] if not c["ok"]]


def where_is(data: Path, name: str) -> list[str]:
    """Every place an input file is found: 'inbox', 'archive', 'rejected' (by its flattened name)."""
    flat = name.replace("/", "__")
    found = ["inbox"] if (data / "inbox" / name).exists() else []
    for folder in ("archive", "rejected"):
        found += [folder for p in (data / folder).rglob("*") if p.is_file()
                  and (p.name == flat or p.name.endswith("-" + flat))]
    return found


def assert_invariant(data: Path, corpus: Corpus, *, settled: bool) -> dict:
    """Every input is in exactly one place; no article twice; counts match; `lagebild doctor` agrees.

    settled=False (right after a crash): files may still wait in the inbox.
    """
    code, report = doctor(data)
    assert code == 0, failed_checks(report)
    for name, outcome in corpus.files.items():
        places = where_is(data, name)
        assert len(places) == 1, f"{name} found in {places}"
        expected = "rejected" if outcome == "rejected" else "archive"
        assert places[0] in ({expected} if settled else {expected, "inbox"}), f"{name} in {places[0]}"
    with connect(data / "lagebild.duckdb", read_only=True, timeout=120) as con:  # a watcher may be writing
        total, distinct = con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone()
        assert total == distinct
        per_file = dict(con.execute("SELECT file, count(*) FROM ingest_log WHERE line IS NULL GROUP BY ALL")
                        .fetchall())
        assert all(n == 1 for n in per_file.values()), per_file
        doubled = con.execute("SELECT count(*) FROM (SELECT article_id, actor_id, start_char FROM mentions "
                              "GROUP BY ALL HAVING count(*) > 1)").fetchone()[0]
        assert doubled == 0
        if settled:
            assert total == corpus.articles
            assert {f: "x" for f in per_file} == {f: "x" for f in corpus.files}
            statuses = dict(con.execute("SELECT file, status FROM ingest_log WHERE line IS NULL").fetchall())
            assert statuses == corpus.files
            assert con.execute("SELECT count(*) FROM ingest_log WHERE line IS NOT NULL").fetchone()[0] == \
                corpus.bad_lines
    return report
