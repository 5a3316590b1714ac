"""A read-only connection that a reading process keeps open between its queries, until a writer wants the file.

Opening the warehouse for every query (as `warehouse.db.connect(read_only=True)` does, so that a writer
waits one query at most) costs the open and a cold read of every block the query touches: at 250,000
generated articles the dashboard's drill-down took 590 ms that way and 132 ms on a connection kept open,
the top actors 96 against 51 ms (`python -m bench.make_warehouse W --keep --measure [--kept-open]`).

A process that calls `enable()` (the dashboard) keeps one read-only DuckDB connection per warehouse file;
`cursor(target)` hands out a cursor of it for one query. DuckDB lets a writer in only when no other process
has the file open, and a writer that finds it held leaves a note while it retries (`db.note_waiting`): a
watchdog thread closes the kept connection as soon as such a note is fresh and no query is running on it,
or after KEEP_SECONDS without a query. While a writer waits or writes, `cursor` yields None and the caller
opens a short connection as before (which the watcher, while it writes, answers itself: warehouse/host.py).
Because a writer can only write once the kept connection is closed, a kept connection never shows an
outdated warehouse. A writer in this same process (`db.open_with_retry` for writing) closes it first.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

log = logging.getLogger("lagebild.warehouse")
KEEP_SECONDS = 30.0  # a kept connection without a query for this long is closed (DuckDB's cache freed)
WATCH_EVERY = 0.05  # seconds between the watchdog's looks at the waiting note
_enabled = False
_lock = threading.Condition()
_kept: dict[Path, _Kept] = {}
_watchdog: threading.Thread | None = None
_aside: dict[Path, int] = {}  # files with a connection of other settings open in this process: none kept


class _Kept:
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.running = 0  # queries on its cursors now
        self.last_used = time.monotonic()


def enable() -> None:
    """Keep read-only connections open in this process from now on (the dashboard calls this once)."""
    global _enabled, _watchdog
    with _lock:
        _enabled = True
        if _watchdog is None or not _watchdog.is_alive():
            _watchdog = threading.Thread(target=_watch, name="warehouse-kept-reader", daemon=True)
            _watchdog.start()


def disable() -> None:
    """Stop keeping connections (tests); the kept ones are closed once their queries end."""
    global _enabled
    with _lock:
        _enabled = False
    for path in list(_kept):
        release(path)


@contextmanager
def cursor(target: str | Path) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """A cursor of the kept connection to `target` for one query, or None: keeping is off, a writer waits
    for the file or holds it (the caller then opens a connection of its own)."""
    from warehouse import db

    path = Path(target).absolute()
    kept = (_take(path) if _enabled and not _aside.get(path) and path.exists() and not db.someone_waiting(path)
            else None)
    if kept is None:
        yield None
        return
    try:
        cur = kept.con.cursor()
        try:
            yield cur
        finally:
            cur.close()
    finally:
        with _lock:
            kept.running -= 1
            kept.last_used = time.monotonic()
            _lock.notify_all()


@contextmanager
def reading(target: str | Path, timeout: float) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of the kept connection, or else a short read-only connection (`db.connect`, waiting up to
    `timeout` seconds for a writer that does not serve reads)."""
    from warehouse import db

    with cursor(target) as kept:
        if kept is not None:
            yield kept
            return
    with db.connect(target, read_only=True, timeout=timeout) as con:
        yield con


def _take(path: Path) -> _Kept | None:
    with _lock:
        kept = _kept.get(path)
        if kept is None:
            try:
                con = duckdb.connect(str(path), read_only=True)
            except duckdb.Error as exc:  # a writer holds the file (or DuckDB refuses): a connection of its own
                log.debug("no kept connection to %s: %s", path, exc)
                return None
            kept = _kept[path] = _Kept(con)
        kept.running += 1
        return kept


@contextmanager
def set_aside(target: str | Path) -> Iterator[None]:
    """No kept connection to `target` while the block runs (DuckDB refuses a second connection of this
    process to a file with other settings: a writer's, the SQL console's locked-down one)."""
    path = Path(target).absolute()
    with _lock:
        _aside[path] = _aside.get(path, 0) + 1
    try:
        release(path)
        yield
    finally:
        with _lock:
            _aside[path] -= 1
            if not _aside[path]:
                del _aside[path]


def release(target: str | Path, wait: float = 30.0) -> None:
    """Close the kept connection to `target` once its running queries end (at most `wait` seconds)."""
    path = Path(target).absolute()
    deadline = time.monotonic() + wait
    with _lock:
        while (kept := _kept.get(path)) is not None and kept.running and time.monotonic() < deadline:
            _lock.wait(0.05)
        kept = _kept.pop(path, None)
    if kept is not None:
        kept.con.close()


def _watch() -> None:
    from warehouse import db

    while True:
        time.sleep(WATCH_EVERY)
        now = time.monotonic()
        for path, kept in list(_kept.items()):
            if kept.running:
                continue
            if db.someone_waiting(path) or now - kept.last_used > KEEP_SECONDS or not path.exists():
                with _lock:
                    if _kept.get(path) is kept and not kept.running:
                        _kept.pop(path)
                    else:
                        continue
                kept.con.close()
