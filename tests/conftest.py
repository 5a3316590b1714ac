"""Shared fixtures: real temp folders, real DuckDB files, real Prefect (test harness)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import helpers
from helpers import SEEDS, warm_cache

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@pytest.fixture(scope="session", autouse=True)
def _warm_root(tmp_path_factory: pytest.TempPathFactory) -> None:
    """One folder for the run's compiled resources (helpers.warm_cache), shared by parallel workers."""
    base = tmp_path_factory.getbasetemp()
    helpers.WARM_ROOT = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "warm-resources"


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
    warm_cache(s.data_dir)
    return s


@pytest.fixture
def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))



LONG_RUNNING = ("slow", "browser", "postgres")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the files with long tests first (each file's tests stay together and in order).

    `make test` spreads whole files over parallel workers (pytest-xdist, --dist loadfile): a long
    file started last would otherwise run alone at the end while the other workers sit idle.
    """
    long_files = {item.path for item in items if any(item.get_closest_marker(m) for m in LONG_RUNNING)}
    items.sort(key=lambda item: item.path not in long_files)
