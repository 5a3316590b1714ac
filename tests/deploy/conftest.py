"""Fixtures for the deployment tests: fresh PostgreSQL databases and one real `prefect server start`
backed by PostgreSQL, started once per test session."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from deploy_helpers import PG_DSN, Postgres, PrefectServer, free_port, pg_execute  # noqa: E402

from cli.processes import stop_group  # noqa: E402


@pytest.fixture(scope="session")
def postgres() -> Postgres:
    """The machine's PostgreSQL, or a skip that says how to get one."""
    try:
        asyncio.run(pg_execute(PG_DSN, "SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means: no PostgreSQL here
        pytest.skip(f"no PostgreSQL at {PG_DSN} ({type(exc).__name__}: {exc}); start one (`.ci/run` does) "
                    "or point LAGEBILD_TEST_PG at a server with trust auth")
    u = urlparse(PG_DSN)
    return Postgres(PG_DSN, u.hostname or "127.0.0.1", u.port or 5432, u.username or "postgres")


@pytest.fixture(scope="session")
def make_database(postgres: Postgres) -> Iterator[Callable[[str], str]]:
    """Create fresh databases on demand; all are dropped at the end of the session."""
    created: list[str] = []

    def make(prefix: str) -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        asyncio.run(pg_execute(postgres.dsn, f'CREATE DATABASE "{name}"'))
        created.append(name)
        return name

    yield make
    for name in created:
        try:
            asyncio.run(pg_execute(postgres.dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        except Exception:  # noqa: BLE001 - cleanup only
            pass


@pytest.fixture(scope="session")
def prefect_server(postgres: Postgres, make_database, tmp_path_factory) -> Iterator[PrefectServer]:
    """`prefect server start` on a free port, its database a fresh one in PostgreSQL."""
    home = tmp_path_factory.mktemp("prefect-server")
    port = free_port()
    env = PrefectServer("", home).env(
        PREFECT_API_DATABASE_CONNECTION_URL=postgres.url(make_database("lagebild_prefect"), "postgresql+asyncpg"),
        PREFECT_UI_ENABLED="false")
    env.pop("PREFECT_API_URL")
    with (home / "server.log").open("w") as log:
        proc = subprocess.Popen([str(Path(sys.executable).parent / "prefect"), "server", "start", "--host",
                                 "127.0.0.1", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            url = f"http://127.0.0.1:{port}/api"
            _wait_healthy(proc, url, home / "server.log")
            yield PrefectServer(url, home)
        finally:
            stop_group(proc)


def _wait_healthy(proc: subprocess.Popen, url: str, log: Path, timeout: float = 90) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"prefect server did not start: {log.read_text()[-3000:]}")
        time.sleep(0.3)
