"""Stopping a child process started in its own session (start_new_session=True), with its children."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
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


def group_members(pgid: int) -> list[int]:
    """The live (not zombie) processes of process group `pgid` (Linux /proc; empty where there is none)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            out.append(int(stat.parent.name))
    return out


def stop_orphan_group(pgid: int, timeout: float = 20.0) -> bool:
    """SIGTERM to a process group that is not our child, SIGKILL if any member outlives `timeout`, and wait
    until none is left (their parent is gone, so there is nothing to reap); False if one still runs then."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pgid, sig)
        except OSError:
            return True
        deadline = time.monotonic() + wait
        while group_members(pgid):
            if time.monotonic() > deadline:
                break
            time.sleep(0.1)
        else:
            return True
    return not group_members(pgid)
