"""dashboard.upload: name sanitising, type and size limits, atomic writes into the inbox."""

from __future__ import annotations

import pytest

from dashboard.upload import check, safe_name, save


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("artikel.txt", "artikel.txt"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("/abs/path/a.jsonl", "a.jsonl"),
        ("C:\\Users\\x\\b.txt", "b.txt"),
        ("..\\..\\c.txt", "c.txt"),
        (".hidden.txt", "hidden.txt"),
        ("Größe & Lage?.txt", "Größe _ Lage_.txt"),
        ("..", None),
        ("", None),
        ("/", None),
        ("a\x00b.txt", "ab.txt"),
    ],
)
def test_safe_name(raw, expected):
    assert safe_name(raw) == expected


def test_check_refuses_type_size_and_empty():
    assert check("x.png", 10, 100, 1000)[1].endswith("files are accepted")
    assert "over the limit" in check("x.txt", 101, 100, 1000)[1]
    assert check("x.jsonl", 500, 100, 1000)[0] == "x.jsonl"
    assert "empty" in check("x.txt", 0, 100, 1000)[1]


def test_save_stays_in_inbox_and_never_overwrites(tmp_path):
    inbox = tmp_path / "inbox"
    first = save(inbox, "../a.txt", b"eins", 100, 100)
    second = save(inbox, "a.txt", b"zwei", 100, 100)
    refused = save(inbox, "a.exe", b"boom", 100, 100)
    assert (first.saved, second.saved, refused.saved) == ("a.txt", "a-2.txt", None)
    assert sorted(p.name for p in inbox.iterdir()) == ["a-2.txt", "a.txt"]
    assert (inbox / "a.txt").read_bytes() == b"eins"
    assert not (tmp_path / "a.txt").exists()


@pytest.mark.parametrize("name,size", [("a.txt", 101), ("a.txt", 100), ("b.jsonl", 101), ("b.jsonl", 1001),
                                       ("c.NDJSON", 1001), ("c.ndjson", 1000), ("d.TXT", 5 * 1024 * 1024 + 1)])
def test_upload_and_inbox_give_the_same_size_verdict_and_reason(tmp_path, name, size):
    from lagebild.inbox import read_file

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with (inbox / name).open("wb") as h:
        h.truncate(size)  # sparse: cheap to make
    raw = read_file(inbox, inbox / name, 100, 1000)
    saved, why = check(name, size, 100, 1000)
    assert (saved is None) == (raw.error is not None)
    if raw.error is not None:
        assert raw.error.startswith("file too large: ") and why == f"{name}: refused, {raw.error}"
    else:
        assert saved == name and why == "" and raw.data == b"\0" * size
