"""A writer that serves its readers while it holds a transaction open, as the watcher does during a batch.

    python -m bench.hold_writer WAREHOUSE READY_FILE [--seconds 120]

It inserts a run row without committing, writes READY_FILE, and keeps the transaction open until it is
killed or SECONDS have passed; then it rolls back. Readers started meanwhile read through it
(warehouse/host.py). `holding(target)` runs it as a child process for the length of a with-block."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.util import ROOT


class _RolledBack(Exception):
    pass


def hold(target: Path, ready: Path, seconds: float) -> None:
    from lagebild.imports import block_pandas
    from warehouse import Warehouse

    block_pandas()  # as in the watcher and `lagebild ingest`: what it serves must not need pandas

    wh = Warehouse(target)
    try:
        with wh.serving_readers(), wh.transaction() as con:
            con.execute("INSERT INTO ingest_runs (run_id, started_at, status) "
                        "VALUES ('uncommitted', now(), 'running')")
            ready.write_text("holding")
            time.sleep(seconds)
            raise _RolledBack
    except _RolledBack:
        pass


@contextmanager
def holding(target: Path, seconds: float = 3600) -> Iterator[subprocess.Popen[bytes]]:
    """A child process that holds a write transaction open on `target` and serves its readers."""
    with tempfile.TemporaryDirectory() as tmp:
        ready = Path(tmp) / "ready"
        proc = subprocess.Popen([sys.executable, "-m", "bench.hold_writer", str(target), str(ready),
                                 "--seconds", str(seconds)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            deadline = time.monotonic() + 120
            while not ready.exists():
                if proc.poll() is not None:
                    raise RuntimeError(f"the writer ended with {proc.returncode} before it held its transaction")
                if time.monotonic() > deadline:
                    raise TimeoutError("the writer did not take the warehouse within 120 s")
                time.sleep(0.05)
            yield proc
        finally:
            proc.kill()
            proc.wait()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.hold_writer", description=__doc__.split("\n\n")[0])
    p.add_argument("warehouse", type=Path)
    p.add_argument("ready", type=Path, help="written once the transaction is open")
    p.add_argument("--seconds", type=float, default=120.0, help="how long to hold it (default 120)")
    args = p.parse_args(argv)
    hold(args.warehouse, args.ready, args.seconds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
