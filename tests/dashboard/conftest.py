"""Real DuckDB warehouses for the dashboard tests: one with synthetic articles, one empty."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dash_helpers import build_warehouse, use_warehouse  # noqa: E402

from warehouse.db import initialise  # noqa: E402


@pytest.fixture(scope="session")
def data_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lagebild-data")
    (folder / "inbox").mkdir()
    return build_warehouse(folder / "lagebild.duckdb")


@pytest.fixture
def empty_warehouse(tmp_path: Path) -> Path:
    (tmp_path / "inbox").mkdir()
    initialise(tmp_path / "lagebild.duckdb")
    return tmp_path / "lagebild.duckdb"


@pytest.fixture
def with_data(monkeypatch: pytest.MonkeyPatch, data_warehouse: Path) -> Path:
    use_warehouse(monkeypatch, data_warehouse)
    return data_warehouse


@pytest.fixture
def with_empty(monkeypatch: pytest.MonkeyPatch, empty_warehouse: Path) -> Path:
    use_warehouse(monkeypatch, empty_warehouse)
    return empty_warehouse
