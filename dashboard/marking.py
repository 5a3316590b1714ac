"""Pure HTML marking of text: mentions, quotes and themed sentences (everything escaped)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

STYLE = """<style>
.lb-text { white-space: pre-wrap; line-height: 1.6; font-size: 0.95rem; }
.lb-text mark.m { background: #ffe08a; padding: 0 2px; border-radius: 3px; }
.lb-text mark.m.disc { background: #cfe8ff; }
.lb-text .q { font-style: italic; background: #e9f7ef; border-bottom: 2px solid #2e8b57; }
.lb-text .s.t { border-left: 3px solid #8e6bbf; padding-left: 4px; }
.lb-text .s.f { background: #fff3c4; outline: 2px solid #e0a800; border-radius: 3px; }
.lb-badge { display: inline-block; font-size: 0.72rem; background: #eee4f7; color: #4b2c73;
            border-radius: 8px; padding: 0 6px; margin: 0 2px; font-style: normal; }
.lb-sent { margin: 0.3rem 0 0.6rem 0; }
.lb-meta { color: #666; font-size: 0.8rem; }
</style>"""


Row = dict[str, Any]  # a data-frame record or a picked chart point: column -> value


@dataclass(frozen=True)
class Span:
    """A marked range [start, end) with its CSS class and a tooltip."""

    start: int
    end: int
    css: str
    title: str = ""


def mark(text: str, spans: Iterable[Span]) -> str:
    """The text as HTML with each span wrapped; overlapping spans nest per segment."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = html.escape(text[a:b])
        for s in sorted((s for s in spans if s.start <= a and b <= s.end), key=lambda s: s.end - s.start):
            tag = "mark" if s.css.startswith("m") else "span"
            piece = f'<{tag} class="{s.css}" title="{html.escape(s.title)}">{piece}</{tag}>'
        out.append(piece)
    return "".join(out)


def sentence_html(text: str, marks: Sequence[Row]) -> str:
    """One drill-down sentence with its mentions (dicts with start, end, name) highlighted."""
    spans = [Span(int(m["start"]), int(m["end"]), "m", str(m.get("name") or "")) for m in marks]
    return f'<div class="lb-text lb-sent">{mark(text, spans)}</div>'


def article_html(
    body: str,
    mentions: Iterable[Row],
    quotes: Iterable[Row],
    sentences: Iterable[Row],
    sentence_themes: dict[int, list[str]],
    focus: int | None = None,
) -> str:
    """The whole article: mentions highlighted, quotes underlined, themed sentences with badges; the
    sentence `focus` (a link from a quote) is highlighted."""
    spans = [
        Span(
            int(m["start_char"]),
            int(m["end_char"]),
            "m disc" if str(m.get("actor_id", "")).startswith("disc-") else "m",
            f"{m.get('name')} ({m.get('kind')}, {m.get('method')})",
        )
        for m in mentions
    ]
    spans += [
        Span(
            int(q["start_char"]),
            int(q["end_char"]),
            "q",
            f"quote of {q.get('name') or q.get('speaker_text')} ({q.get('cue')})",
        )
        for q in quotes
    ]
    parts, pos = [], 0
    for s in sorted(sentences, key=lambda s: int(s["start_char"])):
        start, end = int(s["start_char"]), int(s["end_char"])
        if start < pos:
            continue
        parts.append(_marked(body, pos, start, spans))
        labels = sentence_themes.get(int(s["sentence"]), [])
        badges = "".join(f'<span class="lb-badge">{html.escape(lb)}</span>' for lb in labels)
        css = ("s t" if labels else "s") + (" f" if int(s["sentence"]) == focus else "")
        parts.append(f'<span class="{css}">{_marked(body, start, end, spans)}{badges}</span>')
        pos = end
    parts.append(_marked(body, pos, len(body), spans))
    return f'<div class="lb-text">{"".join(parts)}</div>'


def _marked(body: str, start: int, end: int, spans: list[Span]) -> str:
    """Mark body[start:end] with the spans clipped to it."""
    inside = [
        Span(max(s.start, start) - start, min(s.end, end) - start, s.css, s.title)
        for s in spans
        if s.start < end and s.end > start
    ]
    return mark(body[start:end], inside)
