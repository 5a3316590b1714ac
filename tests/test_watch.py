"""flows/watch.py: a real `lagebild watch` process — files being written, SIGKILL at any moment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from helpers import ROOT, SEEDS, warm_cache

pytestmark = pytest.mark.slow


def start_watcher(data: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "LAGEBILD_DATA_DIR": str(data), "PREFECT_HOME": str(data / "prefect")}
    env.pop("PREFECT_API_URL", None)
    warm_cache(data)
    log = (data.parent / "watcher.log").open("a")
    return subprocess.Popen([sys.executable, "-m", "cli", "watch", "--settle", "0.3", "--rescan", "0.5", *extra],
                            env=env, stdout=log, stderr=log, start_new_session=True)


def variants(count: int) -> list[tuple[str, str]]:
    seeds = sorted(SEEDS.glob("*.txt"))
    out = []
    for i in range(count):
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        out.append((f"artikel-{i:03d}.txt", f"{text}\n\nNachtrag Nummer {i}: Ende der Meldung."))
    return out


def archived(data: Path) -> list[Path]:
    return [p for p in (data / "archive").rglob("*.txt")] if (data / "archive").exists() else []


def wait_until(predicate, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"watcher exited early with status {proc.returncode}")
        time.sleep(0.1)
    raise AssertionError("timed out")


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """SIGKILL hits the whole process group (the embedded Prefect server too), as a crash would;
    SIGTERM goes to the watcher only, as `docker stop` or `kill` do, and it shuts its server down."""
    if sig == signal.SIGKILL:
        os.killpg(proc.pid, sig)
        proc.wait(30)
        return
    proc.send_signal(sig)
    try:
        proc.wait(90)  # generous: these machines are shared
    except subprocess.TimeoutExpired:
        raise AssertionError("the watcher did not stop within 90 s of SIGTERM") from None
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # nothing may outlive the test
        except ProcessLookupError:
            pass


def test_sigkill_at_any_moment_then_restart_loads_every_file_exactly_once(tmp_path: Path):
    data = tmp_path / "data"
    inbox = data / "inbox"
    inbox.mkdir(parents=True)
    files = variants(40)
    for name, text in files:
        (inbox / name).write_text(text, encoding="utf-8")
    for round_ in range(3):
        watcher = start_watcher(data, "--batch-size", "4")
        before = len(archived(data))
        wait_until(lambda before=before: len(archived(data)) > before or not any(inbox.rglob("*.txt")), 120, watcher)
        time.sleep(0.05 * round_)  # land the kill at different points of the next batch
        stop(watcher, signal.SIGKILL)
    watcher = start_watcher(data, "--batch-size", "4")
    wait_until(lambda: not any(inbox.rglob("*.txt")), 180, watcher)
    stop(watcher)
    names = sorted(p.name for p in archived(data))
    assert names == sorted(name for name, _ in files)  # each file once, nothing lost, nothing left
    con = duckdb.connect(str(data / "lagebild.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone() == (40, 40)
        per_file = con.execute("SELECT file, count(*) FROM ingest_log WHERE line IS NULL GROUP BY ALL").fetchall()
        assert sorted(per_file) == [(name, 1) for name, _ in sorted(files)]
        assert con.execute("SELECT DISTINCT status FROM ingest_log").fetchall() == [("loaded",)]
        orphans = con.execute("SELECT count(*) FROM mentions WHERE article_id NOT IN (SELECT article_id FROM articles)")
        assert orphans.fetchone()[0] == 0
        doubled = con.execute("SELECT count(*) FROM (SELECT article_id, start_char FROM mentions "
                              "GROUP BY ALL HAVING count(*) > 1)").fetchone()[0]
        assert doubled == 0
    finally:
        con.close()


def test_a_file_still_being_written_is_read_only_when_complete(tmp_path: Path):
    data = tmp_path / "data"
    (data / "inbox").mkdir(parents=True)
    watcher = start_watcher(data)
    try:
        wait_until(lambda: (data / "lagebild.duckdb").exists(), 60, watcher)
        name, text = variants(1)[0]
        target = data / "inbox" / name
        with target.open("w", encoding="utf-8") as handle:
            for start in range(0, len(text), 400):  # written over ~2 s, pauses shorter than the settle time
                handle.write(text[start : start + 400])
                handle.flush()
                time.sleep(0.12)
        (data / "inbox" / "kopie.txt.part").write_text(text, encoding="utf-8")  # never complete: ignored
        wait_until(lambda: bool(archived(data)), 120, watcher)
        time.sleep(1.0)
        assert (data / "inbox" / "kopie.txt.part").exists()
    finally:
        stop(watcher)
    con = duckdb.connect(str(data / "lagebild.duckdb"), read_only=True)
    try:
        [(body,)] = con.execute("SELECT body FROM articles").fetchall()
    finally:
        con.close()
    assert body.endswith("Nachtrag Nummer 0: Ende der Meldung.")


def test_file_events_report_closed_and_renamed_files_as_complete(tmp_path: Path):
    """With a settle time no test waits for, only the close and rename events can make files ready."""
    import threading

    from flows.watch import watch_events
    from lagebild.inbox import StabilityTracker, scan

    inbox, outside = tmp_path / "inbox", tmp_path / "outside"
    (inbox / "sub").mkdir(parents=True)
    outside.mkdir()
    tracker, changed = StabilityTracker(settle=3600), threading.Event()
    observer = watch_events(inbox, changed, tracker)
    assert observer is not None
    try:
        open_handle = (inbox / "offen.txt").open("w", encoding="utf-8")
        open_handle.write(" date 2024-03\nnoch nicht fertig")
        open_handle.flush()  # written, not closed: its writer may go on
        (inbox / "sub" / "geschrieben.txt").write_text(" date 2024-03\nTitel\n\nText", encoding="utf-8")
        (outside / "fertig.txt").write_text(" date 2024-03\nTitel\n\nText", encoding="utf-8")
        os.rename(outside / "fertig.txt", inbox / "fertig.txt")
        expected = {"sub/geschrieben.txt", "fertig.txt"}
        wait_until(lambda: {p.relative_to(inbox).as_posix() for p in tracker.ready(scan(inbox)).ready} == expected,
                   10)
        assert changed.is_set()
        open_handle.close()
        wait_until(lambda: len(tracker.ready(scan(inbox)).ready) == 3, 10)
    finally:
        observer.stop()


def test_a_backlog_of_waiting_files_costs_the_watcher_a_few_hundred_bytes_each(tmp_path: Path):
    """The watcher holds the list of ready files and what the tracker knows of each for as long as it works
    through a backlog (a 100,000-file backfill: an hour). Counted by tracemalloc in a fresh interpreter:
    Python's own allocations, the same on every run. (In the test process the count also holds whatever
    the interpreter's table of interned strings happens to grow by while pathlib interns the 20,000 names:
    it doubles when the process crosses a size, so the count depended on what ran before.)"""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    files = 20_000
    for i in range(files):
        (inbox / f"artikel-{i:06d}.txt").write_bytes(b"x")
    measure = """
import sys, tracemalloc
from pathlib import Path
from flows.watch import look
from lagebild.inbox import StabilityTracker
inbox = Path(sys.argv[1])
tracker = StabilityTracker(settle=0)
tracemalloc.start()
before = tracemalloc.get_traced_memory()[0]
ready, waiting, _ = look(tracker, inbox)
held = tracemalloc.get_traced_memory()[0] - before
tracemalloc.stop()
print(len(ready), waiting, ready[0], held)
"""
    done = subprocess.run([sys.executable, "-c", measure, str(inbox)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    count, waiting, first, held = done.stdout.split()
    assert int(count) == files and int(waiting) == 0 and first == str(inbox / "artikel-000000.txt")
    assert int(held) / files < 400, f"{int(held) / files:.0f} bytes per waiting file"


def test_an_idle_watcher_folds_the_pair_rows_its_batches_appended(tmp_path: Path):
    """Each batch appends its co-occurrence counts; with nothing left to load, the watcher folds them month
    by month (its log says so), and the counts read stay the same."""
    data = tmp_path / "data"
    (data / "inbox").mkdir(parents=True)
    files = variants(6)
    for name, text in files:
        (data / "inbox" / name).write_text(text, encoding="utf-8")
    watcher = start_watcher(data, "--batch-size", "2")
    log = data.parent / "watcher.log"
    try:
        wait_until(lambda: len(archived(data)) == len(files), 180, watcher)
        wait_until(lambda: "summary fold" in log.read_text() and not _unfolded(data), 120, watcher)
    finally:
        stop(watcher)
    con = duckdb.connect(str(data / "lagebild.duckdb"), read_only=True)
    try:
        keys = con.execute("SELECT count(*) FROM (SELECT DISTINCT month, is_copy, key_lo, key_hi "
                           "FROM actor_pair_month)").fetchone()[0]
        rows = con.execute("SELECT count(*) FROM actor_pair_month").fetchone()[0]
        raw = con.execute(
            """SELECT count(*) FROM (SELECT DISTINCT x.article_id, x.actor_id, y.actor_id FROM mentions x
               JOIN mentions y ON x.article_id = y.article_id AND x.actor_id < y.actor_id)""").fetchone()[0]
        summed = con.execute("SELECT sum(articles) FROM actor_pair_month").fetchone()[0]
    finally:
        con.close()
    assert rows == keys > 0 and summed == raw
    assert log.read_text().count("summary fold") >= 1


def _unfolded(data: Path) -> bool:
    """Whether actor_pair_month holds several rows of one key (None while the watcher holds the file)."""
    try:
        con = duckdb.connect(str(data / "lagebild.duckdb"), read_only=True)
    except duckdb.Error:
        return True
    try:
        return con.execute("SELECT count(*) > count(DISTINCT (month, is_copy, key_lo, key_hi)) "
                           "FROM actor_pair_month").fetchone()[0]
    finally:
        con.close()
