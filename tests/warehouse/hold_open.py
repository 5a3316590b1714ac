"""A writer that serves its readers while it holds a transaction open: `python hold_open.py WAREHOUSE READY`.

It inserts a run row without committing, writes READY, and keeps the transaction open until it is killed
(at most 120 s), as the watcher does while it loads a batch."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from warehouse import Warehouse

target, ready = sys.argv[1], Path(sys.argv[2])
wh = Warehouse(target)
with wh.serving_readers(), wh.transaction() as con:
    con.execute("INSERT INTO ingest_runs (run_id, started_at, status) VALUES ('uncommitted', now(), 'running')")
    ready.write_text("holding")
    time.sleep(120)
