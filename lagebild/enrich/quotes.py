"""Direct quotes („…“, "…", «…», »…«) and reported speech, with the speaker resolved to an actor.

Each sentence's own frame (speech_frames.py) gives a speaker span and a cue; the span resolves to an
actor through the NER/registry mentions inside it, pronouns to the last person named, role nouns (der
US-Außenminister, die Kanzlerin) to the nearest person named before who holds that role on the
article's date. A quote running over several sentences takes the cue after its end; a sentence in
the subjunctive (… sei …) or a direct quote without a cue of its own continues the speaker of the
sentence before; a headline quote takes the speaker of the quote that repeats it. Quoted names
(die Übung "Alliierte Entschlossenheit", im "heute journal") are no quotes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from lagebild.enrich.lexicon import lemma_table, wordlist
from lagebild.enrich.model import Mention, Quote, Sentence
from lagebild.enrich.speakers import DETERMINERS, PRONOUNS, Span, Speakers
from lagebild.enrich.speech_frames import SentenceTokens, attribute, complement, judged_by, prep_object
from lagebild.enrich.tokens import CAP, CUE, PARTICLE_CUE, ROLE, SOURCE, SUBJ, TokenView

_QUOTE = re.compile(r"„([^“”\"]{2,}?)[“”\"]|\"([^\"]{2,}?)\"|«([^»]{2,}?)»|»([^«]{2,}?)«|“([^”]{2,}?)”")
_TITLE_INTRO = frozenset("im beim vom gegenüber Sendung Zeitung Magazin Buch Film Programm Operation".split())
_NAME_LINKS = frozenset("von vom am im zur zum der des für ein eine of the for and de da di del dello la le du van"
                        .split())  # lower-case words inside quoted names
_POSSESSIVE = frozenset("seiner seinen seinem".split())  # ihrer may be a plural or an organisation
_GENDER = {"er": "m", "Er": "m", "sie": "f", "Sie": "f"}
_WH = frozenset({"Was", "was", "Wie", "wie", "Dass", "dass", "Ob", "ob", "Wenn", "wenn"})
FAR = 2  # a sentence in the first subjunctive takes the speaker of one of this many sentences before
_NOT_SUBJ_I = frozenset("soll sollen würde würden hätte hätten wäre wären".split())  # also conditions, rumours
CARRY = 1  # a cue-less sentence continues the speaker of one of this many sentences before
Who = tuple[str | None, int, int]  # actor_id, speaker start_char, end_char


def _speaker(v: TokenView, sp: Span, speakers: Speakers) -> Who:
    """(actor_id, start_char, end_char) of a speaker span; pronouns take the last person named, a role
    noun (der US-Außenminister) the nearest person named before who holds that role."""
    a, b = v.offsets[sp[0]], v.end(sp[1] - 1)
    if v.tokens[sp[1] - 1] in PRONOUNS and (sp[1] - sp[0] == 1 or v.tokens[sp[0]] in _WH):
        person = speakers.last_person(a, _GENDER.get(v.tokens[sp[1] - 1]))
        return (person.actor_id if person else None, v.offsets[sp[1] - 1], b)
    if v.tokens[sp[0]] in _POSSESSIVE:  # nach seiner Meinung: the last person named
        person = speakers.last_person(a)
        return (person.actor_id if person else None, a, b)
    m = speakers.inside(a, b)
    if m is None:
        head = _head(v, sp)
        m = speakers.by_role(v.text[head[0]:head[1]], a) if head else None
    return (m.actor_id if m else None, a, b)


def _head(v: TokenView, sp: Span) -> tuple[int, int] | None:
    """Characters of the head noun of a speaker phrase when it is a role word: its first capitalised word,
    hyphenated compounds whole (US-Außenminister)."""
    k = next((k for k in range(*sp) if v.bits[k] & CAP and v.tokens[k].lower() not in DETERMINERS), None)
    if k is None:
        return None
    first = k
    while k + 2 < sp[1] and v.tokens[k + 1] == "-" and v.glued[k + 1]:
        k += 2
    return (v.offsets[first], v.end(k)) if v.bits[k] & ROLE else None


def _quote(text: str, who: Who | None, cue: tuple[str, int | None, int | None], span: tuple[int, int], kind: str,
           sentence: int) -> Quote:
    aid, s, e = who if who else (None, None, None)
    return Quote(aid, text[s:e] if s is not None else "", cue[0], text[span[0]:span[1]], span[0], span[1], kind, s, e,
                 cue[1], cue[2], sentence)


def _sentence_bits(codes: np.ndarray, first: list[int]) -> list[int]:
    """The OR of the fact bits of each sentence's tokens (0 for a sentence without tokens)."""
    if not len(codes):
        return [0] * (len(first) - 1)
    starts = np.minimum(np.asarray(first[:-1], dtype=np.int64), len(codes) - 1)
    bits = np.bitwise_or.reduceat(codes, starts).tolist()
    return [b if first[i] < first[i + 1] else 0 for i, b in enumerate(bits)]


def _is_title(text: str, a: int, b: int) -> bool:
    """A quoted name rather than a quote: capitalised words only (die Übung "Alliierte Entschlossenheit"),
    or a short one after a preposition that introduces a programme or paper (im "heute journal")."""
    words = text[a + 1:b - 1].split()
    if len(words) <= 4 and all(w[:1].isupper() for w in words):
        return True
    if len(words) <= 6 and words[0][:1].isupper() and (words[-1][:1].isupper() or words[-1].isdigit()) and all(
            w[:1].isupper() or w[:1].isdigit() or w in _NAME_LINKS for w in words):
        return True  # Polizei von DeLand, BILD am Sonntag, Public Library of Science, Do 228
    before = text[max(0, a - 12):a].split()
    return len(words) <= 3 and bool(before) and before[-1] in _TITLE_INTRO


def _direct(text: str) -> list[tuple[int, int]]:
    """Character spans of the direct quotes (with their marks) of two or more words that are no names."""
    spans = [(m.start(), m.end()) for m in _QUOTE.finditer(text) if len(m.group().split()) >= 2]
    return [(a, b) for a, b in spans if not _is_title(text, a, b)]


class _Found:
    """Each sentence's own attribution (speaker, cue span) before carrying over."""

    def __init__(self, v: TokenView, sentences: Sequence[Sentence], mentions: Sequence[Mention]) -> None:
        self.v, self.sentences, self.direct = v, sentences, _direct(v.text)
        offs = np.asarray(v.offsets, dtype=np.int64)
        self.first = np.searchsorted(offs, [s.start_char for s in sentences]).tolist() + [len(offs)]
        self.bits = _sentence_bits(v.codes, self.first)
        self.starts = [s.start_char for s in sentences]
        speakers, openers = Speakers(mentions), frozenset(wordlist("clause_openers"))
        needs = frozenset(wordlist("speech_needs_content"))
        self.subj_i = frozenset(wordlist("subjunctives")) - _NOT_SUBJ_I
        self.who: list[Who | None] = []
        self.cue: list[tuple[str, int | None, int | None]] = []
        self.inside: list[list[tuple[int, int]]] = []
        self.latent: list[Who | None] = []  # a speaker whose sentence reports no words (bittet um Mithilfe)
        for i, sent in enumerate(sentences):
            inside = [(a, b) for a, b in self.direct if a < sent.end_char and b > sent.start_char]
            found = None
            if not v.text[sent.end_char - 1].isalnum() and (inside or self.bits[i] & (SOURCE | CUE | PARTICLE_CUE)):
                found = attribute(SentenceTokens(v, self.first[i], self.first[i + 1], inside), openers)
                if found and not inside and not _content(v, self.first[i], self.first[i + 1], found[2][0], needs):
                    lw = _speaker(v, found[0], speakers)
                    if lw[0] is None or lemma_table().get(found[1], found[1].lower()) not in _NAMED_SAY:
                        self.latent.append(lw)
                        found = None
            if found is None and not inside and not v.text[sent.end_char - 1].isalnum():
                comp = complement(SentenceTokens(v, self.first[i], self.first[i + 1], inside), openers)
                if comp and v.tokens[comp[0][0]] not in PRONOUNS and _speaker(v, comp[0], speakers)[0] is not None:
                    found = comp  # Das Gericht ging davon aus, dass …: a named actor's view
            if found is None and (inside or self.bits[i] & SUBJ) and v.tokens[self.first[i]] == "Für":
                found = judged_by(SentenceTokens(v, self.first[i], self.first[i + 1], inside))
            if len(self.latent) == i:
                self.latent.append(None)
            self.inside.append(inside)
            if found is None and inside:
                colon = _colon_named(v.text, inside, sent, speakers)
                if colon:
                    self.who.append(colon[0])
                    self.cue.append((":", colon[1], colon[1] + 1))
                    continue
            who = _speaker(v, found[0], speakers) if found else None
            if who and who[0] is None and found and lemma_table().get(found[1], found[1].lower()) in _NAMED_ONLY:
                who = None  # Die SPD will …: an intention stated by a named actor; not die Familie wollte …
            self.who.append(who)
            self.cue.append((found[1], v.offsets[found[2][0]], v.end(found[2][1] - 1)) if found else ("", None, None))

    def reports(self, i: int) -> bool:
        """Whether sentence i has a verb in the first subjunctive (sei, habe, könne), which marks reported speech
        (unlike würde, hätte, wäre or soll, which also state conditions and rumours)."""
        return any(self.v.tokens[k] in self.subj_i for k in range(self.first[i], self.first[i + 1]))

    def closing(self, b: int) -> int:
        """Index of the sentence in which a quote ending at character b ends."""
        return max(bisect_right(self.starts, b - 1) - 1, 0)


def find_quotes(v: TokenView, sentences: Sequence[Sentence], mentions: Sequence[Mention]) -> tuple[Quote, ...]:
    """Direct and reported quotes of one article, in text order. A direct quote running over several
    sentences takes the cue after its end („…. …“, sagte X); a cue-less quote or subjunctive sentence
    continues the speaker of the sentence before."""
    f, text = _Found(v, sentences, mentions), v.text
    out: list[Quote] = []
    last: Who | None = None
    last_at = -CARRY - 1
    recent: Who | None = None  # the last speaker, across paragraphs
    recent_at = -FAR - 1
    for i, sent in enumerate(sentences):
        if text[sent.end_char - 1].isalnum() or (text[sent.start_char] == "(" and text[sent.end_char - 1] == ")"):
            continue  # a headline or subheading; a remark in brackets (Wikinews berichtete.)
        inside, who, cue = f.inside[i], f.who[i], f.cue[i]
        for a, b in inside:
            j = f.closing(b)
            if a >= sent.start_char and j > i and f.who[j] and (f.cue[j][1] or 0) >= b:
                who, cue = f.who[j], f.cue[j]  # „… . …“, sagte X: the quote's own cue comes after it
        if i and "\n" in text[sentences[i - 1].end_char:sent.start_char]:
            last = None  # a new paragraph: the speaker of the one before is not carried over
        carried = False
        if who is None and i - last_at <= CARRY and last is not None and (
                f.bits[i] & SUBJ or (inside and _spoken(text, inside))):
            who, cue, carried = last, ("„…“" if inside else "sei", None, None), True
        elif who is None and not inside and f.bits[i] & SUBJ and i and f.latent[i - 1] and last_at < i - 1:
            who, cue = f.latent[i - 1], ("sei", None, None)  # Die Polizei bittet um Mithilfe. Der Mann sei …
        if who is None and not inside and f.bits[i] & SUBJ and f.reports(i):
            if recent is not None and recent[0] is not None and i - recent_at <= FAR:
                who, cue = recent, ("sei", None, None)
            elif i and f.latent[i - 1]:
                who, cue = f.latent[i - 1], ("sei", None, None)
        for a, b in inside:
            if a >= sent.start_char:  # a quote running over sentences is kept once
                out.append(_quote(text, who, (cue[0] or "„…“", cue[1], cue[2]), (a + 1, b - 1), "direct", sent.index))
        if who and (not inside or ((not carried or f.bits[i] & SUBJ) and _fragments(text, inside, sent))):
            out.append(_quote(text, who, cue, (sent.start_char, sent.end_char), "reported", sent.index))
        if who:
            last, last_at = who, i
            recent, recent_at = who, i
    return _echoes(out)


_AS_VERBS = frozenset("kritisieren verurteilen bezeichnen nennen werten loben ablehnen begrüßen".split())
_CLAUSE_MARKS = frozenset({",", ".", ";", ":"})
# cues that count only when the speaker resolves to an actor
_NAMED_ONLY = frozenset("wollen beabsichtigen zeigen beziffern entscheiden erwägen".split())
_NAMED_SAY = frozenset("befürchten verlangen nennen vorwerfen".split())  # said even without what, by a named actor
_CONTENT_OPENERS = frozenset("dass ob wie was warum wer wann wo weshalb wieso inwieweit".split())


def _content(v: TokenView, a: int, b: int, k: int, needs: frozenset[str]) -> bool:
    """Whether a sentence whose speech cue is token k reports what was said. Only a participle (abgelehnt,
    gefordert) or a verb that as often takes a noun object (`speech_needs_content`: erklärte die Hintergründe)
    must show it: a subjunctive, a clause after the cue (erklärte, dass …; erklärte, er …), a cue after a
    comma (…, erklärte er) or a colon after it."""
    t = v.tokens
    if not v.bits[k] & (CUE | PARTICLE_CUE) or v.bits[k] & SOURCE:
        return True
    w = t[k]
    if not _participle(w) and lemma_table().get(w, w.lower()) not in needs:
        return True
    if k > a and t[k - 1] == "," or prep_object(v, k, b, a):
        return True
    for x in range(a, b):
        if v.bits[x] & SUBJ or (x > k and t[x] in _CONTENT_OPENERS and t[x - 1] == ","):
            return True
        if t[x] == "als" and x + 1 < b and t[x + 1] not in _CLAUSE_MARKS and lemma_table().get(
                w, w.lower()) in _AS_VERBS:  # kritisierte den Anschlag als barbarische Tat
            return True
    return k + 1 < b and t[k + 1] in (",", ":")


def _participle(w: str) -> bool:
    """A past participle of a speech verb (gefordert, abgelehnt, angekündigt), not a finite form."""
    return w[:1].islower() and w.endswith(("t", "en")) and ("ge" in w[:6] and not w.startswith(("ver", "be", "er")))


def _colon_named(text: str, inside: list[tuple[int, int]], sent: Sentence,
                 speakers: Speakers) -> tuple[Who, int] | None:
    """A quote after a colon whose clause names a person or organisation (… äußerte Solana im Interview
    zuversichtlich: „…“): that actor, and the colon's offset."""
    for a, _ in inside:
        colon = text.rfind(":", max(sent.start_char, a - 3), a)
        if colon >= 0:
            m = speakers.inside(sent.start_char, colon)
            if m is not None:
                return (m.actor_id, m.start_char, m.end_char), colon
    return None


def _spoken(text: str, inside: list[tuple[int, int]]) -> bool:
    """Whether a sentence's quotes are words someone said rather than quoted phrases: one has five words or more
    (a cue-less quote continues the speaker before; „völlig unrealistisch“ alone does not)."""
    return any(len(text[a:b].split()) > 4 for a, b in inside)


def _fragments(text: str, inside: list[tuple[int, int]], sent: Sentence) -> bool:
    """Quoted words inside a sentence of reported speech (Er will „sorgfältig prüfen“, ob …): they cover less
    than half of it, and none opens the sentence, follows a colon or runs in from the sentence before (those
    are direct quotes with their frame: „…“, sagte X; X sagte: „…“)."""
    if any(a <= sent.start_char or text[max(0, a - 3):a].rstrip().endswith(":") for a, _ in inside):
        return False
    quoted = sum(min(b, sent.end_char) - max(a, sent.start_char) for a, b in inside)
    return quoted * 2 < sent.end_char - sent.start_char


def _echoes(quotes: list[Quote]) -> tuple[Quote, ...]:
    """A direct quote without a speaker (in a headline) takes the speaker of an attributed quote that
    repeats its words (Invasion ein „reales Risiko“ … „ein reales Risiko …“, sagte Blinken)."""
    said = [q for q in quotes if q.kind == "direct" and q.speaker_start is not None]
    out = []
    for q in quotes:
        if q.kind == "direct" and q.speaker_start is None:
            src = next((o for o in said if q.quote in o.quote and o is not q), None)
            if src is not None:
                q = replace(q, actor_id=src.actor_id, speaker_text=src.speaker_text, speaker_start=src.speaker_start,
                            speaker_end=src.speaker_end)
        out.append(q)
    return tuple(out)
