"""Long-running maintenance made visible: each job logs its start, end and duration, and leaves a row
in `maintenance_log` (status 'running' while it runs) that `lagebild status` and the Ingest page show."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from warehouse.db import connect, transaction

if TYPE_CHECKING:  # pandas costs ~0.3 s to import: only the dashboard's reader needs it
    import pandas as pd

log = logging.getLogger("lagebild.maintenance")
RECORD_TIMEOUT = 5.0  # seconds to wait for the warehouse to record a row; the job runs regardless


@contextmanager
def maintenance(target: str | Path, task: str) -> Iterator[Callable[[str], None]]:
    """Run a maintenance job inside the block; the yielded function adds a detail to its end record.

    Open no write connection on the warehouse around the block: the records take their own.
    """
    started, clock, details = datetime.now(), time.monotonic(), list[str]()
    log.info("maintenance started: %s", task)
    _record(target, "INSERT INTO maintenance_log (task, pid, started_at, status) VALUES (?, ?, ?, 'running')",
            [task, os.getpid(), started])
    try:
        yield details.append
    except BaseException as exc:
        _finish(target, task, started, time.monotonic() - clock, "failed", f"{type(exc).__name__}: {exc}")
        raise
    _finish(target, task, started, time.monotonic() - clock, "done", "; ".join(details) or None)


def _finish(target: str | Path, task: str, started: datetime, seconds: float, status: str,
            detail: str | None) -> None:
    (log.info if status == "done" else log.warning)(
        "maintenance %s: %s in %.1f s%s", status, task, seconds, f" ({detail})" if detail else "")
    _record(target, """UPDATE maintenance_log SET finished_at = ?, seconds = ?, status = ?, detail = ?
                       WHERE task = ? AND pid = ? AND started_at = ?""",
            [datetime.now(), seconds, status, detail, task, os.getpid(), started])


def _record(target: str | Path, sql: str, params: list[object]) -> None:
    """Best effort: a busy or older warehouse must not stop the job (the log line still tells)."""
    try:
        with connect(target, timeout=RECORD_TIMEOUT) as con, transaction(con):
            con.execute(sql, params)
    except Exception as exc:  # noqa: BLE001 - recording is secondary to the job itself
        log.debug("maintenance not recorded in the warehouse: %s", exc)


def recent(con: duckdb.DuckDBPyConnection, limit: int = 10) -> pd.DataFrame:
    """The latest maintenance jobs, running ones first, on an open connection."""
    return con.execute(
        """SELECT task, status, started_at, finished_at, round(seconds, 1) AS seconds, pid, detail
           FROM maintenance_log ORDER BY status = 'running' DESC, started_at DESC LIMIT ?""", [limit]).df()
