"""One real `lagebild watch` takes hostile inputs, a warehouse held by another process, and a burst."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reliability.gallery import write_gallery
from reliability.harness import article_text, doctor, failed_checks, start, wait_until
from warehouse.db import connect

pytestmark = pytest.mark.slow




HOLDER = """
import sys, time, duckdb
deadline = time.monotonic() + 60
while True:  # the watcher may be writing right now: wait for our turn, then hold the file
    try:
        con = duckdb.connect(sys.argv[1], read_only=True)
        break
    except duckdb.Error:
        if time.monotonic() > deadline:
            raise
        time.sleep(0.1)
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


@pytest.fixture(scope="module")
def watcher(tmp_path_factory: pytest.TempPathFactory, prefect_api: str):
    data = tmp_path_factory.mktemp("watcher") / "data"
    (data / "inbox").mkdir(parents=True)
    proc = start(data, "watch", "--settle", "0.3", "--rescan", "0.5", api_url=prefect_api)
    wait_until(lambda: (data / "lagebild.duckdb").exists(), 120, proc, "the warehouse")
    yield data, proc
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(90)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def inbox_empty(data: Path) -> bool:
    """No file left in the inbox (folders vanish while we look: the watcher prunes emptied ones)."""
    for _root, _dirs, files in os.walk(data / "inbox"):
        if files:
            return False
    return True


def articles(data: Path) -> int:
    with connect(data / "lagebild.duckdb", read_only=True, timeout=120) as con:  # waits for the writer
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]


def assert_healthy(data: Path, proc: subprocess.Popen) -> None:
    assert proc.poll() is None, "the watcher died"
    code, report = doctor(data)
    assert code == 0, failed_checks(report)


def test_hostile_inputs_get_reasons_and_never_block_the_files_behind_them(watcher, tmp_path: Path):
    data, proc = watcher
    inbox = data / "inbox"
    expected = write_gallery(inbox)
    outside = tmp_path / "draussen.txt"
    outside.write_text(article_text(900), encoding="utf-8")
    (inbox / "link-nach-draussen.txt").symlink_to(outside)
    expected["link-nach-draussen.txt"] = "symbolic link"
    with open(os.fsencode(inbox) + b"/kaputter-name-\xff.txt", "w", encoding="utf-8") as handle:
        handle.write(article_text(901))
    good = {"gut eins.txt": 902, "gut 'zwei\".txt": 903, "gut\ndrei.txt": 904, "gut-vier-ä文.txt": 905}
    for name, i in good.items():
        (inbox / name).write_text(article_text(i), encoding="utf-8")
    wait_until(lambda: inbox_empty(data), 240, proc, "the inbox to empty")
    for name, reason in expected.items():
        note = data / "rejected" / f"{name}.reason.txt"
        if reason is None:
            assert list((data / "archive").rglob(name)), f"{name} was not archived"
        else:
            assert reason in note.read_text(encoding="utf-8"), name
    assert outside.read_text(encoding="utf-8") == article_text(900)
    with connect(data / "lagebild.duckdb", read_only=True, timeout=120) as con:  # waits for the writer
        files = {r[0] for r in con.execute("SELECT file FROM ingest_log WHERE status = 'loaded'").fetchall()}
        broken = con.execute("SELECT count(*) FROM ingest_log WHERE file = '100k-zeilen.jsonl' AND line IS NOT NULL")
        assert broken.fetchone()[0] == 100
    assert set(good) <= files and any(f.startswith("kaputter-name-") for f in files)
    assert_healthy(data, proc)


def test_a_warehouse_held_open_elsewhere_delays_the_load_but_loses_nothing(watcher):
    data, proc = watcher
    before = articles(data)
    hold = 8.0
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(data / "lagebild.duckdb"), str(hold)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout and holder.stdout.readline().strip() == "holding"
    held_at = time.monotonic()
    for i in range(5):
        (data / "inbox" / f"gehalten-{i}.txt").write_text(article_text(1000 + i), encoding="utf-8")
    time.sleep(hold / 2)
    assert not inbox_empty(data), "the files cannot be loaded while the warehouse is held"
    holder.wait(30)
    wait_until(lambda: inbox_empty(data), 120, proc, "the held files")
    assert time.monotonic() - held_at >= hold
    assert articles(data) == before + 5
    assert_healthy(data, proc)


def test_a_burst_of_2000_files(watcher):
    data, proc = watcher
    before = articles(data)
    inbox = data / "inbox" / "burst"
    inbox.mkdir()
    started = time.monotonic()
    for i in range(2000):
        (inbox / f"meldung-{i:04d}.txt").write_text(article_text(2000 + i, day=1 + i % 28), encoding="utf-8")
    wait_until(lambda: inbox_empty(data), 600, proc, "2,000 files")
    took = time.monotonic() - started
    assert articles(data) == before + 2000
    assert len(list((data / "archive").rglob("burst__meldung-*.txt"))) == 2000
    assert_healthy(data, proc)
    print(f"2,000 files in {took:.1f} s")
