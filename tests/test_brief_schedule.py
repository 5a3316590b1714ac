"""The scheduled brief: `lagebild-brief-scheduled` served against a real `prefect server start`.

The server's scheduler service creates the runs (no run is started by hand); the served flow writes the
brief. With SQLAlchemy 2.1 the scheduler failed every loop ("Can't evaluate bulk DML statement") and no
scheduled run was ever created; requirements.lock pins the 2.0 series for that reason.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "dashboard"))

from dash_helpers import add_burst, build_warehouse  # noqa: E402

from cli.prefect_server import local_server  # noqa: E402
from cli.processes import stop_group  # noqa: E402
from helpers import ROOT  # noqa: E402

pytestmark = pytest.mark.slow
SERVE = ("from flows.brief import scheduled_brief; "
         "scheduled_brief.serve(name='every-minute', cron='* * * * *', parameters={'fmt': 'html', 'days': 7})")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def scheduled_runs(api_url: str) -> list[dict[str, object]]:
    """Flow runs the server's scheduler created (auto_scheduled), as the API lists them."""
    request = urllib.request.Request(api_url + "/flow_runs/filter", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as r:
        return [run for run in json.load(r) if run.get("auto_scheduled")]


def test_the_scheduler_starts_the_brief_and_the_served_flow_writes_it(settings, monkeypatch):
    add_burst(build_warehouse(Path(settings.warehouse)), date(2022, 2, 25))
    settings = settings.with_(prefect_port=free_port())
    for key in [k for k in os.environ if k.startswith("PREFECT_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    monkeypatch.setenv("PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS", "2")
    served_log = settings.data_dir / "serve.log"
    with local_server(settings) as server, served_log.open("wb") as log:
        env = {**os.environ, **settings.prefect_env(), "PREFECT_API_URL": server.url,
               "LAGEBILD_DATA_DIR": str(settings.data_dir)}
        served = subprocess.Popen([sys.executable, "-c", SERVE], cwd=ROOT, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 300  # the next full minute, then a flow-run process that loads spaCy
            done: list[dict[str, object]] = []
            while not done:
                assert served.poll() is None, served_log.read_text(errors="replace")[-3000:]
                assert time.monotonic() < deadline, f"no scheduled brief run completed: {scheduled_runs(server.url)}"
                done = [r for r in scheduled_runs(server.url) if r["state_type"] == "COMPLETED"]
                time.sleep(1)
        finally:
            stop_group(served, 30)
    briefs = sorted((settings.data_dir / "briefs").glob("brief-*.html"))
    assert briefs, "the scheduled run wrote no brief"
    assert "Lawrow" in briefs[-1].read_text(encoding="utf-8")
