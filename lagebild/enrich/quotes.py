"""Direct quotes („…“, "…", «…», »…«) and reported speech, with the speaker resolved to an actor.

Per sentence, the first cue outside direct quotes decides the speaker: "X zufolge", "laut X",
"nach Angaben von X", "wie X berichtet", ", so X", or a speech verb (sagte, erklärte, teilte … mit)
with its subject before it ("Lawrow sagte") or after it ("sagte ein Sprecher des Ministeriums",
"„…“, sagte er"); "X: „…“" introduces a quote too. Pronoun speakers resolve to the last person
named. A sentence in the subjunctive (… sei …) or a direct quote without a cue of its own
continues the speaker of one of the two sentences before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from spacy.strings import hash_string  # type: ignore[attr-defined]

from lagebild.enrich.lexicon import lemma_table, speech_particles, wordlist
from lagebild.enrich.model import Mention, Quote, Sentence
from lagebild.enrich.speakers import PRONOUNS, Span, Speakers, first_np, np_after, np_before, subject_before
from lagebild.enrich.tokens import CUE, PARTICLE_CUE, SOURCE, SUBJ, TokenView

_QUOTE = re.compile(r"„([^“”\"]{2,}?)[“”\"]|\"([^\"]{2,}?)\"|«([^»]{2,}?)»|»([^«]{2,}?)«|“([^”]{2,}?)”")
_OPENERS = frozenset("„“”\"«»")
_CLAUSE_END = frozenset({",", ";", ":", ".", "!", "?"})
_NACH_NOUNS = frozenset("Angaben Aussagen Aussage Informationen Berichten Berichte Ansicht Meinung Einschätzung "
                        "Auffassung Darstellung Worten Schätzungen Erkenntnissen Bekunden Medienberichten "
                        "Polizeiangaben Zeitungsberichten Agenturberichten Recherchen Quellen Umfragen".split())
_NACH_ADJ = frozenset("eigenen eigenem offiziellen ersten übereinstimmenden inoffiziellen unbestätigten "
                      "vorläufigen jüngsten neuen neuesten".split())
_AUX = frozenset("hat hatte hatten haben habe hätte ist war sind waren wurde wurden".split())
_REFERS = frozenset({"demnach", "Demnach", "wonach", "Wonach"})
_PASSIVE = frozenset("wurde wurden worden wird werden".split())
_OBLIQUE = frozenset("den dem einen einem ihm ihn ihnen uns mir dich euch".split())
_COLON = np.uint64(hash_string(":"))
CARRY = 1  # a cue-less sentence continues the speaker of one of this many sentences before
Found = tuple[Span, str, Span]  # speaker tokens, cue text, cue tokens
Who = tuple[str | None, int, int]  # actor_id, speaker start_char, end_char


class _Sentence:
    """One sentence's token range and the direct quotes in it."""

    def __init__(self, v: TokenView, a: int, b: int, quotes: list[tuple[int, int]]) -> None:
        self.v, self.a, self.b, self.quotes = v, a, b, quotes

    def quoted(self, k: int) -> bool:
        pos = self.v.offsets[k]
        return any(s <= pos < e for s, e in self.quotes)

    def clause_end(self, k: int) -> int:
        t = self.v.tokens
        while k < self.b and t[k] not in _CLAUSE_END:
            k += 1
        return k


def _source(s: _Sentence, k: int) -> Found | None:
    """Speaker of a source phrase at token k: zufolge, laut, gemäß, nach Angaben, wie … berichtet, so."""
    v, t, w = s.v, s.v.tokens, s.v.tokens[k]
    if w == "zufolge":
        sp = np_before(v, k, s.a)
        return (sp, w, (k, k + 1)) if sp else None
    if w in ("laut", "Laut", "gemäß", "Gemäß"):
        sp = np_after(v, k + 1, s.b) or ((k + 1, min(k + 5, s.clause_end(k + 1))) if k + 1 < s.b else None)
        return (sp, w, (k, k + 1)) if sp and sp[1] > sp[0] else None
    if w in ("nach", "Nach"):
        return _nach(s, k)
    if w in ("wie", "Wie"):
        for c in range(k + 1, min(s.clause_end(k + 1), k + 12)):
            if v.bits[c] & (CUE | PARTICLE_CUE) and c > k + 1:
                return ((k + 1, c), t[c], (c, c + 1))
        return None
    if w == "so" and k > s.a and (t[k - 1] == "," or t[k - 1] in _OPENERS):
        sp = np_after(v, k + 1, s.b)
        return (sp, w, (k, k + 1)) if sp else None
    return None


def _nach(s: _Sentence, k: int) -> Found | None:
    """nach Angaben (von|des|der) X, nach eigenem Bekunden, nach Informationen der X."""
    t, n = s.v.tokens, k + 1
    while n < s.b and n - k < 3 and (t[n] in _NACH_ADJ or t[n] in ("den", "dem")):
        n += 1
    if n >= s.b or t[n] not in _NACH_NOUNS:
        return None
    end, cue_end = n + 1, n + 1
    if end < s.b and t[end] in ("von", "des", "der", "aus", "dem", "eines", "einer"):
        cue_end = end + 1 if t[end] in ("von", "des", "der", "aus") else end
        sp = np_after(s.v, end + (t[end] == "von" or t[end] == "aus"), s.b)
        end = sp[1] if sp else end
    return ((k + 1, end), " ".join(t[k:cue_end]), (k, cue_end))


def _particle_ok(s: _Sentence, k: int) -> bool:
    """A particle verb (teilte … mit) counts when its particle closes the clause."""
    lemma = lemma_table().get(s.v.tokens[k], s.v.tokens[k].lower())
    parts = speech_particles().get(lemma, frozenset())
    end = s.clause_end(k + 1)
    return end > k + 1 and s.v.tokens[end - 1] in parts


def _verb(s: _Sentence, k: int, openers: frozenset[str]) -> Found | None:
    """Speaker of a speech verb at k: its subject before it, else the noun phrase after it."""
    v, t = s.v, s.v.tokens
    if v.bits[k] & PARTICLE_CUE and not _particle_ok(s, k):
        return None
    if _passive(s, k):
        return _agent(s, k)
    prev = t[k - 1] if k > s.a else ""
    if prev == ",":  # an apposition before the verb: Der Vorsitzende …, Jean Mignon, bezeichnete
        sp = subject_before(v, k, s.a, openers, strict=True)
        if sp:
            return (sp, t[k], (k, k + 1))
    if prev in ("und", "aber", "sowie"):
        sp = first_np(v, s.a, k)
        if sp:
            return (sp, t[k], (k, k + 1))
    aux = _auxiliary(s, k)
    if aux is not None:  # hatte … gesagt: the subject sits around the auxiliary
        sp = subject_before(v, aux, _clause_start(s, aux), openers) or np_after(v, aux + 1, k)
        if sp:
            return (sp, t[k], (k, k + 1))
    if prev and prev not in _CLAUSE_END and prev not in _OPENERS:
        sp = subject_before(v, k, _clause_start(s, k), openers)
        if sp:
            return (sp, t[k], (k, k + 1))
    sp = np_after(v, k + 1, s.b)
    return (sp, t[k], (k, k + 1)) if sp and t[sp[0]] not in _OBLIQUE else None


def _passive(s: _Sentence, k: int) -> bool:
    """A participle cue with a form of 'werden' in its clause (wurde … kritisiert)."""
    w = s.v.tokens[k]
    if not (w.startswith("ge") or "ge" in w[2:6]) or not w.endswith("t"):
        return False
    return any(s.v.tokens[x] in _PASSIVE for x in range(_clause_start(s, k), k))


def _agent(s: _Sentence, k: int) -> Found | None:
    """The agent of a passive cue: 'von X' or 'vom X' in its clause."""
    t = s.v.tokens
    for x in range(_clause_start(s, k), k):
        if t[x] in ("von", "vom", "Von", "Vom"):
            sp = np_after(s.v, x + 1, k)
            if sp:
                return (sp, t[k], (k, k + 1))
    return None


def _clause_start(s: _Sentence, k: int) -> int:
    t = s.v.tokens
    while k > s.a and t[k - 1] not in _CLAUSE_END and t[k - 1] not in _OPENERS:
        k -= 1
    return k


def _auxiliary(s: _Sentence, k: int) -> int | None:
    """The finite auxiliary of a participle cue (hatte … gesagt, hat … zugesagt) in its clause."""
    w = s.v.tokens[k]
    if "ge" not in w[:5] and not w.endswith("t"):
        return None
    for x in range(k - 1, _clause_start(s, k) - 1, -1):
        if s.v.tokens[x] in _AUX:
            return x
    return None


def _attribute(s: _Sentence, openers: frozenset[str]) -> Found | None:
    """(speaker span, cue) of a sentence from its first usable cue, else a colon before a quote."""
    v = s.v
    refer = None
    for k in np.nonzero(v.codes[s.a:s.b] & (SOURCE | CUE | PARTICLE_CUE))[0].tolist():
        k += s.a
        if s.quoted(k):
            continue
        if v.tokens[k] in _REFERS:
            refer = refer or ((k, k + 1), v.tokens[k], (k, k + 1))
            continue
        found = _source(s, k) if v.bits[k] & SOURCE else _verb(s, k, openers)
        if found:
            return found
    for k in (np.nonzero(v.orth[s.a:s.b - 1] == _COLON)[0] + s.a).tolist():
        if v.tokens[k + 1] in _OPENERS:
            sp = subject_before(v, k, s.a, openers)
            if sp:
                return (sp, ":", (k, k + 1))
    return refer


def _speaker(v: TokenView, sp: Span, speakers: Speakers) -> Who:
    """(actor_id, start_char, end_char) of a speaker span; pronouns take the last person named."""
    a, b = v.offsets[sp[0]], v.end(sp[1] - 1)
    if sp[1] - sp[0] == 1 and v.tokens[sp[0]] in PRONOUNS:
        person = speakers.last_person(a)
        return (person.actor_id if person else None, a, b)
    m = speakers.inside(a, b)
    return (m.actor_id if m else None, a, b)


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


def find_quotes(v: TokenView, sentences: Sequence[Sentence], mentions: Sequence[Mention]) -> tuple[Quote, ...]:
    """Direct and reported quotes of one article, in text order."""
    text, speakers, openers = v.text, Speakers(mentions), frozenset(wordlist("clause_openers"))
    direct = [(m.start(), m.end()) for m in _QUOTE.finditer(text) if len(m.group().split()) >= 2]
    offs = np.asarray(v.offsets, dtype=np.int64)
    first = np.searchsorted(offs, [s.start_char for s in sentences]).tolist() + [len(offs)]
    sent_bits = _sentence_bits(v.codes, first)
    out: list[Quote] = []
    last: Who | None = None
    last_at = -CARRY - 1
    for i, sent in enumerate(sentences):
        if text[sent.end_char - 1].isalnum():  # a headline or subheading
            continue
        inside = [(a, b) for a, b in direct if a < sent.end_char and b > sent.start_char]
        s = _Sentence(v, first[i], first[i + 1], inside)
        found = _attribute(s, openers) if inside or sent_bits[i] & (SOURCE | CUE | PARTICLE_CUE) else None
        who = _speaker(v, found[0], speakers) if found else None
        cue = (found[1], v.offsets[found[2][0]], v.end(found[2][1] - 1)) if found else ("", None, None)
        if who is None and i - last_at <= CARRY and last is not None and (inside or sent_bits[i] & SUBJ):
            who, cue = last, ("„…“" if inside else "sei", None, None)
        for a, b in inside:
            if a >= sent.start_char:  # a quote running over sentences is kept once
                out.append(_quote(text, who, (cue[0] or "„…“", cue[1], cue[2]), (a + 1, b - 1), "direct", sent.index))
        if who and not any(a >= sent.start_char for a, _ in inside):
            out.append(_quote(text, who, cue, (sent.start_char, sent.end_char), "reported", sent.index))
        if who:
            last, last_at = who, i
    return tuple(out)
