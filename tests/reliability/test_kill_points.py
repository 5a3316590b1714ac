"""SIGKILL at each phase of a batch (real `lagebild watch`), restart, and nothing is lost or doubled."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from lagebild.faults import POINTS
from reliability.harness import assert_invariant, start, write_corpus
from warehouse import search_index

pytestmark = pytest.mark.slow


def test_kill_at_every_phase_then_restart_keeps_every_file_exactly_once(tmp_path: Path, prefect_api: str):
    """All six kill points run side by side (one data folder each) to keep the suite fast."""
    runs = {}
    for point in POINTS:
        data = tmp_path / point / "data"
        corpus = write_corpus(data / "inbox")
        proc = start(data, "watch", "--batch-size", "4", "--settle", "0.2", "--rescan", "0.5",
                     api_url=prefect_api, LAGEBILD_FAULT=point)
        runs[point] = (data, corpus, proc)
    for point, (data, corpus, proc) in runs.items():
        proc.wait(180)
        assert proc.returncode == -signal.SIGKILL, f"{point}: the watcher was not killed at its fault point"
        assert_invariant(data, corpus, settled=False)  # right after the crash: files are waiting or done
    restarts = {point: start(data, "ingest", str(data / "inbox"), "--no-progress", api_url=prefect_api)
                for point, (data, _c, _p) in runs.items()}
    for point, (data, corpus, _proc) in runs.items():
        assert restarts[point].wait(180) == 0, f"{point}: see {data.parent / 'ingest.log'}"
        assert_invariant(data, corpus, settled=True)
        assert search_index.in_step(data / "lagebild.duckdb"), f"{point}: the search index lags the warehouse"
    assert_state_after_commit_crash(runs["after_commit"][0])


def assert_state_after_commit_crash(data: Path) -> None:
    """Killed between commit and move: the restart moved the committed files without new rows."""
    import duckdb

    with duckdb.connect(str(data / "lagebild.duckdb"), read_only=True) as con:
        runs = con.execute("SELECT count(*) FROM ingest_runs WHERE status = 'completed'").fetchone()[0]
    assert runs >= 2
