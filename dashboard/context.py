"""Where the dashboard finds its data: settings from LAGEBILD_* variables, read on each run."""

from __future__ import annotations

import os

from lagebild.settings import Settings
from warehouse.db import change_stamp

DEFAULT_REFRESH = 3.0


def settings() -> Settings:
    return Settings.load()


def warehouse() -> str:
    return str(settings().warehouse)


def refresh_seconds() -> float:
    """Seconds between live refreshes (env LAGEBILD_DASHBOARD_REFRESH, 0 turns it off)."""
    try:
        return max(0.0, float(os.environ.get("LAGEBILD_DASHBOARD_REFRESH", DEFAULT_REFRESH)))
    except ValueError:
        return DEFAULT_REFRESH


def stamp(target: str) -> tuple[int, ...]:
    """Size and mtime of the warehouse file and its WAL: changes whenever a writer commits.

    Cached queries are keyed on it, so a refresh tick touches DuckDB only after new data.
    """
    return change_stamp(target)
