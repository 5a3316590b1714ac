"""Server mode: a real `lagebild watch` reports to a real `prefect server start` on PostgreSQL;
the flow runs and task runs are read back through the Prefect API."""

from __future__ import annotations

import asyncio
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from deploy_helpers import LAGEBILD, PrefectServer, wait_until

from helpers import SEEDS, warm_cache

pytestmark = pytest.mark.postgres
TASKS = {"read files", "parse", "recall", "enrich", "load", "move files"}


async def _runs(api_url: str, flow_run_ids: list[str]) -> tuple[list, list]:
    from prefect.client.orchestration import PrefectClient
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    async with PrefectClient(api=api_url) as client:
        only = FlowRunFilter(id=FlowRunFilterId(any_=flow_run_ids))
        return await client.read_flow_runs(flow_run_filter=only), await client.read_task_runs(flow_run_filter=only)


def recorded_runs(server: PrefectServer, flow_run_ids: list[str], tasks: int, timeout: float = 30) -> tuple:
    """Flow runs and task runs of these ids, once all `tasks` task runs have reached a final state."""
    deadline = time.monotonic() + timeout
    while True:
        flows, task_runs = asyncio.run(_runs(server.api_url, flow_run_ids))
        final = [t for t in task_runs if t.state and t.state.is_final()]
        if (len(flows) == len(flow_run_ids) and len(final) >= tasks) or time.monotonic() > deadline:
            return flows, task_runs
        time.sleep(0.5)


def ingest_runs(warehouse: Path) -> list[tuple]:
    from warehouse.db import connect

    with connect(warehouse, read_only=True) as con:
        return con.execute("SELECT flow_run_id, status, loaded, rejected FROM ingest_runs "
                           "ORDER BY started_at").fetchall()


def test_watch_reports_every_batch_as_flow_run_with_task_runs(prefect_server: PrefectServer, tmp_path: Path):
    data = tmp_path / "data"
    warm_cache(data)
    watcher = subprocess.Popen([*LAGEBILD, "watch", "--data-dir", str(data), "--settle", "0.2", "--rescan", "0.5"],
                               env=prefect_server.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(iter(watcher.stderr.readline, "")), daemon=True).start()
    batches = lambda: sum("lagebild.watch batch" in line for line in log)  # noqa: E731
    try:
        assert watcher.stdout and "watching" in watcher.stdout.readline()
        for seed in sorted(SEEDS.glob("*.txt")):
            shutil.copyfile(seed, data / "inbox" / seed.name)
        wait_until(lambda: batches() == 1, 90, "the seeds to be ingested")
        (data / "inbox" / "kaputt.txt").write_text("kein Datum\n\nText.")
        wait_until(lambda: batches() == 2, 60, "the bad file to be rejected")
    finally:
        watcher.send_signal(signal.SIGTERM)
        watcher.wait(30)
    err = "".join(log)
    assert watcher.returncode == 0, err[-3000:]
    runs = ingest_runs(data / "lagebild.duckdb")
    assert [r[1:] for r in runs] == [("completed", 5, 0), ("completed", 0, 1)]
    flows, task_runs = recorded_runs(prefect_server, [r[0] for r in runs], tasks=2 * len(TASKS))
    assert sorted(str(f.id) for f in flows) == sorted(r[0] for r in runs)
    assert all(f.state and f.state.is_completed() for f in flows), [f.state for f in flows]
    assert {f.flow_id for f in flows} and len({f.flow_id for f in flows}) == 1
    by_run: dict[str, set[str]] = {}
    for t in task_runs:
        assert t.state and t.state.is_completed(), (t.name, t.state)
        by_run.setdefault(str(t.flow_run_id), set()).add(t.name.rsplit("-", 1)[0])
    assert by_run == {r[0]: TASKS for r in runs}
    from warehouse.db import connect

    with connect(data / "lagebild.duckdb", read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (5,)
