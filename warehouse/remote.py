"""Reading a warehouse that another process writes: queries go to that process, which answers them.

DuckDB lets one process open a database file for writing, and while it has it open nobody else can
open it, not even to read. So the process that writes (the watcher during a batch, `lagebild ingest`,
`lagebild reprocess`) serves reads on a local socket (warehouse/host.py) and runs them on its own open
database, where DuckDB's transactions give each query a consistent snapshot without waiting for the
writer's transaction. `warehouse.db.connect(read_only=True)` uses this when a writer serves, so the
dashboard, `lagebild sql` and scripts never wait for the file.

The wire: the client sends one length-prefixed JSON request (statement, parameters, what to fetch);
while it waits, a single byte `!` interrupts the query; the answer is one length-prefixed pickle.
Both sides check that the other runs under the same user (SO_PEERCRED), so nobody else can query the
warehouse or answer for it.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import socket
import struct
import threading
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    import pandas as pd  # the writer's process keeps pandas out (lagebild/imports.py)

HEADER = struct.Struct("!Q")
INTERRUPT = b"!"
ANSWER_MARGIN = 3600.0  # seconds a client waits for an answer; the server stops a query on the time limit


class ServerGone(ConnectionError):
    """The serving process stopped before it answered (its batch ended); the query runs again elsewhere."""


def address(target: str | Path) -> str:
    """The abstract socket (Linux: no file, gone when the process ends) of the writer of this file."""
    digest = hashlib.sha256(str(Path(target).resolve()).encode()).hexdigest()[:32]
    return f"\0lagebild-warehouse-{digest}"


def peer(sock: socket.socket) -> tuple[int, int]:
    """PID and user id of the process at the other end of a Unix socket."""
    pid, uid, _gid = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
    return pid, uid


def send(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(HEADER.pack(len(payload)) + payload)


def receive(sock: socket.socket) -> bytes:
    head = _exactly(sock, HEADER.size)
    return _exactly(sock, HEADER.unpack(head)[0])


def _exactly(sock: socket.socket, count: int) -> bytes:
    chunks, left = [], count
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise ServerGone("the serving process closed the connection")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def encode_params(params: Any) -> Any:
    """Query parameters as JSON: dates and times tagged, sequences as lists."""
    if isinstance(params, datetime):
        return {"$datetime": params.isoformat()}
    if isinstance(params, date):
        return {"$date": params.isoformat()}
    if isinstance(params, time):
        return {"$time": params.isoformat()}
    if isinstance(params, (list, tuple)):
        return [encode_params(p) for p in params]
    if params is None or isinstance(params, (str, int, float, bool)):
        return params
    raise TypeError(f"query parameter of type {type(params).__name__} cannot be sent to the warehouse's writer "
                    "(use str, int, float, bool, date, datetime, time, None or lists of them)")


def decode_params(params: Any) -> Any:
    if isinstance(params, dict):
        (tag, value), = params.items()
        return {"$datetime": datetime.fromisoformat, "$date": date.fromisoformat,
                "$time": time.fromisoformat}[tag](value)
    if isinstance(params, list):
        return [decode_params(p) for p in params]
    return params


def serving(target: str | Path) -> int | None:
    """The PID of the process that serves reads of this warehouse now, or None."""
    try:
        with _connect(target, timeout=2.0) as sock:
            return peer(sock)[0]
    except OSError:
        return None


def _connect(target: str | Path, timeout: float | None) -> socket.socket:
    """A connection to the writer's socket, checked to belong to this user (raises OSError if none)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(address(target))
        if peer(sock)[1] != os.getuid():
            raise PermissionError(f"the process serving {target} runs under another user")
    except BaseException:
        sock.close()
        raise
    return sock


class RemoteConnection:
    """What readers use of a DuckDB connection (execute, then df / fetchall / fetchone / fetchmany /
    description; interrupt, close), answered by the process that writes the warehouse."""

    def __init__(self, target: str | Path, holder_pid: int) -> None:
        self.target = target
        self.holder_pid = holder_pid
        self._sql: str | None = None
        self._params: Any = None
        self._rows: list[tuple[Any, ...]] | None = None
        self._partial = False
        self._description: list[tuple[Any, ...]] | None = None
        self._inflight: socket.socket | None = None
        self._lock = threading.Lock()

    def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> RemoteConnection:
        self._sql, self._params = sql, encode_params(list(parameters) if parameters is not None else None)
        self._rows, self._partial, self._description = None, False, None
        return self

    def df(self) -> pd.DataFrame:
        answer = self._ask("df", None)
        if "frame" in answer:
            frame: pd.DataFrame = answer["frame"]
            return frame
        with duckdb.connect() as convert:  # DuckDB's own conversion, as the file's connection would give it
            return convert.from_arrow(answer["arrow"]).df()

    fetchdf = df

    def fetchall(self) -> list[tuple[Any, ...]]:
        rows = self._fetch_rows()
        self._rows = []
        return rows

    def fetchone(self) -> tuple[Any, ...] | None:
        rows = self._fetch_rows()
        return rows.pop(0) if rows else None

    def fetchmany(self, size: int = 1) -> list[tuple[Any, ...]]:
        if self._rows is None:
            answer = self._ask("rows", size)
            self._rows, self._partial = answer["rows"], True
        taken, self._rows = self._rows[:size], self._rows[size:]
        return taken

    @property
    def description(self) -> list[tuple[Any, ...]] | None:
        if self._description is None and self._sql is not None:
            self._ask("rows", 0)
        return self._description

    def interrupt(self) -> None:
        """Stop the running query (the writer interrupts it; the waiting call raises InterruptException)."""
        with self._lock:
            sock = self._inflight
        if sock is not None:
            try:
                sock.send(INTERRUPT)
            except OSError:
                pass

    def extract_statements(self, sql: str) -> list[Any]:
        with duckdb.connect() as parser:  # its own: DuckDB's default connection is shared by all threads
            return list(parser.extract_statements(sql))

    def close(self) -> None:
        self._rows = None

    def __enter__(self) -> RemoteConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(
            f"{name} is not available while another process writes the warehouse {self.target} and answers "
            "its reads (use execute(...) with df(), fetchall(), fetchone() or fetchmany())")

    def _fetch_rows(self) -> list[tuple[Any, ...]]:
        if self._rows is None or self._partial:
            if self._partial:
                raise duckdb.InvalidInputException(
                    "fetch after fetchmany is not supported on a warehouse read through its writer: "
                    "use fetchall() or execute the query again")
            self._rows = self._ask("rows", None)["rows"]
        return self._rows

    def _ask(self, mode: str, limit: int | None) -> dict[str, Any]:
        if self._sql is None:
            raise duckdb.InvalidInputException("no query: call execute() first")
        try:
            return self._ask_writer(mode, limit)
        except OSError:  # the writer's batch ended meanwhile: the statements only read, so run it again
            return self._ask_file(mode, limit)

    def _ask_file(self, mode: str, limit: int | None) -> dict[str, Any]:
        """The query on the file itself (or on the next writer's socket, warehouse.db.connect decides)."""
        from warehouse.db import connect

        with connect(self.target, read_only=True, timeout=ANSWER_MARGIN) as con:
            cursor = con.execute(self._sql or "", decode_params(self._params))
            if mode == "df":
                return {"frame": cursor.df()}
            rows = cursor.fetchall() if limit is None else cursor.fetchmany(limit)
            self._description = cursor.description
            return {"rows": rows, "description": cursor.description}

    def _ask_writer(self, mode: str, limit: int | None) -> dict[str, Any]:
        request = json.dumps({"sql": self._sql, "params": self._params, "mode": mode, "limit": limit}).encode()
        sock = _connect(self.target, ANSWER_MARGIN)
        try:
            with self._lock:
                self._inflight = sock
            try:
                send(sock, request)
                raw = receive(sock)
            except OSError as exc:
                raise ServerGone(f"the process serving {self.target} stopped during the query ({exc})") from exc
        finally:
            with self._lock:
                self._inflight = None
            sock.close()
        answer: dict[str, Any] = pickle.loads(raw)  # noqa: S301 - from a process of this user (peer checked)
        if "error" in answer:
            kind = getattr(duckdb, answer["error"], None)
            if not (isinstance(kind, type) and issubclass(kind, duckdb.Error)):
                kind = duckdb.Error
            raise kind(answer["message"])
        self._description = answer.get("description")
        return answer
