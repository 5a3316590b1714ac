"""Readers never wait for the writer: the process that writes serves their reads (warehouse/host.py).

A real second process holds a write transaction open on the warehouse file, as the watcher does during
a batch; this process and `lagebild sql` read meanwhile, without waiting and without seeing what the
open transaction wrote."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from wh_helpers import batch_of

from warehouse import Warehouse

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def seeded(warehouse: Warehouse, seed_articles, seed_enrichments, seed_themes) -> Warehouse:
    warehouse.commit_batch(batch_of("seed", seed_articles, seed_enrichments, seed_themes))
    return warehouse


@pytest.fixture
def writer(seeded: Warehouse) -> Iterator[subprocess.Popen[bytes]]:
    """Another process that holds an uncommitted write transaction on the seeded warehouse."""
    from bench.hold_writer import holding

    with holding(Path(seeded.target)) as proc:
        yield proc


def _same(a: object, b: object) -> None:
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        _same(vars(a), vars(b))
    elif isinstance(a, pd.DataFrame):
        assert isinstance(b, pd.DataFrame)
        pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys()
        for key in a:
            _same(a[key], b[key])
    elif isinstance(a, (list, tuple)):
        assert isinstance(b, (list, tuple)) and len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _same(x, y)
    else:
        assert a == b


def test_every_dashboard_query_answers_the_same_through_the_writer_as_from_the_file(seeded: Warehouse) -> None:
    from bench.hold_writer import holding
    from bench.query_cases import query_cases
    from warehouse.remote import serving

    cases = query_cases(Path(seeded.target))
    alone = {name: call() for name, call in cases.items()}
    with holding(Path(seeded.target)) as proc:
        assert serving(seeded.target) == proc.pid
        started = time.monotonic()
        served = {name: call() for name, call in cases.items()}
        took = time.monotonic() - started
    for name in cases:
        _same(alone[name], served[name])
    assert took < 20, f"{len(cases)} queries took {took:.1f} s: they waited for the writer"


def test_lagebild_sql_reads_the_last_commit_while_the_writer_holds_its_transaction(
        seeded: Warehouse, writer: subprocess.Popen[bytes]) -> None:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "cli", "sql", "--format", "csv",
                           "SELECT (SELECT count(*) FROM articles) AS articles, "
                           "(SELECT count(*) FROM ingest_runs WHERE run_id = 'uncommitted') AS open_run"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env={**os.environ, "LAGEBILD_WAREHOUSE": str(seeded.target)})
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["articles,open_run", "5,0"]
    assert "waiting" not in done.stderr
    assert took < 10
    assert writer.poll() is None  # the writer still holds its transaction: the read did not wait for it


@pytest.mark.parametrize(("sql", "said"), [
    ("DELETE FROM articles", "not DELETE"),
    ("CREATE TABLE x (a INT)", "not CREATE"),
    ("SELECT * FROM read_text('/etc/hostname')", "disabled by configuration"),
    ("COPY articles TO '/tmp/out.csv'", "not COPY"),
    ("SELECT 1; SELECT 2", "one statement at a time"),
])
def test_a_served_reader_can_only_read_the_warehouse(seeded: Warehouse, writer: subprocess.Popen[bytes],
                                                     sql: str, said: str) -> None:
    from warehouse.console import QueryError, run_query

    with pytest.raises(QueryError, match=said):
        run_query(seeded.target, sql)
    import duckdb

    from warehouse.db import connect

    with connect(seeded.target, read_only=True) as con, pytest.raises(duckdb.Error, match=said):
        con.execute(sql).fetchall()  # a script's own connection is held to the same rule


def test_a_served_query_stops_at_the_consoles_time_limit(seeded: Warehouse,
                                                         writer: subprocess.Popen[bytes]) -> None:
    from warehouse.console import QueryError, run_query

    started = time.monotonic()
    with pytest.raises(QueryError, match="stopped after"):
        run_query(seeded.target, "SELECT count(*) FROM range(100000000000) a, range(10) b", timeout=1)
    assert time.monotonic() - started < 15
    assert run_query(seeded.target, "SELECT count(*) AS n FROM articles").frame["n"].tolist() == [5]


def test_a_reader_whose_writer_has_gone_reads_the_file(seeded: Warehouse) -> None:
    from datetime import date

    from warehouse.remote import RemoteConnection

    con = RemoteConnection(seeded.target, holder_pid=0)  # as if its writer ended after the reader found it
    rows = con.execute("SELECT count(*) FROM articles WHERE published_date >= ?", [date(2000, 1, 1)]).fetchall()
    assert rows == [(5,)]
    assert con.execute("SELECT count(*) AS n FROM articles").df()["n"].tolist() == [5]


def test_a_malformed_request_is_answered_with_an_error_and_the_writer_serves_on(
        seeded: Warehouse, writer: subprocess.Popen[bytes]) -> None:
    import json
    import pickle

    from warehouse import remote

    with remote._connect(seeded.target, timeout=30) as sock:
        remote.send(sock, json.dumps({"sql": "SELECT ?", "params": [{"$nonsense": 1}], "mode": "rows",
                                      "limit": None}).encode())
        answer = pickle.loads(remote.receive(sock))
    assert answer["error"] == "InvalidInputException" and "could not be run" in answer["message"]
    from warehouse.db import connect

    with connect(seeded.target, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchall() == [(5,)]
    assert writer.poll() is None


def test_a_serving_writer_has_its_memory_limit_plus_the_readers_share(warehouse: Warehouse) -> None:
    """Served reads run in the writer's database: they get a share of memory of their own on top of the
    writer's limit, so that a dashboard's queries do not leave a batch's transaction without memory."""
    from warehouse.host import READERS_SHARE
    from warehouse.store import Warehouse as Store

    limited = Store(warehouse.target, lock_timeout=5, batch_memory="128MB")
    with limited.serving_readers(), limited.connect(read_only=True) as con:
        row = con.execute("SELECT value FROM duckdb_settings() WHERE name = 'memory_limit'").fetchone()
        probe = con.execute("SELECT 1").fetchone()
    assert probe == (1,)
    assert row is not None
    number, unit = row[0].split()
    assert unit == "MiB"
    assert round(float(number) * 1024**2 / 1000**2) == 128 + READERS_SHARE // 1000**2


def test_no_thread_of_a_served_read_still_reads_its_socket_once_the_read_is_answered(seeded: Warehouse) -> None:
    """While a served query runs, a thread listens on the reader's socket for an interrupt. It must be gone
    before the answer returns: a thread still in recv() after the socket is closed can read from the next
    reader's connection that gets the same file descriptor, take a byte of its request, and leave that
    reader and the writer waiting for each other for ever (a watcher stuck at the end of its batch)."""
    import socket
    import threading

    from warehouse.host import hosting

    with hosting(seeded.target) as host:
        served, reader = socket.socketpair()  # the reader's end stays open: it waits for the answer
        try:
            before = set(threading.enumerate())
            answer = host.answer({"sql": "SELECT count(*) FROM articles", "params": [], "mode": "rows",
                                  "limit": None}, served)
            left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        finally:
            served.close()
            reader.close()
    assert answer["rows"] == [(5,)]
    assert left == []


def test_a_reader_that_connects_and_sends_nothing_does_not_hold_the_writer(seeded: Warehouse, monkeypatch) -> None:
    """The end of a batch waits for the served reads that run; a connection that never sends its request is
    dropped after REQUEST_TIMEOUT instead of holding the writer (and its file) for ever."""
    from warehouse import host as host_module
    from warehouse import remote

    monkeypatch.setattr(host_module, "REQUEST_TIMEOUT", 0.5)
    with host_module.hosting(seeded.target):
        silent = remote._connect(seeded.target, timeout=30)  # connected, nothing sent
        began = time.monotonic()
    took = time.monotonic() - began
    silent.close()
    assert took < 10
