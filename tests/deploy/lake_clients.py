"""Client processes for the DuckLake concurrency tests (run as scripts, print one JSON line).

    python lake_clients.py writer TARGET BATCHES ROWS HOLD   commit BATCHES batches of ROWS articles,
                                                              holding each write transaction HOLD s
    python lake_clients.py reader TARGET STOPFILE            `lagebild sql`'s query path in a loop,
                                                              until STOPFILE exists (60 s at most)
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date, datetime
from pathlib import Path


def writer(target: str, batches: int, rows: int, hold: float) -> dict:
    from warehouse.db import connect
    from warehouse.load import RunRow, insert_articles, insert_run

    open_windows = []  # (BEGIN, just before COMMIT) wall-clock times of each write transaction
    for b in range(batches):
        with connect(target, timeout=60) as con:
            con.execute("BEGIN TRANSACTION")
            began = time.time()
            data = [{"article_id": f"b{b:03d}r{i:05d}", "published_date": date(2022, 1, 1 + i % 28),
                     "date_precision": "day", "title": f"Titel {b}/{i}", "body": f"Text {b} {i}",
                     "source_file": f"batch{b}.jsonl", "source_line": i + 1, "word_count": 3,
                     "ingested_at": datetime.now(), "run_id": f"run{b}"} for i in range(rows)]
            insert_articles(con, data)
            insert_run(con, RunRow(f"run{b}", None, datetime.now(), "running"), None)
            insert_run(con, RunRow(f"run{b}", None, datetime.now(), "completed", loaded=rows), datetime.now())
            time.sleep(hold)  # a long load: readers must not wait for it
            open_windows.append((began, time.time()))
            con.execute("COMMIT")
    return {"open_windows": open_windows}


def reader(target: str, stop: Path) -> dict:
    from warehouse.console import QueryError, run_query

    latencies, counts, errors, spans = [], [], [], []
    deadline = time.monotonic() + 60
    while not stop.exists() and time.monotonic() < deadline:
        started, wall = time.perf_counter(), time.time()
        try:
            frame = run_query(target, "SELECT count(*) AS n FROM articles", lock_timeout=60).frame
            counts.append(int(frame["n"].iloc[0]))
        except QueryError as exc:
            errors.append(str(exc))
        latencies.append(time.perf_counter() - started)
        spans.append((wall, time.time()))
    return {"latencies": latencies, "counts": counts, "errors": errors, "spans": spans}


if __name__ == "__main__":
    role, target, *rest = sys.argv[1:]
    if role == "writer":
        out = writer(target, int(rest[0]), int(rest[1]), float(rest[2]))
    else:
        out = reader(target, Path(rest[0]))
    print(json.dumps(out))
