"""Backfill with the watcher at growing sizes: throughput, peak RSS, warehouse bytes per 1,000 articles."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from bench import corpus
from bench.throughput import count_articles
from bench.util import warehouse_bytes
from bench.watcher import Watcher, inbox_count

CURVE_POINTS = 10  # the peak RSS is also kept for each tenth of a backfill (is it flat, or still rising?)


def backfill(work: Path, size: int, seed: int, log: Path, workers: int = 1, **env: str) -> dict[str, Any]:
    """Fill an inbox with `size` files, run `lagebild watch` (with `env` besides) until it is empty, measure."""
    data_dir = work / f"backfill-{size}-w{workers}"
    shutil.rmtree(data_dir, ignore_errors=True)
    corpus.write(data_dir / "inbox", size, seed)
    watcher = Watcher(data_dir, log, **{"LAGEBILD_ENRICH_WORKERS": str(workers), **env}).start()
    first_done = None  # when the first batch had left the inbox (Prefect server up, resources loaded)
    left_after_first = size
    curve: list[list[int]] = []  # [articles out of the inbox, peak RSS bytes since the previous point]
    step = max(1, size // CURVE_POINTS)
    next_point = step
    try:
        while (left := inbox_count(data_dir / "inbox")) > 0:
            if not watcher.alive():
                raise RuntimeError(f"the watcher exited early; see {log}")
            if first_done is None and left < size:
                first_done, left_after_first = time.perf_counter(), left
            if size - left >= next_point and watcher.rss:
                curve.append([size - left, watcher.rss.take_window_peak()])
                next_point = ((size - left) // step + 1) * step
            time.sleep(0.5 if size < 20_000 else 2.0)
        done = time.perf_counter()
    finally:
        out_of_inbox = size - inbox_count(data_dir / "inbox")
        rss = watcher.stop()
        if watcher.rss:  # the last window runs until the watcher stopped: its last batch closes after the move
            curve.append([out_of_inbox, watcher.rss.take_window_peak()])
    total = done - watcher.started
    stored = count_articles(data_dir / "lagebild.duckdb")
    steady = (left_after_first / (done - first_done)) if first_done and done > first_done else None
    nbytes = warehouse_bytes(data_dir)
    out = {"size": size, "workers": workers, "seconds": total, "articles_per_s": size / total,
           "steady_articles_per_s": steady, "articles_stored": stored, "peak_rss_bytes": rss,
           "server_peak_rss_bytes": watcher.rss.peak_server if watcher.rss else 0,
           "warehouse_bytes": nbytes, "bytes_per_1000_articles": nbytes / max(1, stored) * 1000,
           "rss_curve": curve}
    shutil.rmtree(data_dir / "archive", ignore_errors=True)  # the copies of the corpus are not needed
    return out


def run(work: Path, sizes: list[int], seed: int, log: Path, workers: int = 1,
        done: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Point 5 at every size; the steady throughput of the largest against that of the others. Each
    backfill is appended to `done` as it finishes (what a stopped run keeps)."""
    runs = done if done is not None else []
    for size in sorted(sizes):
        runs.append(backfill(work, size, seed, log, workers))
    out: dict[str, Any] = {"runs": runs}
    if len(runs) >= 2 and runs[-1]["steady_articles_per_s"] and runs[-2]["steady_articles_per_s"]:
        out["largest_over_previous"] = runs[-1]["steady_articles_per_s"] / runs[-2]["steady_articles_per_s"]
    return out
