"""The compose project under test: docker-compose.yml plus deploy/local/compose.local.yml, run under its
own project name so it never touches a user's `lagebild` stack."""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import time

from deploy.e2e.images import BUILD_ENV, LOCAL, ROOT
from deploy.e2e.shell import DeployFailure, run, run_bytes

PROJECT = "lagebild-e2e"
CORE = ("postgres", "prefect-server", "watcher", "dashboard")


class Stack:
    def __init__(self, compose: list[str], variables: dict[str, str]) -> None:
        self.cmd = [*compose, "-p", PROJECT, "-f", str(ROOT / "docker-compose.yml"),
                    "-f", str(LOCAL / "compose.local.yml")]
        self.env = {**BUILD_ENV, **variables}
        self.env.pop("LAGEBILD_TASK_RUNNER", None)

    def compose(self, *args: str, timeout: float = 600, quiet: bool = True) -> str:
        result = run([*self.cmd, *args], timeout=timeout, quiet=quiet, env=self.env)
        return result.stdout or ""

    def container(self, service: str) -> str:
        cid = self.compose("ps", "-q", service).strip()
        if not cid:
            raise DeployFailure(f"no container for service {service}")
        return cid.splitlines()[0]

    def state(self, service: str) -> dict[str, object]:
        out = run(["docker", "inspect", "-f", "{{json .State}}", self.container(service)]).stdout
        state: dict[str, object] = json.loads(out)
        return state

    def wait_healthy(self, started: float, services: tuple[str, ...] = CORE, timeout: float = 300) -> dict[str, float]:
        """Wait until every service's health check passes; print each as it does (seconds since `started`)."""
        healthy = dict[str, float]()
        while len(healthy) < len(services):
            for service in services:
                if service in healthy:
                    continue
                state = self.state(service)
                health = state.get("Health") or {}
                status = health.get("Status") if isinstance(health, dict) else None
                if state.get("Status") in ("exited", "dead", "restarting") or status == "unhealthy":
                    raise DeployFailure(f"{service} is {state.get('Status')}/{status}:\n{self.logs(service)}")
                if status == "healthy":
                    healthy[service] = time.monotonic() - started
                    print(f"  {service:<15} healthy ({healthy[service]:.0f} s)", flush=True)
            if time.monotonic() - started > timeout:
                missing = [s for s in services if s not in healthy]
                raise DeployFailure(f"not healthy after {timeout:.0f} s: {', '.join(missing)}")
            time.sleep(1)
        for service in services:  # a crash that the restart policy hid is a failure too
            restarts = run(["docker", "inspect", "-f", "{{.RestartCount}}", self.container(service)]).stdout.strip()
            if restarts != "0":
                raise DeployFailure(f"{service} restarted {restarts} time(s) on the way up:\n{self.logs(service)}")
        return healthy

    def exec(self, service: str, *cmd: str, timeout: float = 120, check: bool = True) -> str:
        result = run(["docker", "exec", self.container(service), *cmd], timeout=timeout, check=check)
        return result.stdout

    def drop(self, service: str, folder: str, files: dict[str, bytes]) -> None:
        """Put `files` into the inbox volume as inbox/FOLDER/NAME, all at once: extracted under a
        dot-folder (which the watcher ignores), then renamed into place."""
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w") as tar:
            for name, data in files.items():
                info = tarfile.TarInfo(f"{folder}/{name}")
                info.size, info.mtime = len(data), int(time.time()) - 60
                tar.addfile(info, io.BytesIO(data))
        staging = f"/data/inbox/.drop-{folder}"
        run_bytes(["docker", "exec", "-i", self.container(service), "sh", "-c",
                   f"mkdir -p {staging} && tar -xf - -C {staging} && mv {staging}/{folder} /data/inbox/ "
                   f"&& rmdir {staging}"], buffer.getvalue())

    def logs(self, service: str | None = None, tail: int = 60) -> str:
        args = ["logs", "--no-color", "--tail", str(tail)] + ([service] if service else [])
        result = subprocess.run([*self.cmd, *args], capture_output=True, text=True, env=self.env, timeout=120)
        return result.stdout[-6000:] + result.stderr[-1000:]

    def down(self) -> list[str]:
        """Remove containers, networks and volumes; return the project's volumes still left (none)."""
        subprocess.run([*self.cmd, "down", "-v", "--remove-orphans", "-t", "20"], env=self.env, timeout=300,
                       capture_output=True)
        left = run(["docker", "volume", "ls", "-q", "--filter", f"label=com.docker.compose.project={PROJECT}"])
        return left.stdout.split()


def stale_project_exists() -> bool:
    out = run(["docker", "ps", "-aq", "--filter", f"label=com.docker.compose.project={PROJECT}"]).stdout
    return bool(out.strip())

