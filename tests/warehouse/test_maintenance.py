"""warehouse/maintenance.py: a maintenance job logs its start and end and is listed by the status while it runs."""

from __future__ import annotations

import logging

import pytest

from warehouse import Warehouse
from warehouse.maintenance import maintenance
from warehouse.status import build_status, format_status


def test_a_job_is_running_in_the_status_while_it_runs_then_done_with_its_duration(
        warehouse: Warehouse, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.INFO, "lagebild.maintenance")
    with maintenance(warehouse.target, "search index rebuild") as note:
        running = build_status(warehouse.target).maintenance
        assert running[["task", "status"]].values.tolist() == [["search index rebuild", "running"]]
        note("12 articles")
    info = build_status(warehouse.target).as_dict()
    [job] = info["maintenance"]
    assert (job["status"], job["detail"]) == ("done", "12 articles") and job["seconds"] >= 0
    assert "maintenance: search index rebuild done at" in format_status({**info, "backlog": 0})
    assert "maintenance started: search index rebuild" in caplog.text
    assert "maintenance done: search index rebuild in" in caplog.text


def test_a_failed_job_is_recorded_with_its_error_and_the_error_still_raises(warehouse: Warehouse):
    with pytest.raises(OSError, match="disk"), maintenance(warehouse.target, "compaction"):
        raise OSError("disk full")
    [job] = build_status(warehouse.target).as_dict()["maintenance"]
    assert (job["task"], job["status"], job["detail"]) == ("compaction", "failed", "OSError: disk full")
