"""The local Prefect server of `lagebild up` (cli/prefect_server.py), with real processes.

One `lagebild up` runs for the module: its server answers and serves the UI, a dropped file and a
separate `lagebild ingest` both show up as flow runs in its API, SIGTERM leaves no process behind.
Without a server `lagebild ingest` runs its steps without Prefect (or, with --prefect, in Prefect's
ephemeral mode) and removes a stale state file, and `lagebild watch` starts the server itself (on a free
port when the configured one is taken); a server whose watcher was killed is stopped, not reused.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cli.prefect_server import STATE_NAME, healthy, running_server
from cli.processes import group_members
from helpers import ROOT, SEEDS, warm_cache
from lagebild.settings import Settings

pytestmark = pytest.mark.slow
LAGEBILD = [sys.executable, "-m", "cli"]
ARTICLE = " date 2022-03 Treffen in Berlin\n\nBundeskanzler Olaf Scholz traf am Montag in Berlin {who}.\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "LAGEBILD_"))}
    env.update(PREFECT_SERVER_ANALYTICS_ENABLED="false", LAGEBILD_SETTLE_SECONDS="0.2",
               LAGEBILD_RESCAN_SECONDS="0.5", **extra)
    return env


def wait_until(check: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.3)


def flow_runs(api_url: str) -> dict[str, str]:
    """Flow run id -> state type, read through the Prefect API."""
    request = urllib.request.Request(api_url + "/flow_runs/filter", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as r:
        return {run["id"]: run["state_type"] for run in json.load(r)}


def recorded_runs(data: Path) -> list[str]:
    """The flow run ids the warehouse recorded for its ingest runs."""
    from warehouse.db import connect

    with connect(data / "lagebild.duckdb", read_only=True) as con:
        return [r[0] for r in con.execute("SELECT flow_run_id FROM ingest_runs ORDER BY started_at").fetchall()]


def completed_in_api(api_url: str, data: Path, count: int) -> bool:
    ids = recorded_runs(data)
    runs = flow_runs(api_url)
    return len(ids) >= count and all(runs.get(i) == "COMPLETED" for i in ids)


@dataclass
class Up:
    proc: subprocess.Popen
    data: Path
    api_url: str
    server_pid: int
    log: Path


@pytest.fixture(scope="module")
def up(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Up]:
    """`lagebild up` on a fresh data folder with one seed article, on free ports."""
    root = tmp_path_factory.mktemp("up")
    data, seeds = root / "data", root / "seeds"
    seeds.mkdir()
    shutil.copyfile(sorted(SEEDS.glob("*.txt"))[0], seeds / "seed.txt")
    port = free_port()
    warm_cache(data)
    log = root / "up.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([*LAGEBILD, "up", "--data-dir", str(data), "--seeds", str(seeds), "--port",
                                 str(free_port()), "--prefect-port", str(port)], cwd=ROOT, env=clean_env(),
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    state = data / "prefect" / STATE_NAME
    try:
        wait_until(lambda: state.exists() or proc.poll() is not None, 150, "the Prefect server")
        assert proc.poll() is None, log.read_text()[-3000:]
        info = json.loads(state.read_text())
        assert info["url"] == f"http://127.0.0.1:{port}/api"
        yield Up(proc, data, info["url"], int(info["pid"]), log)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def test_up_runs_a_prefect_server_with_its_ui(up: Up):
    assert healthy(up.api_url)
    with urllib.request.urlopen(up.api_url.removesuffix("/api") + "/", timeout=10) as r:
        assert r.status == 200 and b"<html" in r.read(4000).lower()
    with urllib.request.urlopen(up.api_url.removesuffix("/api") + "/ui-settings", timeout=10) as r:
        assert json.load(r)["api_url"] == up.api_url  # the UI talks to this server, not the default port
    settings = Settings.load(env={}, data_dir=str(up.data))
    assert running_server(settings) is not None and running_server(settings).pid == up.server_pid
    wait_until(lambda: "prefect: http://127.0.0.1:" in up.log.read_text(), 30, "up to print the UI address")


def test_a_dropped_file_becomes_a_flow_run_in_the_server(up: Up):
    wait_until(lambda: completed_in_api(up.api_url, up.data, 1), 120, "the seed's flow run")
    before = len(recorded_runs(up.data))
    (up.data / "inbox" / "dropped.txt").write_text(ARTICLE.format(who="Emmanuel Macron"), encoding="utf-8")
    wait_until(lambda: completed_in_api(up.api_url, up.data, before + 1), 120, "the dropped file's flow run")


def test_ingest_while_up_runs_reports_to_the_same_server(up: Up, tmp_path: Path):
    article = tmp_path / "extra.txt"
    article.write_text(ARTICLE.format(who="Annalena Baerbock"), encoding="utf-8")
    wait_until(lambda: completed_in_api(up.api_url, up.data, 1), 120, "the seed's flow run")
    before = set(flow_runs(up.api_url))
    done = subprocess.run([*LAGEBILD, "ingest", "--data-dir", str(up.data), "--no-progress", str(article)],
                          cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "1 files:" in done.stdout
    assert len(set(flow_runs(up.api_url)) - before) >= 1
    # every run the warehouse recorded, the ingest command's included, is a completed run of this server
    wait_until(lambda: completed_in_api(up.api_url, up.data, len(before) + 1), 60, "the runs to complete")


def test_sigterm_stops_up_and_its_server_and_leaves_no_process(up: Up):
    up.proc.send_signal(signal.SIGTERM)
    assert up.proc.wait(60) == 0, up.log.read_text()[-3000:]
    wait_until(lambda: not group_members(up.proc.pid) and not group_members(up.server_pid), 30,
               "every child to exit")
    with pytest.raises(ProcessLookupError):
        os.kill(up.server_pid, 0)
    assert not (up.data / "prefect" / STATE_NAME).exists()
    assert not healthy(up.api_url, timeout=1)


def test_without_a_server_ingest_runs_without_prefect_unless_asked(tmp_path: Path):
    """No server: the batch steps run as plain calls (no flow run, no ephemeral server to start);
    `--prefect` records the batch in Prefect's ephemeral mode, in the data folder's Prefect home."""
    data = tmp_path / "data"
    state = data / "prefect" / STATE_NAME
    state.parent.mkdir(parents=True)
    warm_cache(data)
    dead = subprocess.Popen(["true"])
    dead.wait()
    state.write_text(json.dumps({"url": f"http://127.0.0.1:{free_port()}/api", "pid": dead.pid}))
    for number, extra in enumerate(([], ["--prefect"])):
        article = tmp_path / f"one-{number}.txt"
        article.write_text(ARTICLE.format(who=("Emmanuel Macron", "Joe Biden")[number]), encoding="utf-8")
        done = subprocess.run([*LAGEBILD, "ingest", "--data-dir", str(data), "--no-progress", *extra, str(article)],
                              cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        assert "1 loaded" in done.stdout
        assert ("no Prefect server runs" in done.stderr) is (not extra)
        assert not state.exists(), "the stale state file was not removed"
        assert (data / "prefect" / "prefect.db").exists() is bool(extra), "only --prefect starts Prefect"
    assert [run is not None for run in recorded_runs(data)] == [False, True]


def test_a_state_file_of_a_process_that_is_no_prefect_server_is_stale(tmp_path: Path):
    settings = Settings.load(env={}, data_dir=str(tmp_path / "data"))
    settings.ensure_folders()
    path = settings.prefect_home / STATE_NAME
    path.write_text(json.dumps({"url": "http://127.0.0.1:9/api", "pid": os.getpid()}))
    assert running_server(settings) is None and not path.exists()
    path.write_text("not json")
    assert running_server(settings) is None and not path.exists()


def test_watch_without_a_server_starts_one_on_a_free_port_and_stops_it(tmp_path: Path):
    """No server runs and the configured port is taken: the watcher starts the data folder's server on
    another port, its flow runs and a separate ingest's go there, and SIGTERM stops both."""
    data = tmp_path / "data"
    warm_cache(data)
    log = tmp_path / "watch.log"
    with socket.socket() as taken, log.open("wb") as out:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.Popen([*LAGEBILD, "watch", "--data-dir", str(data)], cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT, env=clean_env(LAGEBILD_PREFECT_PORT=str(port)),
                                start_new_session=True)
        state = data / "prefect" / STATE_NAME
        try:
            wait_until(lambda: state.exists() or proc.poll() is not None, 150, "the watcher's Prefect server")
            assert proc.poll() is None, log.read_text()[-3000:]
            info = json.loads(state.read_text())
            assert info["owner"] == proc.pid and info["url"] != f"http://127.0.0.1:{port}/api"
            assert f"port {port} is taken" in log.read_text()
            (data / "inbox" / "dropped.txt").write_text(ARTICLE.format(who="Emmanuel Macron"), encoding="utf-8")
            wait_until(lambda: completed_in_api(info["url"], data, 1), 120, "the dropped file's flow run")
            article = tmp_path / "extra.txt"
            article.write_text(ARTICLE.format(who="Annalena Baerbock"), encoding="utf-8")
            done = subprocess.run([*LAGEBILD, "ingest", "--data-dir", str(data), "--no-progress", str(article)],
                                  cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=120)
            assert done.returncode == 0 and "no Prefect server runs" not in done.stderr, done.stderr[-3000:]
            wait_until(lambda: completed_in_api(info["url"], data, 2), 60, "both runs in the watcher's server")
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(60) == 0, log.read_text()[-3000:]
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
    wait_until(lambda: not group_members(int(info["pid"])), 30, "the server to exit")
    assert not state.exists() and not healthy(info["url"], timeout=1)


def test_a_server_whose_watcher_was_killed_is_stopped_not_reused(tmp_path: Path):
    """SIGKILL leaves the watcher's state file behind: the next command stops that server (its owner is
    gone) and runs as if none ran."""
    data = tmp_path / "data"
    warm_cache(data)
    log = tmp_path / "watch.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([*LAGEBILD, "watch", "--data-dir", str(data)], cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT, env=clean_env(LAGEBILD_PREFECT_PORT=str(free_port())))
    state = data / "prefect" / STATE_NAME
    try:
        wait_until(lambda: state.exists() or proc.poll() is not None, 150, "the watcher's Prefect server")
        assert proc.poll() is None, log.read_text()[-3000:]
    finally:
        proc.kill()
        proc.wait(10)
    info = json.loads(state.read_text())
    settings = Settings.load(env={}, data_dir=str(data))
    assert running_server(settings) is None
    assert not state.exists()
    assert not group_members(int(info["pid"])), "the orphaned server still runs"
