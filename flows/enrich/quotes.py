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


_SOURCE = re.compile(r"(?<!\w)(?:[Nn]ach Angaben (?:von |des |der |aus )?|[Ll]aut |[Ww]ie )(?=\S)")
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
    if not m or not _np_glue(text[pos:m.start_char]):
        return None
    start = pos + len(text[pos:m.start_char]) - len(text[pos:m.start_char].lstrip())
    nxt = sp.after(m.end_char, m.end_char + 30)
    while nxt and _np_glue(text[m.end_char:nxt.start_char]):  # Kreml-Sprecher Dmitri Peskow
        m, nxt = nxt, sp.after(nxt.end_char, nxt.end_char + 30)
    return (m.actor_id, start, m.end_char)


_GLUE_WORD = re.compile(r"[A-ZÄÖÜ][\w]*|der|die|das|des|dem|den|ein|eine|eines|einer|[a-zäöü]+(?:e|en|er|es|em)")


def _np_glue(between: str) -> bool:
    """Text between a cue and a name that can belong to the speaker's noun phrase (role words)."""
    words = re.split(r"[\s\-]+", between.strip())
    return "," not in between and "." not in between and all(_GLUE_WORD.fullmatch(w) for w in words if w)


def _before_cue(text: str, sp: Speakers, pos: int, floor: int) -> Speaker | None:
    """Subject before a cue starting at `pos`: the nearest mention in the same clause, or a pronoun."""
    clause = max(floor, max(text.rfind(c, floor, pos) for c in ",;:.") + 1)
    m = sp.before(pos, clause)
    if m:
        return (m.actor_id, m.start_char, m.end_char)
    pm = re.search(r"(?<!\w)(er|sie|Er|Sie)\s+$", text[clause:pos])
    if pm:
        person = sp.last_person(clause + pm.start(1))
        return (person.actor_id if person else None, clause + pm.start(1), clause + pm.end(1))
    return None


def _outside(spans: list[tuple[int, int]], pos: int) -> bool:
    return not any(a <= pos < b for a, b in spans)


def sentence_speaker(text: str, sp: Speakers, s: Sentence, inside: list[tuple[int, int]]):
    """(speaker, cue) of a sentence from its speech cue, or None."""
    a, b = s.start_char, s.end_char
    for m in _ZUFOLGE.finditer(text, a, b):
        who = sp.before(m.start(), max(a, m.start() - _SPAN))
        if who and _outside(inside, m.start()):
            return (who.actor_id, who.start_char, who.end_char), "zufolge"
    for m in _SOURCE.finditer(text, a, b):
        who = _after_cue(text, sp, m.end(), b) if _outside(inside, m.start()) else None
        if who:
            return who, m.group().strip()
    for m in _cue_rx().finditer(text, a, b):
        if not _outside(inside, m.start()):
            continue
        if m.group() == "so":
            if text[max(a, m.start() - 3):m.start()].strip()[-1:] in (",", "“", '"', "”"):
                who = _after_cue(text, sp, m.end(), b)
                if who:
                    return who, "so"
            continue
        who = _before_cue(text, sp, m.start(), a) or _after_cue(text, sp, m.end(), b) or _np_near(text, m, a, b)
        if who:
            return who, m.group()
    return None


_NP_AFTER = re.compile(r"\s*((?:[A-ZÄÖÜ][\w\-]*|der|die|das|des|ein|eine|einer|[a-zäöü]+(?:e|en|er|es))(?:\s+(?:[A-ZÄÖÜ][\w\-]*|der|des|[a-zäöü]+(?:e|en|er|es))){0,3})")


def _np_near(text: str, cue: re.Match[str], floor: int, end: int) -> Speaker | None:
    """An unresolved speaker: the words before the cue in its clause, or the noun phrase after it."""
    clause = max(floor, max(text.rfind(c, floor, cue.start()) for c in ",;:.\"“”„") + 1)
    before = text[clause:cue.start()].strip()
    if before and len(before.split()) <= 6:
        s = clause + text[clause:cue.start()].index(before)
        return (None, s, s + len(before))
    m = _NP_AFTER.match(text, cue.end(), end)
    if m and m.group(1).strip():
        return (None, m.start(1), m.end(1))
    return None


def _quote(text: str, who: Speaker | None, cue: str, start: int, end: int, kind: str) -> Quote:
    aid, s, e = who if who else (None, None, None)
    return Quote(aid, text[s:e] if s is not None else "", cue, text[start:end], start, end, kind, s, e)


def find_quotes(text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention],
                tokens: Sequence[str] = (), offsets: Sequence[int] = ()) -> tuple[Quote, ...]:
    """Direct and reported quotes of one article, in text order."""
    sp = Speakers(mentions)
    direct = [(m.start(), m.end()) for m in _QUOTE.finditer(text) if len(m.group().split()) >= 2]
    out: list[Quote] = []
    last: Speaker | None = None
    for s in sentences:
        inside = [(a, b) for a, b in direct if a < s.end_char and b > s.start_char]
        found = sentence_speaker(text, sp, s, inside)
        who, cue = found if found else (None, "")
        for a, b in inside:
            if a < s.start_char:
                continue  # a quote running over sentences is kept once
            speaker = who or (last if not found and a == s.start_char else None)
            out.append(_quote(text, speaker, cue or "„…“", a + 1, b - 1, "direct"))
        if found and not inside:
            out.append(_quote(text, who, cue, s.start_char, s.end_char, "reported"))
        last = who or (last if inside else None)
    return tuple(out)
