"""Helpers the deployment tests share: PostgreSQL and Prefect server handles, running `lagebild`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Where the tests look for PostgreSQL (trust auth on these machines); override with LAGEBILD_TEST_PG.
PG_DSN = os.environ.get("LAGEBILD_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
LAGEBILD = [sys.executable, "-m", "cli"]


@dataclass(frozen=True)
class Postgres:
    dsn: str  # of the maintenance database
    host: str
    port: int
    user: str

    def url(self, database: str, driver: str = "postgresql") -> str:
        return f"{driver}://{self.user}@{self.host}:{self.port}/{database}"

    def libpq(self, database: str) -> str:
        """A key=value connection string, as DuckDB's postgres extension takes it."""
        return f"dbname={database} host={self.host} port={self.port} user={self.user}"


@dataclass(frozen=True)
class PrefectServer:
    api_url: str
    home: Path

    def env(self, **extra: str) -> dict[str, str]:
        """Environment for a client process (watcher, ingest, Dask worker) of this server."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        env.update(PREFECT_API_URL=self.api_url, PREFECT_SERVER_ANALYTICS_ENABLED="false",
                   PREFECT_LOGGING_LEVEL="WARNING", PREFECT_HOME=str(self.home), **extra)
        return env


async def pg_execute(dsn: str, *statements: str) -> None:
    import asyncpg

    con = await asyncpg.connect(dsn, timeout=5)
    try:
        for sql in statements:
            await con.execute(sql)
    finally:
        await con.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_lagebild(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `lagebild ARGS` to the end; fail with its output when it exits non-zero."""
    result = subprocess.run([*LAGEBILD, *args], env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    assert result.returncode == 0, (f"lagebild {' '.join(args)} exited with {result.returncode}:\n{result.stdout}\n"
                                    f"{result.stderr[-4000:]}")
    return result


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)
