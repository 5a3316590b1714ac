"""lagebild/inbox.py: which files are ready, safe names, moves."""

from __future__ import annotations

import os
import time
from pathlib import Path

from lagebild.inbox import StabilityTracker, choose_destination, is_candidate, move_out, read_file, scan


def test_scan_includes_subfolders_and_skips_partial_and_hidden(tmp_path: Path):
    inbox = tmp_path / "inbox"
    for name in ("a.txt", "sub/b.txt", "sub/deeper/c.jsonl", ".hidden.txt", "d.txt.part", "e.tmp", ".git/x.txt"):
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        (inbox / name).write_text("x")
    names = sorted(p.relative_to(inbox).as_posix() for p in scan(inbox))
    assert names == ["a.txt", "sub/b.txt", "sub/deeper/c.jsonl"]
    assert not is_candidate("x/.y/z.txt")


def test_a_file_still_being_written_is_not_ready(tmp_path: Path):
    f = tmp_path / "a.txt"
    f.write_text("start")
    tracker = StabilityTracker(settle=0.3)
    ready, waiting, next_check = tracker.ready([f])
    assert ready == [] and waiting == 1 and next_check is not None and 0 < next_check <= 0.31
    time.sleep(0.2)
    with f.open("a") as h:
        h.write(" more")  # still growing
    ready, waiting, _ = tracker.ready([f])
    assert ready == [] and waiting == 1
    time.sleep(0.35)
    ready, _, next_check = tracker.ready([f])
    assert ready == [f] and next_check is None


def test_a_file_its_writer_closed_is_ready_at_once_unless_it_changed_since(tmp_path: Path):
    f = tmp_path / "a.txt"
    f.write_text("complete")
    tracker = StabilityTracker(settle=60)
    assert tracker.ready([f]).ready == []
    tracker.closed(f)  # what the file events report on close-after-write or a rename into the inbox
    assert tracker.ready([f]).ready == [f]
    with f.open("a") as h:
        h.write(" and more")  # opened again and still being written: back to the settle rule
    assert tracker.ready([f]).ready == []


def test_read_refuses_oversized_files_and_symlinks(tmp_path: Path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    big = inbox / "big.txt"
    with big.open("wb") as h:
        h.truncate(6 * 1024 * 1024)  # sparse: cheap to make, never read
    raw = read_file(inbox, big, 5 * 1024 * 1024, 10 * 1024 * 1024)
    assert raw.data is None and "file too large: 6.0 MB" in (raw.error or "")
    target = tmp_path / "outside.txt"
    target.write_text(" date 2022-01 T\n\nText")
    link = inbox / "link.txt"
    os.symlink(target, link)
    raw = read_file(inbox, link, 1 << 20, 1 << 20)
    assert raw.data is None and "symbolic link" in (raw.error or "")


def test_destination_names_never_collide(tmp_path: Path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_text("old")
    taken: set[Path] = set()
    first = choose_destination(folder, "a.txt", "abcdef0123", "run1", taken)
    second = choose_destination(folder, "a.txt", "abcdef0123", "run1", taken)
    assert first.name == "abcdef01-a.txt" and second.name == "abcdef01-run1-a.txt"
    assert choose_destination(folder, "sub/b.txt", "ff", "r", taken).name == "sub__b.txt"


def test_move_out_prunes_empty_subfolders(tmp_path: Path):
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "sub" / "a.txt").write_text("x")
    assert move_out(inbox, "sub/a.txt", tmp_path / "archive" / "a.txt")
    assert (tmp_path / "archive" / "a.txt").read_text() == "x"
    assert not (inbox / "sub").exists() and inbox.exists()
    assert not move_out(inbox, "sub/a.txt", tmp_path / "archive" / "a.txt")  # already moved: no-op
