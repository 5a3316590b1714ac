"""dashboard/upload.py under hostile names: nothing escapes the inbox, nothing is overwritten."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import upload

hostile = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(["..", ".", "/", "\\", "etc", "passwd", "C:", "~", "\x00", "\n", " ", "ä", "a.txt",
                              ".jsonl", "%2e%2e", "\u202e", "CON"]), max_size=12).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(name=hostile, data=st.binary(min_size=1, max_size=64))
def test_no_name_writes_outside_the_inbox_or_leaves_temp_files(tmp_path_factory, name: str, data: bytes):
    root = tmp_path_factory.mktemp("up")
    inbox = root / "inbox"
    outcome = upload.save(inbox, name, data, 1000, 1000)
    written = [p for p in root.rglob("*") if p.is_file()]
    if outcome.saved is None:
        assert written == []
        return
    [path] = written
    assert path.parent == inbox and path.name == outcome.saved and path.read_bytes() == data
    assert not path.name.startswith(".") and "/" not in path.name and "\x00" not in path.name
    assert path.suffix.lower() in upload.ALLOWED


@pytest.mark.parametrize("name", ["../../etc/cron.d/x.txt", "/etc/passwd.txt", "..\\..\\win.txt",
                                  "sub/../../x.jsonl", "\u202etxt.exe", "a\nb.txt", "CON.txt"])
def test_known_traversal_names_land_in_the_inbox(tmp_path: Path, name: str):
    inbox = tmp_path / "inbox"
    outcome = upload.save(inbox, name, b" date 2022-01 T\n\nText.", 1000, 1000)
    if outcome.saved:
        assert (inbox / outcome.saved).exists() and os.sep not in outcome.saved
    assert [p for p in tmp_path.rglob("*") if p.is_file() and p.parent != inbox] == []


def test_oversized_empty_and_unsupported_uploads_are_refused(tmp_path: Path):
    inbox = tmp_path / "inbox"
    assert upload.save(inbox, "gross.txt", b"x" * 1001, 1000, 5000).saved is None
    assert upload.save(inbox, "leer.txt", b"", 1000, 1000).saved is None
    assert upload.save(inbox, "bild.png", b"\x89PNG", 1000, 1000).saved is None
    assert upload.save(inbox, "skript.txt.sh", b"rm -rf /", 1000, 1000).saved is None
    assert not inbox.exists() or list(inbox.iterdir()) == []


def test_a_long_name_keeps_its_extension(tmp_path: Path):
    outcome = upload.save(tmp_path / "inbox", "b" * 200 + ".txt", b" date 2022-01 T\n\nText.", 1000, 1000)
    assert outcome.saved is not None and outcome.saved.endswith(".txt"), outcome.message


def test_every_accepted_upload_type_is_one_the_pipeline_reads():
    from lagebild.parse import SUPPORTED_SUFFIXES

    assert set(upload.ALLOWED) <= set(SUPPORTED_SUFFIXES)
