"""flows/parse.parse_file under arbitrary input: never raises, always articles or a reason, consistent."""

from __future__ import annotations

import json
from datetime import date

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lagebild.article import article_id_for
from lagebild.parse import MIN_YEAR, ParsedFile, parse_file

FUZZ = settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
KNOWN_REASONS = ("unsupported file type", "empty file", "broken UTF-16", "binary file", "no date header",
                 "malformed date", "impossible date", "header only", "no article text", "no valid article line")
names = st.sampled_from(["a.txt", "b.TXT", "c.jsonl", "sub/d.txt", "e.pdf", "f", ".txt", "g.txt.jsonl"])
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)
dates = st.builds(lambda y, m, d: f"{y:04d}-{m:02d}" + (f"-{d:02d}" if d else ""),
                  st.integers(0, 2200), st.integers(0, 14), st.one_of(st.none(), st.integers(0, 33)))


def check_consistent(parsed: ParsedFile, name: str, data: bytes) -> None:
    """The invariants every outcome satisfies."""
    assert parsed.file == name
    if not parsed.ok:
        assert parsed.error and not parsed.articles
        assert parsed.error.startswith(KNOWN_REASONS), parsed.error
        return
    assert parsed.articles, "ok without articles"
    if not name.lower().endswith(".jsonl"):
        assert len(parsed.articles) == 1 and not parsed.line_errors
    for a in parsed.articles:
        assert a.article_id == article_id_for(a.body)
        assert a.title and "\n" not in a.title and a.body.startswith(a.title + "\n\n")
        assert len(a.body) > len(a.title) + 2
        assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in a.body)
        assert a.date_precision in {"month", "day", "minute"} and a.published_date.year >= MIN_YEAR
        assert a.published_date <= date(date.today().year + 1, 12, 31)
        assert (a.published_at is not None) == (a.date_precision == "minute")
        assert a.source_file == name
    lines = [a.line for a in parsed.articles] + [e.line for e in parsed.line_errors]
    if name.lower().endswith(".jsonl"):
        assert len(lines) == len(set(lines)) and all(isinstance(n, int) and n >= 1 for n in lines)
        assert max(lines) <= data.count(b"\n") + 1 + data.count(b"\r")


@FUZZ
@given(name=names, data=st.binary(max_size=2000))
@example(name="a.txt", data=b"\xff\xfe")
@example(name="a.txt", data=b"\xfe\xff\x00")
@example(name="a.jsonl", data=b"\xef\xbb\xbf\n")
def test_any_bytes_give_articles_or_a_reason(name: str, data: bytes):
    parsed = parse_file(name, data)
    check_consistent(parsed, name, data)
    assert parse_file(name, data) == parsed  # deterministic


@FUZZ
@given(value=dates, title=texts, body=texts, crlf=st.booleans())
def test_text_articles_with_any_header_date(value: str, title: str, body: str, crlf: bool):
    text = f" date {value} {title}\n\n{body}"
    data = (text.replace("\n", "\r\n") if crlf else text).encode("utf-8")
    parsed = parse_file("a.txt", data)
    check_consistent(parsed, "a.txt", data)
    y, m = int(value[:4]), int(value[5:7])
    if not (1 <= m <= 12 and MIN_YEAR <= y <= date.today().year + 1):
        assert not parsed.ok


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.one_of(
    st.fixed_dictionaries({"date": dates, "title": texts, "text": texts}),
    st.dictionaries(st.sampled_from(["date", "title", "text", "url"]), st.one_of(texts, st.integers(), st.none())),
    texts,
), max_size=12))
def test_jsonl_every_line_is_an_article_or_a_line_error(rows: list):
    raw = [json.dumps(r, ensure_ascii=False) if not isinstance(r, str) else r.replace("\n", " ") for r in rows]
    data = "\n".join(raw).encode("utf-8")
    parsed = parse_file("bulk.jsonl", data)
    check_consistent(parsed, "bulk.jsonl", data)
    if parsed.ok:
        accounted = {a.line for a in parsed.articles} | {e.line for e in parsed.line_errors}
        nonblank = [n for n, line in enumerate(data.decode("utf-8").split("\n"), 1) if line.strip()]
        assert accounted <= set(nonblank)


@settings(max_examples=30, deadline=5000)
@given(n=st.integers(1000, 50_000), word=st.sampled_from(["wort", "und", "x"]))
def test_many_short_paragraphs_parse_in_linear_time(n: int, word: str):
    data = b" date 2022-01 T\n\n" + f"{word}\n\n".encode() * n
    parsed = parse_file("a.txt", data)
    assert parsed.ok and parsed.articles[0].body.count(word) >= n


def test_ndjson_is_read_as_json_lines():
    parsed = parse_file("bulk.ndjson", b'{"date": "2022-01", "title": "T", "text": "Text."}\n')
    assert parsed.ok and parsed.articles[0].line == 1


def test_jsonl_fields_made_only_of_control_characters_count_as_empty():
    parsed = parse_file("bulk.jsonl", b'{"date": "2022-01", "title": "T\\u001f", "text": "\\u0001"}\n')
    assert not parsed.ok and "missing or empty field(s): text" in parsed.line_errors[0].reason
    parsed = parse_file("bulk.jsonl", b'{"date": "2022-01", "title": "Ti\\u001ftel", "text": "Text."}\n')
    assert parsed.articles[0].title == "Titel"
