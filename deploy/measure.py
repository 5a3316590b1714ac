"""Figures for docs/deploy.md: Dask speed-up on one batch, DuckLake reader latency under a writer.

    python deploy/measure.py dask N        N bench articles, one batch: in process vs 2 Dask workers
    python deploy/measure.py lake          SQLite catalog: 1 writer (3 × 2 s transactions), 2 readers

`dask` needs a Prefect API (PREFECT_API_URL) that the Dask workers can reach, e.g. `prefect server start`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench/ is not an installed package
LAGEBILD = [sys.executable, "-m", "cli"]


def _ingest(folder: Path, data: Path, *extra: str) -> float:
    started = time.perf_counter()
    subprocess.run([*LAGEBILD, "ingest", "--no-progress", "--batch-size", "100000", "--data-dir", str(data),
                    *extra, str(folder)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def dask(n: int) -> dict:
    from distributed import LocalCluster

    from bench.corpus import write

    if not os.environ.get("PREFECT_API_URL"):
        sys.exit("set PREFECT_API_URL to a running Prefect server (`prefect server start`) first")
    work = Path(tempfile.mkdtemp(prefix="lagebild-measure-"))
    write(work / "corpus", n)
    single = _ingest(work / "corpus", work / "single")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      env={"PREFECT_API_URL": os.environ["PREFECT_API_URL"]}) as cluster:
        _ingest(work / "corpus", work / "warm", "--task-runner", f"dask={cluster.scheduler_address}")
        on_dask = _ingest(work / "corpus", work / "dask", "--task-runner", f"dask={cluster.scheduler_address}")
    return {"articles": n, "single_s": round(single, 1), "dask_2_workers_s": round(on_dask, 1),
            "speedup": round(single / on_dask, 2)}


def lake() -> dict:
    from warehouse.db import initialise

    work = Path(tempfile.mkdtemp(prefix="lagebild-lake-"))
    target = f"ducklake:sqlite:{work}/catalog.sqlite"
    initialise(target)
    clients = str(ROOT / "tests" / "deploy" / "lake_clients.py")
    stop = work / "stop"
    readers = [subprocess.Popen([sys.executable, clients, "reader", target, str(stop)], cwd=ROOT,
                                stdout=subprocess.PIPE, text=True) for _ in range(2)]
    subprocess.run([sys.executable, clients, "writer", target, "3", "1000", "2"], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    stop.touch()
    latencies = [x for r in readers for x in json.loads(r.communicate()[0])["latencies"]]
    latencies.sort()
    return {"reads": len(latencies), "median_s": round(statistics.median(latencies), 3),
            "p95_s": round(latencies[int(len(latencies) * 0.95) - 1], 3), "max_s": round(latencies[-1], 3)}


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "lake"
    print(json.dumps(dask(int(sys.argv[2]) if len(sys.argv) > 2 else 400) if what == "dask" else lake()))
