"""The only way into DuckDB: short, context-managed connections with retry on the file lock."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import cast

import duckdb

Config = dict[str, str | bool | int | float | list[str]]  # DuckDB settings, as duckdb.connect takes them

LOCK_MARKERS = ("Could not set lock", "Conflicting lock", "database is locked")
NOTICE_AFTER = 1.0  # seconds of waiting before the wait is logged, naming the holder
WAITING_FRESH = 3.0  # a waiting note this recent means someone is still waiting for the file
log = logging.getLogger("lagebild.warehouse")


class WarehouseMissing(RuntimeError):
    """No warehouse file yet."""


class WarehouseBusy(RuntimeError):
    """Another process held the warehouse for longer than the timeout."""


def is_lock_error(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.Error) and any(m in str(exc) for m in LOCK_MARKERS)


@contextmanager
def connect(
    target: str | Path, *, read_only: bool = False, timeout: float = 30.0, config: Config | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse, retrying with backoff while another process holds the lock.

    Writers hold a connection for one batch only; readers open, query, close.
    A `ducklake:…` target opens the lake instead (warehouse/ducklake.py).
    """
    from warehouse import ducklake, host

    if ducklake.is_ducklake(target):
        with ducklake.connect(str(target), read_only=read_only, timeout=timeout, config=config) as lake:
            yield lake
        return
    path = Path(target)
    own = host.hosted(path)
    if own is not None:  # this process writes the warehouse now: a connection to its open database
        with own.connection() as con:
            yield con
        return
    if read_only and not path.exists():
        raise WarehouseMissing(
            f"no warehouse at {path}: run `lagebild ingest PATH` or `make run` first "
            "(or point LAGEBILD_WAREHOUSE at an existing file)"
        )
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    from warehouse import kept_reader

    with kept_reader.set_aside(path) if (config or not read_only) else nullcontext():
        con = open_with_retry(path, read_only=read_only, timeout=timeout, config=config or {})
        try:
            yield con
        finally:
            con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN; COMMIT when the block ends; ROLLBACK on any exception (the only place a transaction is written)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # already ended (a failed COMMIT rolls back by itself); the original error matters
        raise


def drop_scratch(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Drop a scratch table at the end of its use (in a `finally`). In a transaction that an error aborted
    (out of memory, say) it drops nothing and raises nothing: the rollback discards the table, and the error
    that aborted the transaction is the one the caller sees, not DuckDB's "Current transaction is aborted"."""
    try:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    except duckdb.TransactionException:
        pass


def open_with_retry(
    path: Path, *, read_only: bool, timeout: float, config: Config
) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, retried with jittered exponential backoff on lock conflicts; a wait longer than
    NOTICE_AFTER is logged and a timeout raised, each naming the process that holds the lock.

    A reader whose file is held by a process that serves reads (warehouse/host.py: the watcher during a
    batch, `lagebild ingest`, `lagebild reprocess`) gets a connection through that process instead
    (warehouse/remote.py): it does not wait at all."""
    from warehouse import holder, kept_reader, remote

    if not read_only:  # a read-only connection this process keeps would refuse this one
        kept_reader.release(path)
    started = time.monotonic()
    deadline, delay, noticed = started + timeout, 0.05, False
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config)
        except duckdb.Error as exc:
            if not is_lock_error(exc):
                raise
            if read_only:
                pid = remote.serving(path)
                if pid is not None:
                    return cast(duckdb.DuckDBPyConnection, remote.RemoteConnection(path, pid))
            note_waiting(path)
            now = time.monotonic()
            if not noticed and now - started >= NOTICE_AFTER:  # also when this wait ends in the timeout below
                log.warning("%s", holder.waiting_message(path, str(exc)))
                noticed = True
            if now >= deadline:
                raise WarehouseBusy(holder.busy_message(path, str(exc), now - started)) from exc
            time.sleep(min(delay * (0.5 + random.random()), max(deadline - now, 0.0)))
            delay = min(delay * 2, 0.25 if read_only else 1.0)  # readers catch the writer's gaps


def waiting_note(path: Path) -> Path:
    """The file a process touches while it waits for the warehouse's lock (beside the warehouse)."""
    return path.with_name(path.name + ".waiting")


def note_waiting(path: Path) -> None:
    """Tell the writer that someone waits: it then leaves a gap between its transactions."""
    try:
        waiting_note(path).touch()
    except OSError:  # a read-only folder: the writer keeps its gaps anyway (see someone_waiting)
        pass


def someone_waiting(target: str | Path) -> bool:
    """Whether a process waited for this warehouse's lock in the last few seconds (or it cannot tell)."""
    from warehouse import ducklake

    if ducklake.is_ducklake(target):
        return False  # a lake's readers never wait for a file lock
    note = waiting_note(Path(target))
    try:
        return time.time() - note.stat().st_mtime < WAITING_FRESH
    except FileNotFoundError:
        return False
    except OSError:
        return True


def initialise(target: str | Path, timeout: float = 30.0) -> list[int]:
    """Create the warehouse file if needed and apply pending migrations; return versions applied."""
    from warehouse import ducklake
    from warehouse.schema import migrate

    if ducklake.is_ducklake(target):
        return ducklake.initialise(str(target), timeout=timeout)
    with connect(target, timeout=timeout) as con:
        return migrate(con)


def change_stamp(target: str | Path) -> tuple[int, ...]:
    """Changes whenever a writer commits: size and mtime of the file and its WAL (or of a DuckLake's
    catalog file; a PostgreSQL catalog gives a 5-second clock). Readers key their caches on it."""
    from warehouse import ducklake

    if ducklake.is_ducklake(target):
        catalog = ducklake.parse(str(target)).catalog_file
        if catalog is None:
            return (int(time.time() // 5),)
        target = catalog
    out: list[int] = []
    for path in (Path(target), Path(str(target) + ".wal")):
        try:
            st = path.stat()
            out += [st.st_size, st.st_mtime_ns]
        except OSError:
            out += [0, 0]
    return tuple(out)
