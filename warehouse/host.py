"""The writing process serves the warehouse's readers (the other side of warehouse/remote.py).

While `hosting(target)` is active, this process keeps the warehouse open (one DuckDB database, the
anchor) and every `warehouse.db.connect` of this process gets a connection to that same database. A
server thread answers other processes' reads on the warehouse's socket, each on its own connection:
DuckDB gives every query the snapshot of the last commit, so a reader never waits for the writer's
transaction, and the writer never waits for a reader.

What a served query may do is what the SQL console allows: one reading statement (SELECT, WITH, SHOW,
DESCRIBE, SUMMARIZE, EXPLAIN), no file access (the anchor is opened with external access disabled),
stopped by the client's interrupt or when the client goes away.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import re
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from warehouse import remote

log = logging.getLogger("lagebild.warehouse")
READING = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
# Served reads share the writer's database and its memory limit, so the limit grows by READERS_SHARE while
# this process serves, and at most SERVED_AT_ONCE of them run at a time (the others queue): the dashboard's
# queries must not take the memory the writer's transaction needs (DuckDB fails a transaction, or even a
# checkpoint, that finds the limit used up).
READERS_SHARE = 256 * 1000**2
SERVED_AT_ONCE = 2
REQUEST_TIMEOUT = 30.0  # seconds a served reader has to send its request after connecting
OOM_RETRIES, OOM_WAIT = 4, 0.25  # a served read out of memory is tried again after 0.25, 0.5, 1 and 2 s
_UNITS = {"": 1, "b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3, "tb": 1000**4,
          "kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)?\s*", re.IGNORECASE)


def with_readers_share(memory_limit: str) -> str:
    """A DuckDB memory limit such as '128MB' plus READERS_SHARE, as a DuckDB size."""
    found = _SIZE.fullmatch(memory_limit)
    if found is None:
        raise ValueError(f"not a size: {memory_limit!r}")
    total = float(found.group(1)) * _UNITS[(found.group(2) or "").lower()] + READERS_SHARE
    return f"{int(total // 1000**2)}MB"

_hosted: dict[str, Host] = {}
_hosted_lock = threading.Lock()


def key(target: str | Path) -> str:
    return str(Path(target).resolve())


def hosted(target: str | Path) -> Host | None:
    """The Host of this warehouse in this process, if this process hosts it now."""
    with _hosted_lock:
        return _hosted.get(key(target))


class Host:
    """One open database for the writing process, and the server thread that answers other readers."""

    def __init__(self, target: Path, anchor: duckdb.DuckDBPyConnection) -> None:
        self.target = target
        self._anchor = anchor
        self._lock = threading.Lock()  # DuckDB's cursor() from several threads: one at a time
        self._turns = threading.BoundedSemaphore(SERVED_AT_ONCE)
        self.served = 0

    def connection(self) -> duckdb.DuckDBPyConnection:
        """A new connection to the hosted database (close it when done; the database stays open)."""
        with self._lock:
            return self._anchor.cursor()

    def answer(self, request: dict[str, Any], sock: socket.socket) -> dict[str, Any]:
        """Run one reader's request on its own connection; the client may interrupt it meanwhile."""
        try:
            with self._turns, self.connection() as con:
                return _run(con, request, sock)
        except duckdb.Error as exc:
            return {"error": type(exc).__name__, "message": str(exc)}
        except Exception as exc:  # noqa: BLE001 - a malformed request: the reader is told, the writer goes on
            return {"error": "InvalidInputException", "message": f"the request could not be run: {exc!r}"}
        finally:
            self.served += 1


def _run(con: duckdb.DuckDBPyConnection, request: dict[str, Any], sock: socket.socket) -> dict[str, Any]:
    sql = request["sql"]
    statements = con.extract_statements(sql)
    if len(statements) != 1:
        raise duckdb.InvalidInputException(f"one statement at a time, please (found {len(statements)})")
    if statements[0].type not in READING:
        raise duckdb.PermissionException(
            f"not allowed: a reader runs queries only (SELECT, WITH, SHOW, DESCRIBE, EXPLAIN), "
            f"not {statements[0].type.name}")
    done = threading.Event()
    listener = threading.Thread(target=_interrupt_on_word, args=(sock, con, done), daemon=True,
                                name="warehouse-reader-interrupt")
    listener.start()
    try:
        try:
            return _fetch(con, sql, request)
        except duckdb.InvalidInputException as exc:
            if "'pandas' is required" not in str(exc):
                raise
            # DuckDB needed pandas for this statement or its values, and this process keeps pandas out
            # (lagebild/imports.py): let it in and run the read again, a reader's query must not fail for that
            from lagebild.imports import unblock_pandas

            log.info("a served read needs pandas, which this process kept out until now: %s",
                     " ".join(sql.split())[:100])
            unblock_pandas()
            return _fetch(con, sql, request)
    finally:
        done.set()
        _stop_listening(sock, listener)


def _stop_listening(sock: socket.socket, listener: threading.Thread) -> None:
    """Wake the interrupt listener from its recv() (after SHUT_RD it returns b"") and wait for it, before
    the answer is sent and the socket closed. A listener left in recv() could read from the next reader's
    connection once it gets the same file descriptor: a byte of that request lost, and that reader and
    the writer waiting for each other for ever, the writer's batch never ending. The answer still goes out:
    SHUT_RD stops only this side's reading."""
    try:
        sock.shutdown(socket.SHUT_RD)
    except OSError:  # the reader has gone already; the listener then saw the end and has stopped
        pass
    listener.join()


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, request: dict[str, Any]) -> dict[str, Any]:
    """The answer to one read; a read that finds the memory taken by the writer's transaction waits for it
    (OOM_RETRIES times, doubling the wait from OOM_WAIT) before it fails."""
    for attempt in range(OOM_RETRIES + 1):
        try:
            return _fetch_once(con, sql, request)
        except duckdb.OutOfMemoryException:
            if attempt == OOM_RETRIES:
                raise
            time.sleep(OOM_WAIT * 2**attempt)
    raise AssertionError("unreachable")


def _fetch_once(con: duckdb.DuckDBPyConnection, sql: str, request: dict[str, Any]) -> dict[str, Any]:
    cursor = con.execute(sql, remote.decode_params(request["params"]))
    if request["mode"] == "df":  # as Arrow: the writer's process keeps pandas out (lagebild/imports.py)
        return {"arrow": cursor.to_arrow_table()}
    limit = request["limit"]
    rows = cursor.fetchall() if limit is None else cursor.fetchmany(limit)
    return {"rows": rows, "description": _plain(cursor.description)}


def _plain(description: list[tuple[Any, ...]] | None) -> list[tuple[Any, ...]] | None:
    """A cursor's description with its DuckDB type objects as their names (they cannot be pickled)."""
    if description is None:
        return None
    return [(d[0], str(d[1]), *d[2:]) for d in description]


def _interrupt_on_word(sock: socket.socket, con: duckdb.DuckDBPyConnection, done: threading.Event) -> None:
    """Interrupt the query when the client sends `!` or goes away before the answer."""
    try:
        word = sock.recv(1)
    except OSError:
        word = b""
    if not done.is_set() and (word == remote.INTERRUPT or word == b""):
        con.interrupt()


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        sock: socket.socket = self.request
        try:
            if remote.peer(sock)[1] != os.getuid():
                return
            sock.settimeout(REQUEST_TIMEOUT)  # a reader that connects and sends nothing must not hold the batch's end
            request = json.loads(remote.receive(sock))
            sock.settimeout(None)  # the interrupt listener waits as long as the query runs
            answer = self.server.host.answer(request, sock)
            try:
                payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # a value pickle cannot carry
                payload = pickle.dumps({"error": "Error", "message": f"the result cannot be sent: {exc}"})
            remote.send(sock, payload)
        except (OSError, ValueError) as exc:
            log.debug("a reader of %s went away: %s", self.server.host.target, exc)


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = False
    block_on_close = True  # server_close() waits for the queries that run

    def __init__(self, host: Host) -> None:
        self.host = host
        super().__init__(remote.address(host.target), _Handler)


@contextmanager
def hosting(target: str | Path, config: dict[str, Any] | None = None, timeout: float = 600.0) -> Iterator[Host]:
    """Keep the warehouse open in this process and serve other processes' reads while the block runs.

    `config` is the DuckDB configuration of the writer's connections (threads; its memory limit is raised
    by READERS_SHARE for the served reads); external access is always off. `timeout`: seconds to wait for
    another process that holds the file. Nested use for the same warehouse reuses the outer Host. When
    the block ends, the database is checkpointed while readers are still served, then the server stops
    and the file is closed, so the gap in which readers wait for the file is as short as closing it."""
    from warehouse.db import open_with_retry

    path = Path(target)
    outer = hosted(path)
    if outer is not None:
        yield outer
        return
    settings = {**(config or {}), "enable_external_access": "false"}
    if isinstance(settings.get("memory_limit"), str):
        settings["memory_limit"] = with_readers_share(str(settings["memory_limit"]))
    anchor = open_with_retry(path, read_only=False, timeout=timeout, config=settings)
    # DuckDB hands out the database this process already has open, if any, with its own settings: make sure
    anchor.execute("SET enable_external_access = false")
    if "memory_limit" in settings:
        anchor.execute(f"SET memory_limit = '{settings['memory_limit']}'")  # a size we formatted, not input
    host = Host(path, anchor)
    try:
        server = _Server(host)
    except OSError as exc:  # another process serves this file (it cannot: it would hold the lock), or no sockets
        log.warning("readers of %s cannot be served by this process (%s); they wait for the file", path, exc)
        server = None
    thread = None
    if server is not None:
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                  name="warehouse-readers", daemon=True)
        thread.start()
    with _hosted_lock:
        _hosted[key(path)] = host
    try:
        yield host
    finally:
        with _hosted_lock:
            _hosted.pop(key(path), None)
        started = time.monotonic()
        try:
            with host.connection() as con:
                con.execute("CHECKPOINT")  # the close below has little left to write
        except duckdb.Error as exc:
            log.debug("checkpoint before closing %s: %s", path, exc)
        if server is not None and thread is not None:
            server.shutdown()
            server.server_close()
            thread.join()
        anchor.close()
        log.debug("stopped serving %s after %d reads (closing took %.2f s)", path, host.served,
                  time.monotonic() - started)
