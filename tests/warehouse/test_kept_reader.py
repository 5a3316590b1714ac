"""warehouse/kept_reader.py: the dashboard's reads share one open connection, which never keeps a writer out
and never shows an outdated warehouse."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from warehouse import Warehouse, kept_reader
from warehouse.console import run_query
from warehouse.queries.read import frame

COUNT = "SELECT count(*) AS n FROM themes"


@pytest.fixture
def keeping(tmp_path: Path) -> Iterator[Warehouse]:
    wh = Warehouse(tmp_path / "lagebild.duckdb", lock_timeout=10)
    wh.initialise()
    kept_reader.enable()
    try:
        yield wh
    finally:
        kept_reader.disable()


def themes(wh: Warehouse) -> int:
    return int(frame(wh.target, COUNT)["n"].iloc[0])


def kept(wh: Warehouse) -> bool:
    return Path(wh.target).absolute() in kept_reader._kept


def test_reads_share_one_connection_that_stays_open_between_them(keeping: Warehouse) -> None:
    assert themes(keeping) == 0 and kept(keeping)
    con = kept_reader._kept[Path(keeping.target).absolute()].con
    assert themes(keeping) == 0 and kept_reader._kept[Path(keeping.target).absolute()].con is con


def test_a_writer_of_another_process_gets_in_and_the_next_read_sees_its_commit(keeping: Warehouse) -> None:
    assert themes(keeping) == 0 and kept(keeping)  # the dashboard holds the file open, idle
    script = textwrap.dedent(f"""
        from warehouse import Warehouse
        with Warehouse({str(keeping.target)!r}, lock_timeout=10).transaction() as con:
            con.execute("INSERT INTO themes VALUES ('t1', 'Eins')")
    """)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr  # not WarehouseBusy after its 10 s
    assert time.monotonic() - started < 10
    assert themes(keeping) == 1  # a kept connection opened after the commit


def test_a_writer_and_the_locked_down_console_of_this_process_set_the_kept_connection_aside(
        keeping: Warehouse) -> None:
    assert themes(keeping) == 0 and kept(keeping)
    with keeping.transaction() as con:  # DuckDB refuses a second connection with other settings: set aside
        assert not kept(keeping)
        con.execute("INSERT INTO themes VALUES ('t1', 'Eins')")
    assert themes(keeping) == 1 and kept(keeping)
    assert run_query(keeping.target, COUNT).frame["n"].tolist() == [1]  # the console's locked-down connection
    assert themes(keeping) == 1


def test_an_idle_kept_connection_is_closed(keeping: Warehouse, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kept_reader, "KEEP_SECONDS", 0.2)
    assert themes(keeping) == 0 and kept(keeping)
    deadline = time.monotonic() + 5
    while kept(keeping) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not kept(keeping)
    assert themes(keeping) == 0


def test_without_enable_every_read_opens_its_own_connection(tmp_path: Path) -> None:
    wh = Warehouse(tmp_path / "lagebild.duckdb", lock_timeout=10)
    wh.initialise()
    assert themes(wh) == 0 and not kept(wh)
