"""warehouse/db.py: connections that wait for another process's lock, and the one transaction block."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from helpers import HOLD, hold_read_write
from warehouse.db import WarehouseBusy, WarehouseMissing, connect, initialise, someone_waiting, transaction


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "lagebild.duckdb"
    initialise(path)
    return path


def test_a_reader_waits_for_a_writer_process_and_reads_after_it_lets_go(db_file: Path):
    holder = hold_read_write(db_file, 2.0)
    try:
        started = time.monotonic()
        with connect(db_file, read_only=True, timeout=30) as con:
            waited = time.monotonic() - started
            assert con.execute("SELECT count(*) FROM articles").fetchone() == (0,)
        assert holder.stdout is not None and holder.stdout.readline().strip() == "released"
        assert waited >= 1.0
    finally:
        holder.kill()
        holder.wait()


def test_with_a_short_timeout_the_reader_gets_warehouse_busy(db_file: Path):
    holder = hold_read_write(db_file, 30.0)
    try:
        started = time.monotonic()
        with pytest.raises(WarehouseBusy, match=rf"held open by another process \(PID {holder.pid}: .*python"
                           r".*close that DuckDB session"), connect(db_file, read_only=True, timeout=0.5):
            pass
        assert 0.5 <= time.monotonic() - started < 5
    finally:
        holder.kill()
        holder.wait()


def test_a_process_that_waits_leaves_a_note_that_the_writer_gives_way_for(db_file: Path):
    """The writer between two transactions pauses for readers only when one waited in the last seconds."""
    assert not someone_waiting(db_file)  # nobody waited: a backfill's transactions follow each other at once
    holder = hold_read_write(db_file, 30.0)
    try:
        with pytest.raises(WarehouseBusy), connect(db_file, read_only=True, timeout=0.3):
            pass
    finally:
        holder.kill()
        holder.wait()
    assert someone_waiting(db_file)
    note = db_file.with_name(db_file.name + ".waiting")
    stale = time.time() - 10
    os.utime(note, (stale, stale))
    assert not someone_waiting(db_file)


def test_a_reader_that_waits_for_the_watcher_names_it_with_its_pid(db_file: Path, caplog: pytest.LogCaptureFixture):
    """The holder's own command line (here a process started as `lagebild … watch`) names it, not a guess."""
    caplog.set_level(logging.WARNING, "lagebild.warehouse")
    argv0 = str(Path(sys.executable).parent / "lagebild")
    holder = subprocess.Popen([argv0, "-c", HOLD, str(db_file), "30", "watch"], executable=sys.executable,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(WarehouseBusy) as busy, connect(db_file, read_only=True, timeout=1.5):
            pass
        assert f"being written by the watcher (PID {holder.pid})" in str(busy.value)
        assert "DuckDB CLI" not in str(busy.value)
        assert f"waiting for the watcher (PID {holder.pid})" in caplog.text
    finally:
        holder.kill()
        holder.wait()


def test_reading_a_missing_warehouse_says_how_to_create_it(tmp_path: Path):
    with pytest.raises(WarehouseMissing, match="lagebild ingest"), connect(tmp_path / "none.duckdb", read_only=True):
        pass


@pytest.mark.parametrize("error", [ValueError("bad row"), KeyboardInterrupt()])
def test_an_exception_inside_a_transaction_leaves_nothing(db_file: Path, error: BaseException):
    with connect(db_file) as con:
        with pytest.raises(type(error)), transaction(con):
            con.execute("INSERT INTO themes VALUES ('t', 'T')")
            con.execute("INSERT INTO actors VALUES ('a', 'A', 'person', NULL, 'registry', NULL)")
            raise error
        assert con.execute("SELECT count(*) FROM themes").fetchone() == (0,)
        with transaction(con):  # the connection is usable again
            con.execute("INSERT INTO themes VALUES ('t', 'T')")
    with duckdb.connect(str(db_file), read_only=True) as con:
        assert con.execute("SELECT * FROM themes").fetchall() == [("t", "T")]
        assert con.execute("SELECT count(*) FROM actors").fetchone() == (0,)


def test_a_failing_statement_rolls_back_the_statements_before_it(db_file: Path):
    with connect(db_file) as con:
        with pytest.raises(duckdb.ConstraintException), transaction(con):
            con.execute("INSERT INTO themes VALUES ('t', 'T')")
            con.execute("INSERT INTO themes VALUES ('t', 'again')")
        assert con.execute("SELECT count(*) FROM themes").fetchone() == (0,)


def test_an_error_that_aborts_a_transaction_is_raised_as_itself_not_by_the_cleanup_after_it():
    """An out-of-memory error (or any other in execution) aborts DuckDB's transaction; dropping a scratch table
    in a `finally` then failed with "Current transaction is aborted", which hid the error: the load step
    retries a transaction that ran out of memory, but not one that failed otherwise."""
    from warehouse.db import drop_scratch

    with duckdb.connect() as con:
        con.execute("CREATE TABLE s AS SELECT 'abc' AS v")
        con.execute("BEGIN")
        con.execute("CREATE TEMP TABLE scratch AS SELECT 1 AS x")
        with pytest.raises(duckdb.ConversionException):
            try:
                con.execute("INSERT INTO s SELECT (v::INTEGER)::VARCHAR FROM s")  # fails while it runs
            finally:
                drop_scratch(con, "scratch")
        con.execute("ROLLBACK")
        drop_scratch(con, "scratch")  # outside a transaction: dropped if there, and no error if not
        con.execute("CREATE TEMP TABLE scratch AS SELECT 1 AS x")
        drop_scratch(con, "scratch")
        assert not con.execute("SELECT * FROM duckdb_tables() WHERE table_name = 'scratch'").fetchall()
