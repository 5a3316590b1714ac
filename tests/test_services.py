"""cli/services.py: `lagebild dashboard` never leaves its Streamlit child behind (a real process tree)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from helpers import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stopping_the_dashboard_stops_streamlit(tmp_path: Path, sig: signal.Signals) -> None:
    port = _free_port()
    env = {**os.environ, "LAGEBILD_DATA_DIR": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "cli", "dashboard", "--port", str(port), "--address", "127.0.0.1"],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while not _answers(port):
            assert proc.poll() is None and time.monotonic() < deadline, "the dashboard did not start"
            time.sleep(0.5)
        children = psutil.Process(proc.pid).children(recursive=True)
        assert children, "streamlit runs as a child process"
        proc.send_signal(sig)
        assert proc.wait(30) == 0
        gone, alive = psutil.wait_procs(children, timeout=15)
        assert alive == [] and not _answers(port)
    finally:
        if proc.poll() is None:
            proc.kill()
