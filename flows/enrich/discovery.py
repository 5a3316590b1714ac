"""Discovery of persons, organisations and places that the registry does not know.

Rules over the tokens, in this order: statistical NER (when a model is loaded),
given name + capitalised surname, role apposition (Duma-Präsident Wjatscheslaw Wolodin,
Kreml-Sprecher Peskow), organisation introducers (Nachrichtenagentur RIA), acronyms,
organisation nouns (Verteidigungsministerium), gazetteer places; then later surname-only
mentions of the persons found. Registry matches always win.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Sequence

from flows.enrich.lexicon import function_words, german_words, role_heads, wordlist

_ACRONYM = re.compile(r"^[A-ZÄÖÜ][A-ZÄÖÜ0-9]{1,5}$")
_PARTICLES = frozenset({"von", "van", "der", "de", "al", "bin", "da", "di", "du", "la", "le", "el", "zu"})
NER_KINDS = {"PER": "person", "PERSON": "person", "ORG": "organisation", "LOC": "place", "GPE": "place"}


@dataclass(frozen=True)
class Found:
    name: str
    kind: str
    start: int  # token
    end: int
    method: str
    role: str | None = None
    country: str | None = None


def slug(name: str) -> str:
    """disc-id slug: ASCII, lowercase, dashes (Wjatscheslaw Wolodin -> wjatscheslaw-wolodin)."""
    s = name.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def _cap(w: str) -> bool:
    return w[:1].isupper() and w[:1].isalpha()


@cache
def _role_rx() -> re.Pattern[str]:
    return re.compile("(?:" + "|".join(map(re.escape, role_heads())) + ")$")


@cache
def _org_rx() -> re.Pattern[str]:
    """An organisation noun: at least three letters before one of the org heads."""
    return re.compile(r"\w{3}(?:" + "|".join(map(re.escape, wordlist("org_heads"))) + ")$")


class Scanner:
    """One pass over a document's tokens; `taken` marks tokens already claimed."""

    def __init__(self, tokens: Sequence[str], offsets: Sequence[int], taken: list[bool],
                 given: frozenset[str], places: frozenset[str]) -> None:
        self.t, self.o, self.taken = tokens, offsets, taken
        self.given, self.places = given, places
        self.fw, self.words = function_words(), german_words()
        self.found: list[Found] = []

    def joined(self, k: int) -> bool:
        """Token k is glued to token k+1 (no space between)."""
        return self.o[k] + len(self.t[k]) == self.o[k + 1]

    def word_start(self, k: int) -> int:
        """First token of the hyphenated word that ends at token k."""
        while k >= 2 and self.t[k - 1] == "-" and self.joined(k - 1) and self.joined(k - 2):
            k -= 2
        return k

    def claim(self, f: Found) -> None:
        for k in range(f.start, f.end):
            self.taken[k] = True
        self.found.append(f)

    def free(self, s: int, e: int) -> bool:
        return e <= len(self.t) and not any(self.taken[s:e])

    def name_word(self, k: int) -> bool:
        w = self.t[k] if k < len(self.t) else ""
        return _cap(w) and w not in self.fw and len(w) > 1 and not w.isupper()

    def role_before(self, i: int) -> str | None:
        """The role word right before token i ('Duma-Präsident'), if any."""
        if i == 0 or not _cap(self.t[i - 1]):
            return None
        if not _role_rx().search(self.t[i - 1].lower()):
            return None
        s = self.word_start(i - 1)
        return "".join(self.t[s:i])

    def surname_end(self, j: int) -> int:
        """End of a (possibly hyphenated) capitalised surname starting at j, or j when none."""
        if not self.name_word(j):
            return j
        end = j + 1
        while end + 1 < len(self.t) and self.t[end] == "-" and self.joined(end - 1) and self.name_word(end + 1):
            end += 2
        return end

    def person_at(self, i: int) -> Found | None:
        """Given name(s) [particles] Surname, or role word + Name [Name]."""
        t = self.t
        role = self.role_before(i)
        j = i
        while j < len(t) and t[j] in self.given:
            j += 1
        if j == i and role is None:
            return None
        while j < len(t) and t[j] in _PARTICLES and j > i:
            j += 1
        end = self.surname_end(j)
        if end == j and j > i + 1 and t[j - 1] in self.given and self.name_word(j - 1):  # Charles Michel
            j, end = j - 1, j
        if end == j:
            return None
        if j == i and (t[i] in self.words or t[i] in self.places):  # role + common word: no name
            return None
        if j == i and self.name_word(end) and end + 1 <= len(t):  # role + First Last
            end = self.surname_end(end) if self.surname_end(end) > end else end
        if not self.free(i, end):
            return None
        return Found(" ".join(t[i:end]).replace(" - ", "-"), "person", i, end, "discovered", role)

    def org_at(self, i: int) -> Found | None:
        t, w = self.t, self.t[i]
        if i > 0 and t[i - 1] in wordlist("org_introducers") and _cap(w) and w not in self.fw:
            end = i + 1
            while end < len(t) and _cap(t[end]) and t[end] not in self.fw:
                end += 1
            return Found(" ".join(t[i:end]), "organisation", i, end, "discovered")
        if _ACRONYM.match(w) and len(w) >= 3 and w not in wordlist("acronym_stop") and not w.isdigit():
            return Found(w, "organisation", i, i + 1, "acronym")
        low = w.lower()
        if _cap(w) and w not in self.fw and low not in self.words and _org_rx().search(low):
            if True:
                if True:
                    s = i
                    while s > 0 and _cap(t[s - 1]) and t[s - 1] not in self.fw and t[s - 1][-1:] in "emnrs" and t[s - 1].lower() in self.words:
                        s -= 1
                    return Found(" ".join(t[s:i + 1]), "organisation", s, i + 1, "discovered")
        return None

    def place_at(self, i: int) -> Found | None:
        t = self.t
        if i + 1 < len(t) and f"{t[i]} {t[i + 1]}" in self.places:
            return Found(f"{t[i]} {t[i + 1]}", "place", i, i + 2, "gazetteer")
        if t[i] in self.places:
            return Found(t[i], "place", i, i + 1, "gazetteer")
        return None

    def scan(self) -> list[Found]:
        nxt = 0
        for i in [k for k, w in enumerate(self.t) if w[:1].isupper()]:
            if i < nxt or self.taken[i]:
                continue
            f = self.person_at(i) or self.org_at(i) or self.place_at(i)
            if f and self.free(f.start, f.end):
                self.claim(f)
                nxt = f.end
        self.follow_surnames()
        return self.found

    def follow_surnames(self) -> None:
        """Later surname-only mentions of discovered persons (Michel forderte …)."""
        for f in list(self.found):
            if f.kind != "person" or f.end - f.start < 2:
                continue
            sur = self.t[f.end - 1]
            if not self.name_word(f.end - 1):
                continue
            for k in range(f.end, len(self.t)):
                if not self.taken[k] and self.t[k] in (sur, sur + "s"):
                    self.claim(Found(f.name, "person", k, k + 1, "surname", f.role, f.country))


def from_entities(ents: Sequence[tuple[str, int, int]], tokens: Sequence[str], taken: list[bool]) -> list[Found]:
    """Statistical NER entities (label, start, end) as discoveries, where tokens are free."""
    out = []
    for label, s, e in ents:
        kind = NER_KINDS.get(label)
        if kind and not any(taken[s:e]):
            for k in range(s, e):
                taken[k] = True
            out.append(Found(" ".join(tokens[s:e]).replace(" - ", "-"), kind, s, e, "ner"))
    return out
