"""What a quote is about: the actors mentioned inside it (its targets) and the themes of its sentences."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace

from lagebild.enrich.model import Mention, Quote, Sentence, SentenceTheme

TARGET_KINDS = frozenset({"person", "organisation", "country", "group"})  # places are settings, not addressees


def about(quotes: Sequence[Quote], mentions: Sequence[Mention], sentences: Sequence[Sentence],
          sentence_themes: Sequence[SentenceTheme]) -> tuple[Quote, ...]:
    """Each quote with its targets (in text order, once each, never its own speaker) and themes."""
    if not quotes:
        return ()
    starts = [m.start_char for m in mentions]
    sent_starts = [s.start_char for s in sentences]
    themes_of: dict[int, list[str]] = {}
    for t in sentence_themes:
        themes_of.setdefault(t.sentence, []).append(t.theme_id)
    out = []
    for q in quotes:
        targets: list[str] = []
        for m in mentions[bisect_left(starts, q.start_char):]:
            if m.start_char >= q.end_char:
                break
            if m.end_char <= q.end_char and m.kind in TARGET_KINDS and m.actor_id != q.actor_id \
                    and m.actor_id not in targets and not _in_speaker(q, m):
                targets.append(m.actor_id)
        first = max(bisect_left(sent_starts, q.start_char + 1) - 1, 0)
        last = max(bisect_left(sent_starts, q.end_char) - 1, first)
        themes = sorted({t for i in range(first, last + 1) for t in themes_of.get(i, ())})
        out.append(replace(q, targets=tuple(targets), themes=tuple(themes)))
    return tuple(out)


def _in_speaker(q: Quote, m: Mention) -> bool:
    """A mention inside the speaker's own words (the speaker of reported speech sits in its sentence)."""
    return q.speaker_start is not None and q.speaker_end is not None and \
        q.speaker_start <= m.start_char < q.speaker_end
