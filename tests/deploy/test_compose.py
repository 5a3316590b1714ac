"""docker-compose.yml, Dockerfile, .dockerignore: valid against the Compose specification, and every
command a service runs exists in this project (there is no Docker engine to run them here)."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from helpers import ROOT

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
CORE = {"postgres", "prefect-server", "watcher", "dashboard"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_file_is_valid_against_the_compose_specification(compose):
    schema = json.loads((HERE / "compose-spec.json").read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(compose), key=lambda e: e.path)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_topology_services_ports_volumes_and_profiles(compose):
    services = compose["services"]
    assert CORE <= set(services)
    assert {n for n, s in services.items() if "dask" in s.get("profiles", [])} == {"dask-scheduler", "dask-worker"}
    assert services["dask-worker"]["deploy"]["replicas"] == 2
    assert "${LAGEBILD_PREFECT_HOST_PORT:-4200}:4200" in services["prefect-server"]["ports"]
    assert "${LAGEBILD_DASHBOARD_HOST_PORT:-8501}:8501" in services["dashboard"]["ports"]
    assert {"inbox", "archive", "warehouse", "pgdata"} <= set(compose["volumes"])
    for name in ("watcher", "dashboard", "dask-worker"):
        mounted = {v.split(":")[0] for v in services[name]["volumes"]}
        assert {"inbox", "archive", "warehouse"} <= mounted, name
    env = services["watcher"]["environment"]
    assert env["PREFECT_API_URL"] == "http://prefect-server:4200/api"
    assert env["LAGEBILD_WAREHOUSE"].startswith("ducklake:postgres:")
    assert services["prefect-server"]["environment"]["PREFECT_API_DATABASE_CONNECTION_URL"].startswith(
        "postgresql+asyncpg://prefect:prefect@postgres:5432/")


def test_every_dependency_waits_on_a_health_check_that_exists(compose):
    services = compose["services"]
    for name, service in services.items():
        for dep, cond in service.get("depends_on", {}).items():
            assert dep in services, f"{name} depends on unknown service {dep}"
            if cond["condition"] == "service_healthy":
                assert "healthcheck" in services[dep], f"{name} waits for {dep}, which has no healthcheck"
    for name in CORE | {"dask-scheduler"}:
        assert "healthcheck" in services[name], name


def test_lagebild_commands_parse_with_the_real_cli(compose):
    from cli.main import build_parser

    commands = [s["command"] for s in compose["services"].values() if s.get("command", [""])[0] == "lagebild"]
    commands += [s["healthcheck"]["test"][1:] for s in compose["services"].values()
                 if s.get("healthcheck", {}).get("test", [None, None])[1] == "lagebild"]
    assert len(commands) >= 3
    for command in commands:
        build_parser().parse_args(command[1:])  # exits (fails the test) on an unknown command or flag


@pytest.mark.parametrize("service", ["prefect-server", "dask-scheduler", "dask-worker"])
def test_other_commands_exist_in_the_environment(compose, service):
    command = compose["services"][service]["command"]
    program = BIN / command[0]
    assert program.exists(), f"{command[0]} is not installed in the project's environment"
    sub = [w for w in command[1:] if not w.startswith("-") and "://" not in w][:2 if command[0] == "prefect" else 1]
    result = subprocess.run([str(program), *sub, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    flags = {w.split("=")[0] for w in command if w.startswith("--")}
    assert all(f in result.stdout for f in flags), f"{service}: flags {flags} not all in `{shlex.join(sub)} --help`"


def test_python_health_checks_compile(compose):
    for name, service in compose["services"].items():
        test = service.get("healthcheck", {}).get("test", [])
        if test[:3] == ["CMD", "python", "-c"]:
            compile(test[3], f"{name} healthcheck", "exec")


def test_dockerfile_copies_what_exists_and_ignores_local_state():
    lines = (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()
    copies = [line.split()[1:-1] for line in lines if line.startswith("COPY ")]
    assert copies
    for sources in copies:
        for source in sources:
            assert (ROOT / source).exists(), f"Dockerfile copies {source}, which does not exist"
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", "data", ".git"} <= set(ignored)
    assert (ROOT / "deploy" / "postgres-init.sql").exists()
    for service in yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"].values():
        for volume in service.get("volumes", []):
            if volume.startswith("./"):
                assert (ROOT / volume.split(":")[0]).exists(), volume
