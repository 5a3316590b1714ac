"""Discovery of persons, organisations and places that the registry does not know.

Rules over the tokens, in this order (all of them only when no statistical model is loaded,
see linking.py): given name + capitalised surname, role apposition (Duma-Präsident Wjatscheslaw Wolodin,
Kreml-Sprecher Peskow), organisation introducers (Nachrichtenagentur RIA), acronyms,
organisation nouns (Verteidigungsministerium), gazetteer places, listed surnames and given
names standing alone (Hendrix, Gregor); then later surname-only
mentions of the persons found. Registry matches always win.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from spacy.strings import hash_string  # type: ignore[attr-defined]

from lagebild.enrich.tokens import (
    ACRONYM,
    CAP,
    CUE,
    FW,
    GIVEN,
    LOC_PREP,
    LOWWORD,
    NAME,
    ORG_INTRO,
    ORG_NOUN,
    ORG_PREFIX,
    ORG_SUFFIX,
    PARTICLE,
    PLACE,
    PLACE_HEAD,
    ROLE,
    SURNAME,
    TITLE,
    WORD,
    TokenView,
    is_cap,
)

_STARTS = GIVEN | ACRONYM | ORG_NOUN | PLACE | PLACE_HEAD | SURNAME  # a token with one of these may start a find
_AFTER = ROLE | ORG_INTRO | TITLE | CUE | LOC_PREP  # ... and so may a token right after one of these
_UNKNOWN = LOWWORD | PLACE | GIVEN | ORG_NOUN | ROLE | FW  # a capitalised word with none of these is unknown


@dataclass(frozen=True)
class Found:
    name: str
    kind: str
    start: int  # token
    end: int
    method: str
    role: str | None = None
    country: str | None = None


@lru_cache(maxsize=65536)
def slug(name: str) -> str:
    """disc-id slug: ASCII, lowercase, dashes (Wjatscheslaw Wolodin -> wjatscheslaw-wolodin)."""
    s = name.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def candidates(codes: np.ndarray) -> list[int]:
    """Tokens where a rule may fire: capitalised, and a start fact here or a trigger right before."""
    if len(codes) == 0:
        return []
    hit = (codes & _STARTS) != 0
    hit[1:] |= (codes[:-1] & _AFTER) != 0
    return np.nonzero(hit & ((codes & CAP) != 0))[0].tolist()


class Scanner:
    """One pass over a document's candidate tokens; `taken` marks tokens already claimed."""

    def __init__(self, view: TokenView, taken: list[bool], places: frozenset[str]) -> None:
        self.v, self.t, self.o, self.b = view, view.tokens, view.offsets, view.bits
        self.taken, self.places = taken, places
        self.found: list[Found] = []

    def joined(self, k: int) -> bool:
        """Token k is glued to token k+1 (no space between)."""
        return bool(self.v.glued[k])

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

    def has(self, k: int, flag: int) -> bool:
        return k < len(self.b) and bool(self.b[k] & flag)

    def role_before(self, i: int) -> str | None:
        """The role word right before token i ('Duma-Präsident'), if any."""
        if i == 0 or not self.b[i - 1] & ROLE:
            return None
        return "".join(self.t[self.word_start(i - 1):i])

    def surname_end(self, j: int) -> int:
        """End of a (possibly hyphenated) capitalised surname starting at j, or j when none."""
        if not self.has(j, NAME):
            return j
        end = j + 1
        while end + 1 < len(self.t) and self.t[end] == "-" and self.joined(end - 1) and self.has(end + 1, NAME):
            end += 2
        return end

    def person_at(self, i: int) -> Found | None:
        """Given name(s) [particles] Surname, or role word + Name [Name]."""
        t = self.t
        role = self.role_before(i)
        j = i
        while self.has(j, GIVEN):
            j += 1
        if j == i and role is None:
            return None
        while j > i and self.has(j, PARTICLE):
            j += 1
        end = self.surname_end(j)
        if end == j and j > i + 1 and self.has(j - 1, GIVEN) and self.has(j - 1, NAME):  # Charles Michel
            j, end = j - 1, j
        if end == j:
            return None
        if j == i and self.b[i] & (WORD | PLACE):  # role + common word: no name
            return None
        if j == i and self.has(end, NAME):  # role + First Last
            end = max(end, self.surname_end(end))
        if not self.free(i, end):
            return None
        return Found(" ".join(t[i:end]).replace(" - ", "-"), "person", i, end, "discovered", role)

    def org_at(self, i: int) -> Found | None:
        t, b = self.t, self.b
        if i > 0 and b[i - 1] & ORG_INTRO and b[i] & CAP and is_cap(t[i]) and not b[i] & FW:
            end = i + 1
            while end < len(t) and is_cap(t[end]) and not b[end] & FW:
                end += 1
            return Found(" ".join(t[i:end]), "organisation", i, end, "discovered")
        if b[i] & ACRONYM:
            return Found(t[i], "organisation", i, i + 1, "acronym")
        if b[i] & ORG_NOUN:
            s = i
            while s > 0 and is_cap(t[s - 1]) and not b[s - 1] & FW and t[s - 1][-1:] in "emnrs" and b[s - 1] & LOWWORD:
                s -= 1
            return Found(" ".join(t[s:i + 1]), "organisation", s, i + 1, "discovered")
        return None

    def surname_not_place(self, i: int) -> bool:
        """A gazetteer name that is also a listed surname, with no preposition of place before it."""
        return bool(self.b[i] & SURNAME) and not (i > 0 and self.b[i - 1] & LOC_PREP)

    def place_at(self, i: int) -> Found | None:
        t = self.t
        if self.b[i] & PLACE_HEAD and i + 1 < len(t) and f"{t[i]} {t[i + 1]}" in self.places:
            return Found(f"{t[i]} {t[i + 1]}", "place", i, i + 2, "gazetteer")
        if self.b[i] & PLACE and not self.surname_not_place(i):
            return Found(t[i], "place", i, i + 1, "gazetteer")
        return None

    def unknown(self, i: int) -> bool:
        return bool(self.b[i] & NAME) and not self.b[i] & _UNKNOWN

    def cue_person_at(self, i: int) -> Found | None:
        """An unknown name after a title (Herr Krugman) or after a speech verb (sagte Pfister)."""
        b = self.b
        if not self.unknown(i) or i == 0 or not (b[i - 1] & (TITLE | CUE)):
            return None
        end = self.surname_end(i)
        return Found(" ".join(self.t[i:end]).replace(" - ", "-"), "person", i, end, "discovered")

    def lone_person_at(self, i: int) -> Found | None:
        """A listed surname (Hendrix) or a given name standing alone (Gregor), not inside a longer name."""
        b = self.b
        if not b[i] & (SURNAME | GIVEN) or b[i] & (WORD | FW) or (b[i] & PLACE and not self.surname_not_place(i)):
            return None
        if self.has(i + 1, NAME) or (i > 0 and b[i - 1] & NAME and not b[i - 1] & (FW | WORD)):
            return None
        end = self.surname_end(i)
        return Found(" ".join(self.t[i:end]).replace(" - ", "-"), "person", i, end, "surname-list")

    def prep_place_at(self, i: int) -> Found | None:
        """An unknown name after in/aus/nach (in Riedlingen)."""
        if i > 0 and self.b[i - 1] & LOC_PREP and self.unknown(i) and not self.b[i] & WORD:
            return Found(self.t[i], "place", i, i + 1, "preposition")
        return None

    def affixed_orgs(self) -> None:
        """Names with a legal form or club prefix: Buhl-Alberti AG, Google Inc., FC Carl Zeiss Jena."""
        t, b, n = self.t, self.b, len(self.t)
        for j in np.nonzero((self.v.codes & ORG_SUFFIX) != 0)[0].tolist():
            s = j
            while s > 0 and j - s < 6 and (b[s - 1] & CAP and not b[s - 1] & (FW | ORG_SUFFIX)
                                           or t[s - 1] == "-" and s >= 2 and b[s - 2] & CAP):
                s -= 1
            if s < j and self.free(s, j + 1):
                self.claim(Found(" ".join(t[s:j + 1]).replace(" - ", "-"), "organisation", s, j + 1, "suffix"))
        for j in np.nonzero((self.v.codes & ORG_PREFIX) != 0)[0].tolist():
            e = j + 1
            while e < n and e - j < 4 and (b[e] & CAP and not b[e] & FW or t[e].isdigit() or t[e] == "-"):
                e += 1
            if e > j + 1 and self.free(j, e):
                self.claim(Found(" ".join(t[j:e]).replace(" - ", "-"), "organisation", j, e, "prefix"))

    def scan(self) -> list[Found]:
        self.affixed_orgs()
        nxt = 0
        for i in candidates(self.v.codes):
            if i < nxt or self.taken[i]:
                continue
            f = (self.person_at(i) or self.org_at(i) or self.place_at(i) or self.cue_person_at(i)
                 or self.lone_person_at(i) or self.prep_place_at(i))
            if f and self.free(f.start, f.end):
                self.claim(f)
                nxt = f.end
        self.follow_surnames()
        return self.found

    def follow_up(self) -> list[Found]:
        """Only the surname follow-ups of the persons already in `found` (the statistical model's)."""
        self.follow_surnames()
        return self.found

    def follow_surnames(self) -> None:
        """Later surname-only mentions of discovered persons (Michel forderte …)."""
        persons = [f for f in self.found if f.kind == "person" and f.end - f.start >= 2 and self.has(f.end - 1, NAME)]
        if not persons:
            return
        keys = [(hash_string(self.t[f.end - 1]), hash_string(self.t[f.end - 1] + "s")) for f in persons]
        orth = self.v.orth
        where = np.nonzero(np.isin(orth, [h for pair in keys for h in pair]))[0].tolist()  # one pass for all
        hashes = orth[where].tolist() if where else []
        for f, pair in zip(persons, keys, strict=True):
            for k in [k for k, h in zip(where, hashes, strict=True) if k >= f.end and h in pair]:
                if not self.taken[k]:
                    self.claim(Found(f.name, "person", k, k + 1, "surname", f.role, f.country))

