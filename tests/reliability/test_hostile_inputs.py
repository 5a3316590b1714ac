"""The gallery of hostile inputs, file by file: a specific reason or a correct article, quickly."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from lagebild.inbox import read_file, scan
from lagebild.parse import parse_file
from reliability.gallery import GALLERY, big_jsonl


@pytest.mark.parametrize("name", sorted(GALLERY))
def test_each_gallery_input_gets_its_reason_or_loads(name: str):
    data, reason = GALLERY[name]
    started = time.monotonic()
    parsed = parse_file(name, data)
    assert time.monotonic() - started < 10, "parsing must stay linear in the input size"
    if reason is None:
        assert parsed.ok and len(parsed.articles) == 1, parsed.error
        article = parsed.articles[0]
        assert article.body.startswith(article.title + "\n\n") and "\x00" not in article.body
        assert not any(0 < ord(ch) < 32 and ch != "\n" for ch in article.body)
    else:
        assert not parsed.ok and not parsed.articles
        assert reason in (parsed.error or ""), parsed.error


def test_a_100k_line_jsonl_keeps_good_lines_and_names_each_broken_one():
    data, distinct, broken = big_jsonl()
    started = time.monotonic()
    parsed = parse_file("gross.jsonl", data)
    assert time.monotonic() - started < 20
    assert len(parsed.articles) == 100_000 - broken and len({a.article_id for a in parsed.articles}) == distinct
    assert [e.line for e in parsed.line_errors] == list(range(1000, 100_001, 1000))
    assert all("invalid JSON" in e.reason for e in parsed.line_errors)


def test_a_1gb_sparse_file_is_refused_by_size_without_being_read(tmp_path: Path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    sparse = inbox / "riesig.txt"
    with sparse.open("wb") as handle:
        handle.truncate(1 << 30)

    def no_reading(self):
        raise AssertionError(f"{self} was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    monkeypatch.setattr(Path, "open", no_reading)
    [found] = scan(inbox)
    raw = read_file(inbox, found, 5 << 20, 200 << 20)
    assert raw.data is None and "file too large: 1024.0 MB" in (raw.error or "")


def test_a_fifo_in_the_inbox_is_refused_without_blocking(tmp_path: Path):
    import os

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    os.mkfifo(inbox / "rohr.txt")
    [found] = scan(inbox)
    raw = read_file(inbox, found, 1 << 20, 1 << 20)
    assert raw.data is None and raw.error == "not a regular file"


def test_five_megabytes_of_short_paragraphs_parse_in_seconds():
    """Just under the 5 MB limit: 800k one-word paragraphs (re-joining them once was quadratic)."""
    data = b" date 2022-01 T\n\n" + b"wort\n\n" * 800_000
    started = time.monotonic()
    parsed = parse_file("a.txt", data)
    assert time.monotonic() - started < 15
    assert "article too long" in (parsed.error or "")  # 4 MB of text is not one article
