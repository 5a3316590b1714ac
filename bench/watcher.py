"""A `lagebild watch` subprocess under measurement, and the read-only probes that see its results."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from bench.util import ROOT, RssSampler, lagebild_cmd, lagebild_env
from cli.processes import stop_group


class Watcher:
    """Start/stop a watcher on `data_dir`, sampling its memory (and its worker processes')."""

    def __init__(self, data_dir: Path, log: Path, **env: str) -> None:
        self.data_dir = data_dir
        self.log = log
        self.env = lagebild_env(data_dir, **env)
        self.proc: subprocess.Popen | None = None
        self.rss: RssSampler | None = None
        self.started = 0.0

    def start(self) -> Watcher:
        out = self.log.open("ab")
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(lagebild_cmd("watch"), env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                     cwd=ROOT, start_new_session=True)
        self.rss = RssSampler(self.proc.pid).start()
        return self

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> int:
        """SIGTERM, wait; the peak RSS in bytes."""
        if self.proc is not None:
            stop_group(self.proc, 60)
        return self.rss.stop() if self.rss else 0


def inbox_count(inbox: Path) -> int:
    """Article files still in the (flat) inbox."""
    try:
        return sum(1 for e in os.scandir(inbox) if e.name.endswith(".txt") and not e.name.startswith("."))
    except FileNotFoundError:
        return 0


def queryable(warehouse: Path, files: list[str]) -> int:
    """How many of `files` (source_file) are visible to a separate read-only connection; -1 if locked."""
    import duckdb

    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return -1
    try:
        row = con.execute("SELECT count(*) FROM articles WHERE source_file IN (SELECT unnest(?))",
                          [files]).fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


def wait_queryable(warehouse: Path, files: list[str], timeout: float, poll: float = 0.05,
                   watcher: Watcher | None = None) -> float:
    """Block until every file is queryable; the monotonic time it was first seen."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if queryable(warehouse, files) == len(files):
            return time.perf_counter()
        if watcher is not None and not watcher.alive():
            raise RuntimeError(f"the watcher exited early; see {watcher.log}")
        time.sleep(poll)
    raise TimeoutError(f"{len(files)} files not queryable after {timeout:.0f} s")
