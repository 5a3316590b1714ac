"""Drop-to-queryable latency of a running `lagebild watch`: single files one at a time, then one burst."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bench import corpus
from bench.util import percentiles
from bench.watcher import Watcher, wait_queryable


def drop(inbox: Path, name: str, text: str) -> float:
    """Write a file straight into the inbox as a user's editor would; the time it was closed."""
    with (inbox / name).open("w", encoding="utf-8") as f:
        f.write(text)
    return time.perf_counter()


def run(data_dir: Path, log: Path, singles: int, burst: int, first_index: int, seed: int,
        enrich_per_s: float | None = None) -> dict[str, Any]:
    """Watch `data_dir` (an existing warehouse), drop files, time each until a reader sees it."""
    warehouse = data_dir / "lagebild.duckdb"
    inbox = data_dir / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    fresh = corpus.articles(1 + singles + burst, seed=seed, start=first_index)
    watcher = Watcher(data_dir, log).start()
    try:
        name, text = next(fresh)  # the first flow run of a process also starts Prefect's server
        closed = drop(inbox, name, text)
        first = wait_queryable(warehouse, [name], 300, watcher=watcher) - closed
        waits = []
        for _ in range(singles):
            name, text = next(fresh)
            closed = drop(inbox, name, text)
            waits.append(wait_queryable(warehouse, [name], 120, watcher=watcher) - closed)
        names, started = [], time.perf_counter()
        last_closed = started
        for name, text in fresh:
            last_closed = drop(inbox, name, text)
            names.append(name)
        burst_written = last_closed - started
        burst_s = (wait_queryable(warehouse, names, 600, poll=0.2, watcher=watcher) - last_closed) if names else 0.0
    finally:
        rss = watcher.stop()
    out: dict[str, Any] = {"first_file_after_start_s": first, "single": percentiles(waits),
                           "burst_files": len(names), "burst_loaded_s": burst_s,
                           "burst_write_s": burst_written, "watcher_peak_rss_bytes": rss,
                           "server_peak_rss_bytes": watcher.rss.peak_server if watcher.rss else 0}
    if enrich_per_s:
        out["burst_enrich_s"] = len(names) / enrich_per_s
        out["burst_over_enrich_s"] = burst_s - out["burst_enrich_s"]
    return out
