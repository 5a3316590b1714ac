"""cli/handover.py: `lagebild ingest` while a watcher runs on the same data folder hands its files to the
watcher and reports the watcher's outcomes as its own; if the watcher goes away, it loads them itself."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_cli import lagebild
from test_watch import start_watcher, stop, wait_until

from helpers import ROOT, SEEDS
from lagebild.locking import watcher_presence, watcher_running
from lagebild.settings import Settings
from warehouse.db import connect

HOLD_PRESENCE = """
import sys, time
from lagebild.locking import watcher_presence
from lagebild.settings import Settings
with watcher_presence(Settings.load(env={"LAGEBILD_DATA_DIR": sys.argv[1]})):
    print("holding", flush=True)
    time.sleep(600)
"""


def _mixed_folder(folder: Path) -> list[str]:
    """Two new articles, a copy of the first, a file without a date header."""
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))[:2]
    names = []
    for i, seed in enumerate(seeds):
        (folder / f"neu-{i}.txt").write_text(seed.read_text(encoding="utf-8") + f"\n\nZusatz {i}.", encoding="utf-8")
        names.append(f"neu-{i}.txt")
    (folder / "neu-kopie.txt").write_text((folder / "neu-0.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "ohne-datum.txt").write_text("Kein Datum\n\nNur Text.", encoding="utf-8")
    return [*names, "neu-kopie.txt", "ohne-datum.txt"]


def _log_rows(data: Path) -> list[tuple[str, str]]:
    # as every reader of the product: the running watcher may hold the file (its idle summary fold, which
    # serves reads meanwhile), where a plain duckdb.connect fails on the lock
    with connect(data / "lagebild.duckdb", read_only=True, timeout=60) as con:
        return con.execute("SELECT file, status FROM ingest_log WHERE line IS NULL ORDER BY file").fetchall()


def test_presence_is_seen_from_another_open_and_ends_with_its_holder(tmp_path: Path):
    settings = Settings.load(env={"LAGEBILD_DATA_DIR": str(tmp_path / "data")})
    assert not watcher_running(settings)  # no lock file yet
    with watcher_presence(settings), watcher_presence(settings):  # two watchers may share a folder
        assert watcher_running(settings)
    assert not watcher_running(settings)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_PRESENCE, str(settings.data_dir)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        assert watcher_running(settings)
    finally:
        holder.kill()  # SIGKILL: no clean-up code runs, the kernel drops the lock
        holder.wait(10)
    assert not watcher_running(settings)


@pytest.mark.slow
def test_ingest_while_a_watcher_runs_reports_the_watchers_outcomes_and_loads_each_file_once(tmp_path: Path):
    data = tmp_path / "data"
    (data / "inbox").mkdir(parents=True)
    watcher = start_watcher(data)
    try:
        wait_until(lambda: watcher_running(Settings.load(env={"LAGEBILD_DATA_DIR": str(data)})), 120, watcher)
        assert "watcher: running" in lagebild("status", data=data).stdout
        files = _mixed_folder(tmp_path / "drop")
        result = lagebild("ingest", str(tmp_path / "drop"), "--no-progress", data=data, check=False)
        assert result.returncode == 0, result.stderr
        assert "a watcher runs on" in result.stderr
        assert "4 files: 2 loaded, 1 duplicate, 1 rejected; 2 new articles" in result.stdout
        rows = dict(_log_rows(data))  # one row per file; either copy of the same text may come first
        assert sorted(rows) == sorted(f"drop/{f}" for f in files)
        assert rows["drop/neu-1.txt"] == "loaded" and rows["drop/ohne-datum.txt"] == "rejected"
        assert {rows["drop/neu-0.txt"], rows["drop/neu-kopie.txt"]} == {"loaded", "duplicate"}
        # the same files again: the watcher records them as duplicates (their outcome since this command began)
        again = lagebild("ingest", str(tmp_path / "drop" / "neu-1.txt"), "--no-progress", data=data)
        assert "1 files: 0 loaded, 1 duplicate, 0 rejected; 0 new articles" in again.stdout
    finally:
        stop(watcher)
    assert len(_log_rows(data)) == 5 and not list((data / "inbox").rglob("*.txt"))


def test_files_the_watcher_leaves_when_it_stops_are_loaded_by_the_command(tmp_path: Path):
    data = tmp_path / "data"
    (data / "inbox").mkdir(parents=True)
    lagebild("status", data=data, check=False)  # creates the warehouse
    # a "watcher" that holds the presence lock but never loads anything, then dies
    holder = subprocess.Popen([sys.executable, "-c", HOLD_PRESENCE, str(data)], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    files = _mixed_folder(tmp_path / "drop")
    command = subprocess.Popen([sys.executable, "-m", "cli", "ingest", str(tmp_path / "drop"), "--no-progress"],
                               env=_env(data), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: len(list((data / "inbox").rglob("*.txt"))) == 4, 60)
        time.sleep(1.5)
        assert command.poll() is None  # still waiting for the (idle) watcher; the files wait in the inbox
    finally:
        holder.kill()
        holder.wait(10)
    out, err = command.communicate(timeout=300)
    assert command.returncode == 0, err
    assert "the watcher stopped: loading the 4 file(s) it left in the inbox here" in err
    assert "4 files: 2 loaded, 1 duplicate, 1 rejected; 2 new articles" in out
    rows = dict(_log_rows(data))
    assert sorted(rows) == sorted(f"drop/{f}" for f in files)
    assert sorted(rows.values()) == ["duplicate", "loaded", "loaded", "rejected"]


def _env(data: Path) -> dict[str, str]:
    import os

    from helpers import warm_cache

    warm_cache(data)
    env = {**os.environ, "LAGEBILD_DATA_DIR": str(data), "PREFECT_HOME": str(data / "prefect")}
    env.pop("PREFECT_API_URL", None)
    return env


def test_files_committed_by_a_run_that_died_are_reported_as_such(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A run killed after its commit, before moving the files: the next `ingest` only moves them, and says
    that their outcome was recorded by that earlier run instead of calling them lost."""
    data = tmp_path / "data"
    drop = tmp_path / "drop"
    drop.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        (drop / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("LAGEBILD_FAULT", "after_commit")
    died = lagebild("ingest", str(drop), "--no-progress", data=data, check=False)
    assert died.returncode == -9 and len(list((data / "inbox").rglob("*.txt"))) == 2
    monkeypatch.delenv("LAGEBILD_FAULT")
    again = lagebild("ingest", str(data / "inbox"), "--no-progress", data=data)
    assert "2 files: 0 loaded, 0 duplicate, 0 rejected; 0 new articles" in again.stdout
    assert ("2 file(s) with no outcome recorded by this command: 2 recorded by an earlier run that stopped before "
            "moving them, 0 still in the inbox") in again.stderr
    assert not list((data / "inbox").rglob("*.txt")) and len(_log_rows(data)) == 2
