"""Where the dashboard finds its data: one `Settings`, built from the LAGEBILD_* variables once.

`lagebild dashboard` starts Streamlit with those variables set, so the settings are built on the
first run and reused; they are built anew only when the variables change (as between tests).
"""

from __future__ import annotations

import functools
import os

from lagebild.settings import ENV_PREFIX, Settings
from warehouse.db import change_stamp


@functools.lru_cache(maxsize=4)
def _load(env: tuple[tuple[str, str], ...]) -> Settings:
    return Settings.load(dict(env))


def settings() -> Settings:
    """The dashboard's settings (Settings.load of the current LAGEBILD_* variables)."""
    return _load(tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(ENV_PREFIX))))


def warehouse() -> str:
    return str(settings().warehouse)


def refresh_seconds() -> float:
    """Seconds between live refreshes (Settings.dashboard_refresh; 0 turns them off)."""
    return max(0.0, settings().dashboard_refresh)


def stamp(target: str) -> tuple[int, ...]:
    """Size and mtime of the warehouse file and its WAL: changes whenever a writer commits.

    Cached queries are keyed on it, so a refresh tick touches DuckDB only after new data.
    """
    return change_stamp(target)
