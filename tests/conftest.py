"""Shared fixtures: real temp folders, real DuckDB files, real Prefect (test harness)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import SEEDS

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory: pytest.TempPathFactory):
    """One ephemeral Prefect server (SQLite in a temp folder) for the whole test session."""
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def settings(tmp_path: Path):
    from lagebild.settings import Settings

    s = Settings.load(env={}, data_dir=str(tmp_path / "data"))
    s = s.with_(settle_seconds=0.2, rescan_seconds=0.5)
    s.ensure_folders()
    return s


@pytest.fixture
def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))

