"""lagebild/parse.py: every article format and every bad input, with its specific reason."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from helpers import SEEDS
from lagebild.parse import parse_file

HEADER = " date 2022-01 Titel des Artikels\n\n"
BODY = "Der erste Absatz des Artikels hat genug Text.\n\nZweiter Absatz mit mehr Text."


def parse_one(text: str | bytes, name: str = "a.txt"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    parsed = parse_file(name, data)
    assert parsed.ok, parsed.error
    [article] = parsed.articles
    return article


def reason(data: bytes, name: str = "a.txt") -> str:
    parsed = parse_file(name, data)
    assert not parsed.ok and not parsed.articles
    return parsed.error or ""


def test_seed_files_parse_with_month_precision_and_refined_stamps():
    by_name = {p.name[:3]: parse_one(p.read_bytes(), p.name) for p in SEEDS.glob("*.txt")}
    assert by_name["000"].date_precision == "month" and by_name["000"].published_date == date(2022, 1, 1)
    assert by_name["001"].published_at == datetime(2022, 1, 21, 11, 47)  # "Stand: 21.01.2022 11:47 Uhr"
    assert by_name["002"].published_at == datetime(2022, 1, 19, 19, 14)  # "19. Januar 2022, 19:14 Uhr"
    assert by_name["002"].date_precision == "minute"
    assert by_name["003"].published_date == date(2022, 2, 16)


def test_body_starts_with_title_and_ids_are_content_hashes():
    a = parse_one(HEADER + BODY)
    assert a.title == "Titel des Artikels"
    assert a.body.startswith("Titel des Artikels\n\nDer erste Absatz")
    crlf = " date 2022-01 Titel des  Artikels\r\n\r\n" + BODY.replace("\n", "\r\n")
    assert a.article_id == parse_one(crlf).article_id


def test_hard_wrapped_lines_and_broken_paragraphs_are_joined():
    text = (" date 2022-01 T\n\nDie USA sehen in dem russischen Truppenaufmarsch an der Grenze zur\n\n"
            "Ukraine Vorbereitungen, Russland fühlt sich durch\n\nUS-Truppen provoziert.\n\nKurze Überschrift\n\n"
            "Ein Satz der\numbrochen ist.")
    a = parse_one(text)
    paragraphs = a.body.split("\n\n")
    assert paragraphs[1] == ("Die USA sehen in dem russischen Truppenaufmarsch an der Grenze zur Ukraine "
                             "Vorbereitungen, Russland fühlt sich durch US-Truppen provoziert.")
    assert paragraphs[2] == "Kurze Überschrift"
    assert paragraphs[3] == "Ein Satz der umbrochen ist."


@pytest.mark.parametrize("encoded", [
    ("\ufeff" + HEADER + "Größe und Übermaß sind schön.").encode("utf-8"),
    (HEADER + "Größe und Übermaß sind schön.").encode("cp1252"),
    (HEADER + "Größe und Übermaß sind schön.").encode("latin-1"),
    (HEADER + "Größe und Übermaß sind schön.").encode("utf-16"),
])
def test_encodings(encoded: bytes):
    assert "Größe und Übermaß" in parse_one(encoded).body


def test_header_with_day_and_title_on_next_line():
    a = parse_one(" date 2022-01-19\nTitel\n\nText des Artikels.")
    assert (a.title, a.published_date, a.date_precision) == ("Titel", date(2022, 1, 19), "day")


def test_stamp_inconsistent_with_header_is_ignored():
    a = parse_one(" date 2022-03 Titel Stand: 21.01.2022 11:47 Uhr\n\nText.")
    assert a.date_precision == "month" and a.published_date == date(2022, 3, 1)


@pytest.mark.parametrize("data, expected", [
    (b"", "empty file"),
    (b"   \n\n  ", "empty file"),
    (b"\x00\x01\x02binary\x00", "binary file"),
    (b"Kein Header hier\n\nText.", "no date header"),
    (b" date 2022/01 Titel\n\nText.", "malformed date"),
    (b" date 2022-13 Titel\n\nText.", "impossible date"),
    (b" date 0000-00 Titel\n\nText.", "impossible date"),
    (b" date 2022-02-30 Titel\n\nText.", "impossible date"),
    (b" date 2022-01\n\n", "header only"),
    (b" date 2022-01 Nur ein Titel\n", "no article text"),
])
def test_bad_inputs_have_specific_reasons(data: bytes, expected: str):
    assert expected in reason(data)


def test_unsupported_extension():
    assert "unsupported file type '.pdf'" in reason(b"%PDF-1.4", "x.pdf")


def test_jsonl_good_lines_load_and_bad_lines_are_reported():
    lines = [
        '{"date": "2022-01-19", "title": "Eins", "text": "Erster Text.", "source": "dpa", "url": "https://x/1"}',
        "{kaputt",
        '{"date": "2022-01", "title": "Zwei", "text": "Zweiter Text."}',
        '{"date": "2022-14", "title": "Drei", "text": "Dritter."}',
        '{"title": "Vier", "text": "Ohne Datum."}',
        "",
        '["kein", "Objekt"]',
    ]
    parsed = parse_file("bulk.jsonl", "\n".join(lines).encode())
    assert parsed.ok
    assert [a.title for a in parsed.articles] == ["Eins", "Zwei"]
    assert parsed.articles[0].source == "dpa" and parsed.articles[0].line == 1
    errors = {e.line: e.reason for e in parsed.line_errors}
    assert set(errors) == {2, 4, 5, 7}
    assert "invalid JSON" in errors[2] and "impossible date" in errors[4] and "date" in errors[5]


def test_jsonl_without_any_good_line_is_rejected_whole():
    parsed = parse_file("bulk.jsonl", b"{nope\n{\"date\": \"x\"}\n")
    assert not parsed.ok and "no valid article line" in (parsed.error or "")


def test_an_article_longer_than_a_million_characters_is_rejected_with_the_limit():
    text = " date 2022-01 Titel\n\n" + ("Ein langer Satz über die Lage. " * 40_000)
    assert "article too long" in reason(text.encode())
