"""Running commands for the deployment test, and the two ways it ends early."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Sequence


class Skipped(Exception):
    """The container engine cannot run on this machine: the test is skipped, with this reason."""


class DeployFailure(Exception):
    """The deployment did not do what it promises."""


def run(cmd: Sequence[str], *, timeout: float = 600, check: bool = True, quiet: bool = True,
        input: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command; on failure raise DeployFailure with the end of its output."""
    result = subprocess.run(list(cmd), input=input.decode() if input is not None else None,
                            capture_output=quiet, text=True, timeout=timeout, env=env)
    if check and result.returncode != 0:
        tail = ((result.stdout or "") + (result.stderr or ""))[-3000:]
        raise DeployFailure(f"`{' '.join(cmd)}` exited {result.returncode}:\n{tail}")
    return result


def run_bytes(cmd: Sequence[str], data: bytes, timeout: float = 300) -> None:
    """Run a command with `data` on its standard input."""
    result = subprocess.run(list(cmd), input=data, capture_output=True, timeout=timeout)
    if result.returncode != 0:
        raise DeployFailure(f"`{' '.join(cmd)}` exited {result.returncode}: {result.stderr.decode()[-2000:]}")


def wait_for(what: str, probe: Callable[[], bool], timeout: float, every: float = 0.5) -> float:
    """Call `probe` until it is true; return the seconds it took, or fail naming `what`."""
    started = time.monotonic()
    while not probe():
        if time.monotonic() - started > timeout:
            raise DeployFailure(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)
    return time.monotonic() - started
