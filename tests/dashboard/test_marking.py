"""HTML marking of mentions, quotes and themed sentences."""

from __future__ import annotations

from dashboard.marking import Span, article_html, mark, sentence_html


def test_mark_escapes_and_nests():
    out = mark("<b>Putin</b> sagte", [Span(3, 8, "m", "Putin"), Span(0, 17, "q")])
    assert "&lt;b&gt;" in out and "<b>" not in out
    assert '<span class="q" title=""><mark class="m" title="Putin">Putin</mark></span>' in out


def test_mark_ignores_bad_spans():
    assert mark("abc", [Span(2, 10, "m"), Span(2, 1, "m")]) == "abc"


def test_sentence_html():
    html = sentence_html("Russland droht.", [{"start": 0, "end": 8, "name": "Russland"}])
    assert '<mark class="m" title="Russland">Russland</mark> droht.' in html


def test_article_html_marks_everything():
    body = "Titel\n\nScholz sagte: „Wir reden“. Ende."
    mentions = [
        {
            "start_char": 7,
            "end_char": 13,
            "actor_id": "olaf-scholz",
            "name": "Olaf Scholz",
            "kind": "person",
            "method": "alias",
        }
    ]
    q = body.index("Wir")
    quotes = [{"start_char": q, "end_char": q + 9, "name": "Olaf Scholz", "cue": "sagte"}]
    end = body.index("Ende")
    sentences = [
        {"sentence": 0, "start_char": 7, "end_char": end - 1},
        {"sentence": 1, "start_char": end, "end_char": len(body)},
    ]
    html = article_html(body, mentions, quotes, sentences, {0: ["Diplomatie"]})
    assert html.startswith('<div class="lb-text">Titel\n\n<span class="s t">')
    assert ">Scholz</mark>" in html and '<span class="q"' in html and "Wir reden" in html
    assert '<span class="lb-badge">Diplomatie</span>' in html and html.count("Ende.") == 1
