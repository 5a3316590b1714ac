"""The Prefect ingest flow: the steps of flows/pipeline.py as tasks of one flow run per batch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from prefect import State, Task, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from flows.batch import BatchReport
from flows.pipeline import STEPS, Step, run_batch
from lagebild.settings import Settings


def _retry_condition(step: Step) -> Callable[[Any, Any, State[Any]], bool]:
    """Prefect's retry_condition_fn for a step: a failure state holds its exception as data."""
    def retry(task: Any, task_run: Any, state: State[Any]) -> bool:
        return not isinstance(state.data, BaseException) or step.retries(state.data)
    return retry


TASKS: dict[str, Task[..., Any]] = {
    step.name: task(name=step.name, retries=len(step.retry_delays), retry_delay_seconds=list(step.retry_delays) or 0,
                    retry_condition_fn=_retry_condition(step), cache_policy=NO_CACHE)(step.fn)
    for step in STEPS
}


def call_task(step: Step, *args: Any) -> Any:
    # quote(): Prefect would otherwise walk every byte string and dataclass of the batch looking for
    # futures, which cost more than the enrichment itself. Prefect unwraps it before the call.
    return TASKS[step.name](*(quote(a) for a in args))


@flow(name="lagebild-ingest", log_prints=False, validate_parameters=False)
def ingest_files(paths: list[str], settings: Settings, upcoming: list[str] | None = None) -> BatchReport:
    """Ingest one batch of inbox files: every file ends archived, rejected or (on failure) still waiting.
    `upcoming`: the next batch's files, enriched on the executor while this batch loads."""
    return run_batch(paths, settings, call_task, _flow_run_id(), get_run_logger(), upcoming or ())


def _flow_run_id() -> str | None:
    from prefect.runtime import flow_run

    return str(flow_run.id) if flow_run.id else None


# Prefect's flow-run heartbeat thread sleeps in whole seconds, and a finishing flow run waits for it: up to
# 1 s (0.5 s on average) after every run, whatever its size. A batch this small is over long before its
# first heartbeat interval (180 s) ends, so its run goes without; larger batches keep them.
HEARTBEAT_FROM_FILES = 100


def run_ingest_flow(paths: list[str], settings: Settings, upcoming: list[str] | None = None) -> BatchReport:
    """One flow run of `ingest_files`; runs of fewer than HEARTBEAT_FROM_FILES files send no heartbeats."""
    from contextlib import nullcontext

    from prefect.settings import temporary_settings

    quiet = len(paths) < HEARTBEAT_FROM_FILES
    with temporary_settings(updates={"flows.heartbeat_frequency": None}) if quiet else nullcontext():
        return ingest_files(paths, settings, upcoming)
