"""Where the ingest flow runs its tasks: in process (default) or on a Dask cluster via prefect-dask.

`--task-runner dask` starts one local cluster per process (worker processes, one thread each: spaCy
holds the GIL) and keeps it for every batch, so each worker loads the enrichment resources once;
`--task-runner dask=tcp://HOST:8786` uses a running scheduler. Workers need this project installed,
the same data folder paths, and PREFECT_API_URL when the flow reports to a Prefect server.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections.abc import Sequence
from typing import Any, TypeVar

T = TypeVar("T")
SPEC_HELP = "'dask' (a local cluster) or 'dask=ADDRESS' (e.g. dask=tcp://scheduler:8786)"
_lock = threading.Lock()
_cluster: Any = None


class TaskRunnerError(ValueError):
    """An unusable --task-runner value or a missing package; the message says what to do."""


def parse_spec(spec: str | None) -> tuple[str, str | None] | None:
    """None for in-process, else ('dask', address or None)."""
    if spec is None or not spec.strip() or spec.strip() in ("process", "default"):
        return None
    kind, sep, address = spec.strip().partition("=")
    if kind != "dask" or (sep and not address):
        raise TaskRunnerError(f"unknown task runner {spec!r}: use {SPEC_HELP}, or leave it out to run in process")
    return "dask", address or None


def task_runner_for(spec: str | None) -> Any | None:
    """A DaskTaskRunner for the spec, or None to keep the flow's own (in-process) runner."""
    parsed = parse_spec(spec)
    if parsed is None:
        return None
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError:
        raise TaskRunnerError("--task-runner dask needs prefect-dask: pip install prefect-dask==0.3.7") from None
    return DaskTaskRunner(address=parsed[1] or local_cluster_address())


def local_cluster_address(workers: int | None = None) -> str:
    """The scheduler address of this process's local Dask cluster (started on first use)."""
    global _cluster
    with _lock:
        if _cluster is None:
            from distributed import LocalCluster

            logging.getLogger("distributed").setLevel(logging.WARNING)
            _cluster = LocalCluster(n_workers=workers or max(1, os.cpu_count() or 1), threads_per_worker=1,
                                    processes=True, dashboard_address=None, env=_worker_env())
            atexit.register(close_local_cluster)
        return str(_cluster.scheduler_address)


def _worker_env() -> dict[str, str]:
    """Point the workers at this process's Prefect API, so they report task runs to the same server
    instead of each starting an ephemeral one of its own."""
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    api = PREFECT_API_URL.value()
    if not api and PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        from prefect.server.api.server import SubprocessASGIServer

        server = SubprocessASGIServer()  # the same instance the flow's client will use
        server.start()
        api = server.api_url
    return {"PREFECT_API_URL": api} if api else {}


def close_local_cluster() -> None:
    global _cluster
    with _lock:
        if _cluster is not None:
            _cluster.close()
            _cluster = None


def parallel_slots() -> int:
    """Worker threads of the current flow run's Dask cluster; 1 when tasks run in process."""
    from prefect.context import FlowRunContext

    ctx = FlowRunContext.get()
    runner = ctx.task_runner if ctx else None
    if runner is None or type(runner).__name__ != "DaskTaskRunner":
        return 1
    client: Any = getattr(runner, "client")  # noqa: B009 - DaskTaskRunner starts its client on first use
    return max(1, sum(client.nthreads().values()))


def split(items: Sequence[T], parts: int) -> list[list[T]]:
    """At most `parts` contiguous, nearly equal, non-empty chunks in order."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (i < extra)
        out.append(list(items[start:end]))
        start = end
    return [c for c in out if c]
