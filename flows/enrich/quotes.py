"""Direct quotes („…“, "…", «…», »…«) and reported speech, with the speaker resolved to an actor.

Speaker of a direct quote: the cue right after it (", sagte Blinken", ", so Blinken"),
else a cue or colon before it ("Lawrow sagte: …"), else the speaker of the sentence.
Reported speech: a speech verb with its subject (inverted or not), "X zufolge",
"nach Angaben von X", "laut X", ", so X". Pronoun speakers take the last person named.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache
from typing import Sequence

from flows.enrich.lexicon import wordlist
from flows.enrich.model import Mention, Quote, Sentence

_QUOTE = re.compile(r"„([^“”\"]{2,}?)[“”\"]|\"([^\"]{2,}?)\"|«([^»]{2,}?)»|»([^«]{2,}?)«|“([^”]{2,}?)”")
_SPAN = 60  # characters searched for a speaker after a cue


@cache
def _cue_rx() -> re.Pattern[str]:
    verbs = "|".join(sorted(map(re.escape, wordlist("speech_verbs")), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{verbs}|so)(?!\w)")


_SOURCE = re.compile(r"(?<!\w)(?:nach Angaben (?:von |des |der |aus )?|laut |wie )(?=\S)")
_ZUFOLGE = re.compile(r"(?<!\w)zufolge(?!\w)")
_PRONOUN = re.compile(r"^\s*(er|sie|Er|Sie)(?!\w)")


class Speakers:
    """Mentions by position, to find who speaks around a cue."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.m = [m for m in mentions if m.kind in ("person", "organisation", "country", "group") and m.method != "adjective"]
        self.starts = [m.start_char for m in self.m]

    def after(self, pos: int, limit: int) -> Mention | None:
        i = bisect_right(self.starts, pos - 1)
        return self.m[i] if i < len(self.m) and self.m[i].start_char <= limit else None

    def before(self, pos: int, floor: int) -> Mention | None:
        i = bisect_right(self.starts, pos) - 1
        while i >= 0 and self.m[i].end_char > pos:
            i -= 1
        return self.m[i] if i >= 0 and self.m[i].start_char >= floor else None

    def last_person(self, pos: int) -> Mention | None:
        i = bisect_right(self.starts, pos) - 1
        while i >= 0 and self.m[i].kind != "person":
            i -= 1
        return self.m[i] if i >= 0 else None


Speaker = tuple[str | None, int, int]  # (actor_id, start, end)


def _after_cue(text: str, sp: Speakers, pos: int, end: int) -> Speaker | None:
    """Speaker right after a cue ending at `pos`: a pronoun or a mention (with its role words)."""
    pm = _PRONOUN.match(text, pos, end)
    if pm:
        person = sp.last_person(pos)
        return (person.actor_id if person else None, pm.start(1), pm.end(1))
    m = sp.after(pos, min(end, pos + _SPAN))
    if m and "," not in text[pos:m.start_char] and "." not in text[pos:m.start_char]:
        return (m.actor_id, pos + len(text[pos:m.start_char]) - len(text[pos:m.start_char].lstrip()), m.end_char)
    return None


def _before_cue(text: str, sp: Speakers, pos: int, floor: int) -> Speaker | None:
    """Subject before a cue starting at `pos`: the nearest mention in the same clause, or a pronoun."""
    clause = max(floor, max(text.rfind(c, floor, pos) for c in ",;:.") + 1)
    m = sp.before(pos, clause)
    if m:
        return (m.actor_id, max(clause, m.start_char - 40 if False else m.start_char), m.end_char)
    pm = re.search(r"(?<!\w)(er|sie|Er|Sie)\s+$", text[clause:pos])
    if pm:
        person = sp.last_person(clause + pm.start(1))
        return (person.actor_id if person else None, clause + pm.start(1), clause + pm.end(1))
    return None
