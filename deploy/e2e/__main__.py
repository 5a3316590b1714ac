"""`make test-deploy`: build the images, `docker compose up`, and check the running stack from outside.

Steps: install Docker and compose from Debian if missing; start dockerd if none runs; build the local
base and PostgreSQL images (cached); build the Lagebild image; bring the stack up and wait for every
health check; drop the seed files into the inbox volume; check `lagebild sql` in the watcher container,
the flow runs in the Prefect server's API and the dashboard over HTTP from the host; SIGKILL the watcher
in the middle of a batch and restart it; tear everything down, volumes included; stop dockerd if this
test started it. If no engine can run here, it prints SKIPPED and why, and exits 0; any other problem
exits 1.
"""

from __future__ import annotations

import argparse
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path

from deploy.e2e import checks
from deploy.e2e.engine import Dockerd, compose_command
from deploy.e2e.images import ROOT, build_all
from deploy.e2e.shell import DeployFailure, Skipped
from deploy.e2e.stack import CORE, Stack, stale_project_exists


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Report:
    def __init__(self) -> None:
        self.passed: list[str] = []
        self.failed: list[str] = []

    def check(self, name: str, step: Callable[[], str]) -> None:
        started = time.monotonic()
        try:
            detail = step()
        except (DeployFailure, OSError, ValueError) as exc:
            self.failed.append(name)
            print(f"FAIL  {name}: {exc}", flush=True)
            raise
        self.passed.append(name)
        print(f"PASS  {name} ({time.monotonic() - started:.0f} s): {detail}", flush=True)


def run_stack(stack: Stack, report: Report, args: argparse.Namespace, ports: dict[str, int]) -> None:
    api, dashboard = f"http://127.0.0.1:{ports['prefect']}/api", f"http://127.0.0.1:{ports['dashboard']}"
    seeds = ROOT / "seeds"
    print("== docker compose up", flush=True)
    started = time.monotonic()
    stack.compose("up", "-d", "--no-build", timeout=900, quiet=False)
    report.check("every service healthy", lambda: ", ".join(
        f"{s} healthy {t:.0f} s after `up`" for s, t in stack.wait_healthy(started, CORE).items()))
    report.check("seed files queryable through `lagebild sql` in the watcher",
                 lambda: checks.seeds_queryable(stack, seeds))
    report.check("flow runs in the Prefect server's API", lambda: checks.flow_runs_in_prefect(api))
    report.check("dashboard answers over HTTP from the host", lambda: checks.dashboard_answers(dashboard))
    report.check("watcher SIGKILLed mid-batch and restarted: nothing lost, nothing loaded twice",
                 lambda: checks.kill_mid_ingest(stack, api, seeds, args.articles, len(checks.seed_files(seeds))))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m deploy.e2e", description=__doc__.split("\n\n")[0])
    p.add_argument("--cache-dir", type=Path, default=Path.home() / ".cache" / "lagebild-deploy",
                   help="root file system tarball, wheelhouse and dockerd log (default ~/.cache/lagebild-deploy)")
    p.add_argument("--articles", type=int, default=120, help="files in the batch that is killed (default 120)")
    args = p.parse_args(argv)
    started, report = time.monotonic(), Report()
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    engine = Dockerd(args.cache_dir / "dockerd.log")
    try:
        engine.ensure()
        compose = compose_command()
        print("== images", flush=True)
        variables = build_all(args.cache_dir)
        ports = {"prefect": free_port(), "dashboard": free_port()}
        variables |= {"LAGEBILD_PREFECT_HOST_PORT": str(ports["prefect"]),
                      "LAGEBILD_DASHBOARD_HOST_PORT": str(ports["dashboard"])}
        stack = Stack(compose, variables)
        if stale_project_exists():
            print("removing a stack left over from an earlier run", flush=True)
            stack.down()
        print(f"== {' '.join(compose)} build (BASE_IMAGE={variables['LAGEBILD_BASE_IMAGE']})", flush=True)
        stack.compose("build", "--force-rm", "prefect-server", timeout=1800)
        try:
            run_stack(stack, report, args, ports)
        except DeployFailure:
            print("---- service logs (last lines) ----\n" + stack.logs(), flush=True)
        finally:
            left = stack.down()
            report.check("torn down, volumes included", lambda: _torn_down(left))
    except Skipped as exc:
        print(f"SKIPPED: make test-deploy: no container engine can run here: {exc}", flush=True)
        return 0
    except DeployFailure as exc:
        if not report.failed:
            report.failed.append("setup")
            print(f"FAIL  setup: {exc}", flush=True)
    finally:
        engine.stop()
    print(f"test-deploy: {len(report.passed)} passed, {len(report.failed)} failed "
          f"in {time.monotonic() - started:.0f} s", flush=True)
    return 1 if report.failed or len(report.passed) < 6 else 0


def _torn_down(left: list[str]) -> str:
    if left:
        raise DeployFailure(f"volumes left after `down -v`: {', '.join(left)}")
    return "containers, network and volumes removed"


if __name__ == "__main__":
    sys.exit(main())
