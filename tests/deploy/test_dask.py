"""Distributed enrichment (flows/enrich_executor.py): `lagebild ingest --task-runner dask=ADDRESS` on a
LocalCluster with two worker processes stores exactly what the single-process run stores."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest
from deploy_helpers import LAGEBILD, ROOT, PrefectServer

from helpers import SEEDS, warm_cache

pytestmark = pytest.mark.postgres
# Every table the enrichment fills, without the columns that differ between any two runs.
TABLES = {"articles": "* EXCLUDE (ingested_at, run_id)", "mentions": "*", "actors": "*", "quotes": "*",
          "sentences": "*", "article_themes": "*", "sentence_themes": "*", "overlaps": "*", "article_bands": "*"}


def test_task_runner_specs_and_chunks():
    from flows.enrich_executor import TaskRunnerError, parse_spec, split

    assert parse_spec(None) is None and parse_spec("") is None
    assert parse_spec("dask") == ("dask", None)
    assert parse_spec("dask=tcp://10.0.0.5:8786") == ("dask", "tcp://10.0.0.5:8786")
    with pytest.raises(TaskRunnerError, match="dask=ADDRESS"):
        parse_spec("ray")
    assert split(list(range(5)), 4) == [[0, 1], [2], [3], [4]]
    assert split([1], 4) == [[1]] and split([], 3) == []


@pytest.fixture(scope="module")
def cluster(prefect_server: PrefectServer):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      env={"PREFECT_API_URL": prefect_server.api_url, "PREFECT_LOGGING_LEVEL": "WARNING"}) as c:
        with Client(c) as client:
            yield c, client


def _ingest(data: Path, env: dict[str, str], *extra: str) -> subprocess.Popen:
    warm_cache(data)
    return subprocess.Popen([*LAGEBILD, "ingest", "--no-progress", "--data-dir", str(data), *extra, str(SEEDS)],
                            env=env, cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _tables(warehouse: Path) -> dict[str, list[tuple]]:
    from warehouse.db import connect

    with connect(warehouse, read_only=True) as con:
        return {t: sorted(con.execute(f'SELECT {cols} FROM "{t}"').fetchall(), key=repr) for t, cols in TABLES.items()}


async def _enrich_runs(api_url: str, flow_run_id: str) -> list:
    from prefect.client.orchestration import PrefectClient
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    async with PrefectClient(api=api_url) as client:
        runs = await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    return [t for t in runs if t.name.startswith("enrich")]


def test_two_dask_workers_store_exactly_what_one_process_stores(cluster, prefect_server, tmp_path: Path):
    local, client = cluster
    env = prefect_server.env()
    procs = [_ingest(tmp_path / "dask", env, "--task-runner", f"dask={local.scheduler_address}"),
             _ingest(tmp_path / "single", env)]
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0 and "5 loaded" in out, err[-3000:]
    on_dask, single = _tables(tmp_path / "dask" / "lagebild.duckdb"), _tables(tmp_path / "single" / "lagebild.duckdb")
    assert len(on_dask["mentions"]) > 50
    for table in TABLES:
        assert on_dask[table] == single[table], table
    ran = client.run(lambda: __import__("sys").modules.get("lagebild.enrich.core") is not None)
    assert list(ran.values()) == [True, True], "both workers should have enriched a chunk"
    from warehouse.db import connect

    with connect(tmp_path / "dask" / "lagebild.duckdb", read_only=True) as con:
        [(flow_run_id,)] = con.execute("SELECT flow_run_id FROM ingest_runs").fetchall()
    enrich = asyncio.run(_enrich_runs(prefect_server.api_url, flow_run_id))
    # one enrich task; its executor sent the chunks (2 per worker) to both workers (checked above)
    assert len(enrich) == 1 and all(t.state and t.state.is_completed() for t in enrich)
