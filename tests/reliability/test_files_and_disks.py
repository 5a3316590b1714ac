"""Files that change under the flow, odd names, a full or broken archive disk (real flow, real files)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from reliability.harness import article_text, failed_checks

pytestmark = pytest.mark.usefixtures("prefect_harness")


def ingest(settings, paths):
    from flows.ingest import ingest_files
    from warehouse.db import initialise

    initialise(settings.warehouse)
    return ingest_files([str(p) for p in paths], settings)


def doctor_ok(settings) -> None:
    from cli.doctor import diagnose

    checks = diagnose(settings, max_age=3600)
    assert all(c.ok for c in checks), failed_checks({"checks": [c.__dict__ for c in checks]})


def count(settings, sql: str) -> int:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def write(settings, name: str, i: int) -> Path:
    path = settings.inbox / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(article_text(i), encoding="utf-8")
    return path


def test_a_file_deleted_before_it_is_read_does_not_fail_the_batch(settings):
    paths = [write(settings, f"a{i}.txt", i) for i in range(3)]
    paths[1].unlink()
    report = ingest(settings, paths)
    assert (report.loaded, report.files) == (2, 2)
    doctor_ok(settings)


def test_a_file_deleted_while_processed_is_archived_as_loaded(settings, monkeypatch):
    """The bytes that were loaded are what the archive keeps, even when the inbox copy vanished."""
    from flows import batch

    paths = [write(settings, f"b{i}.txt", i) for i in range(2)]
    original = batch.enrich_safely
    monkeypatch.setattr(batch, "enrich_safely", lambda *a: (paths[0].unlink(), original(*a))[1])
    report = ingest(settings, paths)
    assert report.loaded == 2
    assert (settings.archive / "2022-01" / "b0.txt").read_text(encoding="utf-8") == article_text(0)
    doctor_ok(settings)


def test_a_file_rewritten_while_processed_keeps_both_versions(settings, monkeypatch):
    """Version 1 was loaded and is archived; version 2 stays in the inbox and is loaded next."""
    from flows import batch

    path = write(settings, "c.txt", 1)
    original = batch.enrich_safely
    monkeypatch.setattr(batch, "enrich_safely",
                        lambda *a: (path.write_text(article_text(2), encoding="utf-8"), original(*a))[1])
    ingest(settings, [path])
    monkeypatch.setattr(batch, "enrich_safely", original)
    archived = settings.archive / "2022-01" / "c.txt"
    assert archived.read_text(encoding="utf-8") == article_text(1)
    assert path.read_text(encoding="utf-8") == article_text(2)
    ingest(settings, [path])
    assert not path.exists() and count(settings, "SELECT count(*) FROM articles") == 2
    doctor_ok(settings)


def test_a_name_that_is_not_utf8_does_not_block_the_batch(settings):
    raw = os.fsencode(settings.inbox) + b"/caf\xe9-\xff.txt"
    with open(raw, "w", encoding="utf-8") as handle:
        handle.write(article_text(3))
    good = write(settings, "gut.txt", 4)
    from cli.commands import batch_runner
    from warehouse.db import initialise

    initialise(settings.warehouse)
    report = batch_runner(settings)([os.fsdecode(raw), str(good)])  # as the watcher and `ingest` call it
    assert report.loaded == 2 and not list(settings.inbox.iterdir())
    [(name,)] = duckdb.connect(str(settings.warehouse), read_only=True).execute(
        "SELECT file FROM ingest_log WHERE file LIKE 'caf%'").fetchall()
    assert name.startswith("caf") and name.endswith(".txt")
    doctor_ok(settings)


def test_names_at_the_file_system_limit_still_fit_in_archive_and_rejected(settings):
    """A 250-byte name gets prefixes or a '.reason.txt' note: destinations must stay under 255 bytes."""
    long_good = write(settings, "sub/" + "ä" * 120 + "x.txt", 5)  # 245 bytes, flattened to 250
    long_bad = settings.inbox / ("b" * 244 + ".txt")
    long_bad.write_text("kein Kopf", encoding="utf-8")
    copy = settings.inbox / ("k" * 246 + ".txt")
    copy.write_text(article_text(5), encoding="utf-8")
    report = ingest(settings, [long_good, long_bad, copy])
    assert (report.loaded, report.duplicates, report.rejected) == (1, 1, 1)
    assert not [p for p in settings.inbox.rglob("*") if p.is_file()]
    doctor_ok(settings)


@pytest.mark.parametrize("names", [
    ["mit leerzeichen.txt", "mit 'quote\".txt", "zeilen\numbruch.txt", "Übergröße – ünïcödé 文字.txt"],
])
def test_odd_names_load_and_are_recorded_as_dropped(settings, names):
    paths = [write(settings, n, 10 + i) for i, n in enumerate(names)]
    report = ingest(settings, paths)
    assert report.loaded == len(names)
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        assert sorted(r[0] for r in con.execute("SELECT source_file FROM articles").fetchall()) == sorted(names)
    doctor_ok(settings)


def test_symlinks_into_and_out_of_the_inbox_are_rejected_and_targets_untouched(settings, tmp_path):
    from lagebild.inbox import scan

    outside = tmp_path / "outside.txt"
    outside.write_text(article_text(20), encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "inner.txt").write_text(article_text(21), encoding="utf-8")
    inside = write(settings, "echt.txt", 22)
    (settings.inbox / "nach-aussen.txt").symlink_to(outside)
    (settings.inbox / "nach-innen.txt").symlink_to(inside)
    (settings.inbox / "ordner-link").symlink_to(folder, target_is_directory=True)
    report = ingest(settings, scan(settings.inbox))
    assert (report.loaded, report.rejected) == (1, 3)
    assert outside.read_text(encoding="utf-8") == article_text(20) and (folder / "inner.txt").exists()
    for name in ("nach-aussen.txt", "nach-innen.txt", "ordner-link"):
        assert "symbolic link" in (settings.rejected / f"{name}.reason.txt").read_text(encoding="utf-8")
    assert not list(settings.inbox.iterdir())
    doctor_ok(settings)


def test_archive_that_cannot_be_created_keeps_files_waiting_then_recovers(settings):
    """archive/ is a file (mkdir fails even for root): rows commit, files wait, the next run moves them."""
    settings.archive.rmdir()
    settings.archive.write_text("not a folder")
    paths = [write(settings, f"d{i}.txt", 30 + i) for i in range(3)]
    with pytest.raises(Exception, match="File exists|Not a directory"):
        ingest(settings, paths)
    assert all(p.exists() for p in paths)
    settings.archive.unlink()
    report = ingest(settings, paths)
    assert report.recovered == 3 and not any(p.exists() for p in paths)
    assert count(settings, "SELECT count(*) FROM articles") == 3
    doctor_ok(settings)


@pytest.fixture
def tiny_archive(settings):
    """archive/ on a 64 KiB tmpfs (needs mount rights; skipped elsewhere)."""
    settings.archive.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(settings.archive)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield settings.archive
    subprocess.run(["umount", "-l", str(settings.archive)], check=False)


def test_full_disk_during_the_move_loses_nothing_and_leaves_no_partial_file(settings, tiny_archive):
    padding = "Ausführlicher Hintergrund. " * 700  # ~19 KB each: three fill the 64 KiB archive
    contents = {f"gross-{i}.txt": article_text(40 + i) + "\n" + padding + f"Ende {i}.\n" for i in range(6)}
    paths = []
    for name, text in contents.items():
        (settings.inbox / name).write_text(text, encoding="utf-8")
        paths.append(settings.inbox / name)
    with pytest.raises(OSError, match="No space left"):
        ingest(settings, paths)
    archived = [p for p in tiny_archive.rglob("*") if p.is_file()]
    assert len(archived) < 6
    for p in archived:  # whatever is in the archive is complete; the rest still waits in the inbox
        assert p.read_text(encoding="utf-8") == contents[p.name], f"partial file {p.name}"
    assert sorted([p.name for p in archived] + [p.name for p in settings.inbox.iterdir()]) == sorted(contents)
    subprocess.run(["mount", "-o", "remount,size=1m", str(tiny_archive)], check=True)
    report = ingest(settings, [p for p in paths if p.exists()])
    assert report.loaded == 0 and report.duplicates == 0
    assert not list(settings.inbox.iterdir()) and count(settings, "SELECT count(*) FROM articles") == 6
    assert count(settings, "SELECT count(*) FROM ingest_log") == 6
    doctor_ok(settings)


def test_two_identical_files_in_one_batch_are_one_loaded_and_one_duplicate(settings):
    first, second = write(settings, "erst.txt", 50), write(settings, "zweit.txt", 50)
    report = ingest(settings, [first, second])
    assert (report.loaded, report.duplicates, report.articles) == (1, 1, 1)
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        assert con.execute("SELECT file, status FROM ingest_log ORDER BY file").fetchall() == [
            ("erst.txt", "loaded"), ("zweit.txt", "duplicate")]
    assert (settings.archive / "duplicates" / "2022-01" / "zweit.txt").exists()
    doctor_ok(settings)


def test_enrichment_broken_for_every_article_keeps_the_files_waiting(settings, monkeypatch):
    """A broken model or registry is not the files' fault: the run fails, nothing is rejected."""
    from flows import enrich_executor

    paths = [write(settings, f"e{i}.txt", 60 + i) for i in range(3)]

    def broken(_settings, _articles):
        raise RuntimeError("registry missing")

    monkeypatch.setattr(enrich_executor, "enrich_in_order", broken)
    with pytest.raises(RuntimeError, match="every article"):
        ingest(settings, paths)
    assert all(p.exists() for p in paths) and not list(settings.rejected.iterdir())


def test_enrichment_failing_for_one_article_rejects_only_that_file(settings, monkeypatch):
    from flows import enrich_executor

    paths = [write(settings, f"f{i}.txt", 70 + i) for i in range(3)]
    original = enrich_executor.enrich_in_order

    def picky(s, articles):
        if any("Nummer 71" in a.body for a in articles):
            raise ValueError("text the model cannot take")
        return original(s, articles)

    monkeypatch.setattr(enrich_executor, "enrich_in_order", picky)
    report = ingest(settings, paths)
    assert (report.loaded, report.rejected) == (2, 1)
    assert "enrichment failed: ValueError" in (settings.rejected / "f1.txt.reason.txt").read_text(encoding="utf-8")
    doctor_ok(settings)
