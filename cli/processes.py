"""Stopping a child process started in its own session (start_new_session=True), with its children."""

from __future__ import annotations

import os
import signal
import subprocess
from typing import Any


def stop_group(proc: subprocess.Popen[Any], timeout: float = 20.0) -> None:
    """SIGTERM to the child's process group, SIGKILL if it does not end within `timeout` seconds. The
    group is signalled even when the child itself has ended: what it started may still run."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout)
            break
        except subprocess.TimeoutExpired:
            continue
    proc.poll()
