"""flows/ingest.py + flows/commit.py: the Prefect flow end to end on real files and a real DuckDB file."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from helpers import SEEDS, drop

pytestmark = pytest.mark.usefixtures("prefect_harness")


def ingest(settings, paths):
    from flows.ingest import ingest_files
    from warehouse.db import initialise

    initialise(settings.warehouse)
    return ingest_files([str(p) for p in paths], settings)


def rows(settings, sql, params=None):
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_seeds_load_once_with_enrichment_and_are_archived(settings, seed_files):
    report = ingest(settings, drop(settings, *seed_files))
    assert (report.loaded, report.rejected, report.articles) == (5, 0, 5)
    assert list(settings.inbox.iterdir()) == []
    assert sorted(p.name for p in (settings.archive / "2022-01").iterdir()) == sorted(
        f.name for f in seed_files if not f.name.startswith("003"))
    assert rows(settings, "SELECT count(*) FROM articles")[0][0] == 5
    assert rows(settings, "SELECT count(*) FROM mentions")[0][0] > 50
    # every mention's offsets point at its surface text in the stored body
    bad = rows(settings, """SELECT count(*) FROM mentions m JOIN articles a USING (article_id)
                            WHERE substr(a.body, m.start_char + 1, m.end_char - m.start_char) <> m.surface""")
    assert bad[0][0] == 0
    runs = rows(settings, "SELECT status, files, loaded, flow_run_id FROM ingest_runs")
    assert runs[0][:3] == ("completed", 5, 5) and runs[0][3]


def test_same_content_twice_is_recorded_once_and_archived_as_duplicate(settings, seed_files):
    ingest(settings, drop(settings, seed_files[0]))
    copy = settings.inbox / "kopie.txt"
    shutil.copyfile(seed_files[0], copy)
    report = ingest(settings, [copy])
    assert (report.loaded, report.duplicates) == (0, 1)
    assert rows(settings, "SELECT count(*) FROM articles")[0][0] == 1
    [(status, reason, dest)] = rows(
        settings, "SELECT status, reason, destination FROM ingest_log WHERE file = 'kopie.txt'")
    assert status == "duplicate" and "same text as article" in reason and Path(dest).exists()
    assert "/archive/duplicates/2022-01/" in dest


def test_syndicated_overlap_and_near_identical_copy(settings, seed_files):
    ingest(settings, drop(settings, *seed_files))
    text = (SEEDS / seed_files[3].name).read_text().replace("Rätselraten", "Raten")
    near = settings.inbox / "leicht-geaendert.txt"
    near.write_text(text)
    ingest(settings, [near])
    [(dup,)] = rows(settings, "SELECT duplicate_of FROM articles WHERE source_file = 'leicht-geaendert.txt'")
    original = rows(settings, "SELECT article_id FROM articles WHERE source_file = ?", [seed_files[3].name])[0][0]
    assert dup == original
    assert rows(settings, "SELECT count(*) FROM originals")[0][0] == 5
    story = dict(rows(settings, "SELECT ar.source_file, sa.story_id FROM story_articles sa "
                              "JOIN articles ar USING (article_id)"))
    assert story["leicht-geaendert.txt"] == story[seed_files[3].name]  # a syndicated copy joins its original's story
    overlap = rows(settings, 'SELECT a.source_file, b.source_file, similarity FROM "overlaps" o '
                   "JOIN articles a ON a.article_id = o.article_id JOIN articles b ON b.article_id = o.other_id "
                   "WHERE o.similarity < 1")
    assert [(x[:3], y[:3]) for x, y, _ in overlap] == [("004", "000")]  # seeds 000 and 004 share a passage


BAD_INPUTS = {
    "leer.txt": b"",
    "binaer.txt": b"\x00\x01\x02\x03binary",
    "ohne-kopf.txt": b"Nur Text ohne Datumszeile.\n\nMehr Text.",
    "kaputter-kopf.txt": b" date 2022/01 Titel\n\nText.",
    "unmoeglich.txt": b" date 2022-13 Titel\n\nText.",
    "bild.pdf": b"%PDF-1.4 ...",
}


def test_bad_inputs_are_rejected_with_reason_file_and_log_row(settings):
    paths = []
    for name, data in BAD_INPUTS.items():
        (settings.inbox / name).write_bytes(data)
        paths.append(settings.inbox / name)
    big = settings.inbox / "riesig.txt"
    with big.open("wb") as h:
        h.truncate(settings.max_file_bytes + 1)
    paths.append(big)
    report = ingest(settings, paths)
    assert report.rejected == len(paths)
    expected = {"leer.txt": "empty file", "binaer.txt": "binary file", "ohne-kopf.txt": "no date header",
                "kaputter-kopf.txt": "malformed date", "unmoeglich.txt": "impossible date",
                "bild.pdf": "unsupported file type", "riesig.txt": "file too large"}
    for name, words in expected.items():
        assert (settings.rejected / name).exists(), name
        assert words in (settings.rejected / f"{name}.reason.txt").read_text()
        [(reason,)] = rows(settings, "SELECT reason FROM ingest_log WHERE file = ? AND status = 'rejected'", [name])
        assert words in reason
    assert list(settings.inbox.iterdir()) == []


def test_jsonl_bad_lines_are_kept_with_reasons_and_good_lines_load(settings):
    lines = ['{"date": "2022-01-19", "title": "Blinken in Genf", "text": "Blinken traf Lawrow in Genf."}',
             "{kaputt", '{"date": "2022-02", "title": "Zwei", "text": "Stoltenberg warnte Russland."}']
    (settings.inbox / "bulk.jsonl").write_text("\n".join(lines))
    report = ingest(settings, [settings.inbox / "bulk.jsonl"])
    assert (report.loaded, report.articles) == (1, 2)
    assert rows(settings, "SELECT source_line FROM articles ORDER BY source_line") == [(1,), (3,)]
    [(line, reason)] = rows(settings, "SELECT line, reason FROM ingest_log WHERE line IS NOT NULL")
    assert line == 2 and "invalid JSON" in reason
    bad = settings.rejected / "bulk.jsonl.bad-lines.jsonl"
    assert bad.read_text() == "{kaputt\n"
    assert "line 2: invalid JSON" in (settings.rejected / "bulk.jsonl.bad-lines.jsonl.reason.txt").read_text()


def test_subfolders_keep_their_path_in_the_log(settings, seed_files):
    [path] = drop(settings, seed_files[1], sub="agentur/2022")
    ingest(settings, [path])
    assert rows(settings, "SELECT file FROM ingest_log") == [(f"agentur/2022/{seed_files[1].name}",)]
    assert not (settings.inbox / "agentur").exists()


def test_crash_between_commit_and_move_is_finished_without_new_rows(settings, seed_files):
    """The rows were committed, the files not moved (as after SIGKILL there): the next run only moves."""
    from flows import batch

    paths = drop(settings, *seed_files[:2])
    original = batch.finalize
    batch.finalize = lambda *a, **k: None  # the process 'dies' before moving
    try:
        ingest(settings, paths)
    finally:
        batch.finalize = original
    assert all(p.exists() for p in paths)
    report = ingest(settings, paths)
    assert report.recovered == 2 and report.loaded == 0 and report.duplicates == 0
    assert rows(settings, "SELECT count(*) FROM ingest_log")[0][0] == 2
    assert rows(settings, "SELECT count(*) FROM articles")[0][0] == 2
    assert list(settings.inbox.iterdir()) == []


def test_ingest_waits_for_a_reader_holding_the_warehouse(settings, seed_files):
    """Another process holds the file open: ingest waits, then loads everything."""
    import subprocess
    import sys
    import time

    from warehouse.db import initialise

    initialise(settings.warehouse)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); "
        "print('holding', flush=True); time.sleep(4); c.close()"), str(settings.warehouse)],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    started = time.monotonic()
    report = ingest(settings, drop(settings, *seed_files))
    waited = time.monotonic() - started
    holder.wait(10)
    assert report.loaded == 5 and waited >= 2.5
    assert rows(settings, "SELECT count(*) FROM articles")[0][0] == 5
    os.sync()


def test_a_batch_commits_in_short_transactions_of_whole_files(settings, seed_files, monkeypatch):
    """One file per transaction here: every file once, the copy in a later transaction is still a duplicate,
    the run row holds the totals and the search index holds every stored article."""
    from flows import commit
    from warehouse import search_index

    monkeypatch.setattr(commit, "FIRST_CHUNK", 1)
    monkeypatch.setattr(commit, "SMALLEST_CHUNK", 1)
    monkeypatch.setattr(commit, "TARGET_SECONDS", 1e-6)  # every later transaction takes one file too
    monkeypatch.setattr(commit, "READERS_GAP", 0.0)
    copy = settings.inbox / "zz-kopie.txt"
    paths = drop(settings, *seed_files)
    shutil.copyfile(seed_files[0], copy)
    report = ingest(settings, [*paths, copy])
    assert (report.loaded, report.duplicates, report.articles) == (5, 1, 5)
    assert rows(settings, "SELECT status, files, loaded, duplicates, articles FROM ingest_runs") == [
        ("completed", 6, 5, 1, 5)]
    assert rows(settings, "SELECT count(*), count(DISTINCT file) FROM ingest_log") == [(6, 6)]
    assert rows(settings, "SELECT count(*) FROM articles")[0][0] == 5
    assert search_index.in_step(settings.warehouse)


def test_a_transaction_over_the_writer_memory_limit_is_loaded_again_in_smaller_ones(settings):
    """Sixty Wikinews articles need more than this limit in one transaction and less in a few: the batch is
    neither lost nor retried whole for ever; it loads in smaller transactions, with a warning that names
    the setting."""
    import logging

    from helpers import CORPORA

    class Records(logging.Handler):
        def __init__(self) -> None:
            super().__init__(logging.INFO)
            self.records: list[logging.LogRecord] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.records.append(record)

    limit = os.environ.get("T_MEM", "48MB")
    small = settings.with_(writer_memory=limit)
    paths = drop(small, *sorted((CORPORA / "wikinews-de" / "articles").glob("*.txt"))[:60])
    seen, logger = Records(), logging.getLogger("lagebild.load")  # Prefect's logging set-up replaces root's
    logger.addHandler(seen)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        report = ingest(small, paths)
    finally:
        logger.removeHandler(seen)
        logger.setLevel(level)
    messages = [(r.levelno, r.getMessage()) for r in seen.records]
    assert (report.loaded, report.rejected) == (60, 0)
    warnings = [m for level, m in messages if level == logging.WARNING]
    assert warnings and f"LAGEBILD_WRITER_MEMORY={limit}" in warnings[0], messages
    assert "a transaction of 60 files needed more" in warnings[0]
    committed = [int(m.split(": ")[1].split()[0]) for _, m in messages if "committed in a transaction" in m]
    assert len(committed) >= 2 and sum(committed) == 60, committed
    assert rows(small, "SELECT status, files, loaded FROM ingest_runs") == [("completed", 60, 60)]
    assert rows(small, "SELECT count(DISTINCT source_file) FROM articles") == [(60,)]
    assert not list(small.inbox.glob("*.txt"))


def test_a_batch_that_fails_after_some_transactions_is_not_retried_and_the_next_run_finishes_it(settings,
                                                                                                monkeypatch):
    """Ten files load in transactions of their own, then one file of sixty articles alone needs more than
    the writer's memory limit: the load step says how far it got and is not retried (its plan no longer
    fits); the next run, with the limit raised, moves the ten and loads the eleventh."""
    from flows import commit
    from helpers import CORPORA

    monkeypatch.setattr(commit, "FIRST_CHUNK", 1)
    monkeypatch.setattr(commit, "SMALLEST_CHUNK", 1)
    monkeypatch.setattr(commit, "TARGET_SECONDS", 1e-6)
    monkeypatch.setattr(commit, "READERS_GAP", 0.0)
    sources = sorted((CORPORA / "wikinews-de" / "articles").glob("*.txt"))
    # 40 MB: what one article's transaction needs (the story rows' nested counts, migration 017, passed 32 MB)
    small = settings.with_(writer_memory="40MB")
    paths = drop(small, *sources[:10])
    giant = small.inbox / "zz-sammlung.jsonl"  # sixty articles in one file: one transaction holds them all
    giant.write_text("".join(json.dumps({"date": "2020-05-01", "title": f"Meldung {i}",
                                         "text": s.read_text(encoding="utf-8").split("\n", 1)[1]}) + "\n"
                             for i, s in enumerate(sources[10:70])), encoding="utf-8")
    with pytest.raises(Exception, match="10 of 11 files were loaded in 10 transaction") as failed:
        ingest(small, [*paths, giant])
    # not retried: a retry of the load step would have ended in BatchPlanOutdated (its plan is outdated)
    assert type(failed.value).__name__ == "PartlyLoaded"
    assert "LAGEBILD_WRITER_MEMORY=40MB" in str(failed.value)
    assert rows(small, "SELECT count(*) FROM articles") == [(10,)]
    assert len(list(small.inbox.glob("*.*"))) == 11  # nothing moved: the next run finishes the batch

    report = ingest(settings.with_(writer_memory="none"), sorted(small.inbox.glob("*.*")))
    assert (report.loaded, report.recovered) == (1, 10)
    assert rows(small, "SELECT count(*), count(DISTINCT source_file) FROM articles") == [(70, 11)]
    assert not list(small.inbox.glob("*.*"))
