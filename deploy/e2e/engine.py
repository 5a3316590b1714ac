"""The container engine: Debian's docker.io and docker-compose installed when missing, dockerd started
when none runs (and stopped again by whoever started it)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from deploy.e2e.shell import Skipped, run

APT_PACKAGES = ("docker.io", "docker-compose", "debootstrap")


def engine_answers() -> bool:
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=60).returncode == 0


def _compose_plugin() -> bool:
    return bool(shutil.which("docker")) and subprocess.run(["docker", "compose", "version"],
                                                           capture_output=True).returncode == 0


def compose_command() -> list[str]:
    """`docker compose` (v2 plugin) where it exists, else Debian's `docker-compose` (v1)."""
    if _compose_plugin():
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    raise Skipped("neither `docker compose` nor `docker-compose` is installed")


def install_missing() -> None:
    """apt-get install the engine, compose and debootstrap if any is missing (needs root)."""
    have_compose = bool(shutil.which("docker-compose")) or _compose_plugin()
    if shutil.which("dockerd") and have_compose and shutil.which("debootstrap"):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise Skipped("docker.io, docker-compose or debootstrap is missing and cannot be installed here "
                      "(needs root and apt-get); install them, or start a Docker engine, and run again")
    print(f"installing {' '.join(APT_PACKAGES)} from Debian …", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-q"], env=env, timeout=600)
    result = run(["apt-get", "install", "-y", "-q", *APT_PACKAGES], env=env, timeout=900, check=False)
    if result.returncode != 0:
        raise Skipped(f"apt-get install {' '.join(APT_PACKAGES)} failed: {result.stderr[-500:]}")


class Dockerd:
    """dockerd started by this test, if none answered; `stop` ends only that one."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def ensure(self) -> None:
        if engine_answers():
            print("Docker engine: already running (left running afterwards)", flush=True)
            return
        install_missing()
        if os.geteuid() != 0:
            raise Skipped("no Docker engine runs and starting dockerd needs root")
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(["dockerd"], stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while not engine_answers():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                tail = self.log.read_text(errors="replace")[-1500:]
                self.stop()
                raise Skipped(f"dockerd did not start on this machine (log {self.log}):\n{tail}")
            time.sleep(0.5)
        print(f"Docker engine: dockerd started (pid {self.proc.pid}, log {self.log})", flush=True)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        print("Docker engine: dockerd stopped", flush=True)
