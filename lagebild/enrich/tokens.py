"""Facts about word types (capitalised? given name? place? organisation noun? theme word?),
computed once per word type and process, then looked up for a whole document with numpy.

A document is a `TokenView`: token texts, character offsets, ORTH hashes and the fact bits.
The rules in discovery.py, themes.py and core.py read bits instead of re-testing strings.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from lagebild.enrich.lexicon import (
    function_words,
    german_words,
    lemma_table,
    role_heads,
    speech_particles,
    surnames,
    wordlist,
)

if TYPE_CHECKING:
    from lagebild.enrich.resources import Resources
    from lagebild.enrich.themes import ThemeIndex

CAP, FW, WORD, GIVEN, PLACE, PLACE_HEAD, ROLE, ORG_INTRO = (1 << k for k in range(8))
ACRONYM, ORG_NOUN, PARTICLE, NAME, THEME, PUREWORD, LOWWORD, SUFFIX = (1 << k for k in range(8, 16))
ORG_SUFFIX, SURNAME, LOC_PREP, NOWORD, PHRASE = (1 << k for k in range(16, 21))
CUE, PARTICLE_CUE, SUBJ, SOURCE, ORG_PREFIX, TITLE = (1 << k for k in range(21, 27))
_SOURCES = frozenset({"zufolge", "laut", "Laut", "gemäß", "Gemäß", "nach", "Nach", "wie", "Wie", "so",
                      "wonach", "Wonach",
                      "demnach", "Demnach"})

ACRONYM_RX = re.compile(r"^[A-ZÄÖÜ][A-ZÄÖÜ0-9]{1,5}$")
_WORDCHARS = re.compile(r"\w+")
_MERGE_AT = 512
PARTICLES = frozenset({"von", "van", "der", "de", "al", "bin", "da", "di", "du", "la", "le", "el", "zu"})


@cache
def role_rx() -> re.Pattern[str]:
    return re.compile("(?:" + "|".join(map(re.escape, role_heads())) + ")$")


@cache
def org_rx() -> re.Pattern[str]:
    """An organisation noun: at least three letters before one of the org heads."""
    return re.compile(r"\w{3}(?:" + "|".join(map(re.escape, wordlist("org_heads"))) + ")$")


def is_cap(w: str) -> bool:
    return w[:1].isupper() and w[:1].isalpha()


class LexTable:
    """ORTH hash -> fact bits, and -> CRC32 of the lowercased word (for shingling).

    Learning is memoisation of pure functions of the word, so results do not depend on order.
    """

    def __init__(self, res: Resources, index: ThemeIndex) -> None:
        self.given, self.places, self.index = res.given_names, res.places, index
        self.place_heads = frozenset(p.split()[0] for p in res.places if " " in p)
        self.fw, self.words = function_words(), german_words()
        self.intros = frozenset(wordlist("org_introducers"))
        self.acronym_stop = frozenset(wordlist("acronym_stop"))
        self.org_suffixes = frozenset(wordlist("org_suffixes"))
        self.surnames = surnames()
        self.loc_preps = frozenset(wordlist("loc_prepositions"))
        self.org_prefixes, self.titles = frozenset(wordlist("org_prefixes")), frozenset(wordlist("person_titles"))
        self.speech, self.speech_forms = frozenset(wordlist("speech_lemmas")), frozenset(
            wordlist("speech_verbs") + wordlist("speech_stances"))
        self.particles = speech_particles()
        self.subjunctives = frozenset(wordlist("subjunctives"))
        self.keys = np.zeros(0, dtype=np.uint64)  # sorted ORTH hashes of learnt word types
        self.vals = np.zeros(0, dtype=np.int64)
        self.crcs = np.zeros(0, dtype=np.uint64)
        self.pending: dict[int, tuple[int, int]] = {}  # learnt, not yet merged into the arrays

    def classify(self, w: str) -> int:
        """The fact bits of one word type."""
        cap, low = is_cap(w), w.lower()
        b = (CAP if w[:1].isupper() else 0) | (FW if w in self.fw else 0) | (WORD if w in self.words else 0)
        b |= (LOWWORD if low in self.words else 0) | (GIVEN if w in self.given else 0)
        b |= (PLACE if w in self.places else 0) | (PLACE_HEAD if w in self.place_heads else 0)
        b |= (ORG_INTRO if w in self.intros else 0) | (PARTICLE if w in PARTICLES else 0)
        b |= (ORG_SUFFIX if w in self.org_suffixes else 0) | (SURNAME if self._surname(w) else 0)
        b |= (ORG_PREFIX if w in self.org_prefixes else 0) | (TITLE if w in self.titles else 0)
        b |= (LOC_PREP if w in self.loc_preps else 0) | (0 if _WORDCHARS.search(w) else NOWORD)
        if cap and role_rx().search(low):
            b |= ROLE
        if ACRONYM_RX.match(w) and len(w) >= 3 and w not in self.acronym_stop and not w.isdigit():
            b |= ACRONYM
        if cap and w not in self.fw and low not in self.words and org_rx().search(low):
            b |= ORG_NOUN
        if cap and w not in self.fw and len(w) > 1 and not w.isupper():
            b |= NAME
        if self.index.word_hits(w):
            b |= THEME
        if low in self.index.phrase_heads or ("-" in low and low.split("-", 1)[0] in self.index.phrase_heads):
            b |= PHRASE
        if _WORDCHARS.fullmatch(low) and len(low) == len(w):
            b |= PUREWORD
        return b | self._speech(w)

    def _surname(self, w: str) -> bool:
        """A listed surname, or its genitive in -s (Lynchs)."""
        return w in self.surnames or (w[-1:] == "s" and w[:-1] in self.surnames and w not in self.words)

    def _speech(self, w: str) -> int:
        """Speech cue bits: a speech verb form (or one that needs a particle), subjunctive, source word."""
        lemma = lemma_table().get(w, w.lower()) if w[:1].islower() else None
        b = (SUBJ if w in self.subjunctives else 0) | (SOURCE if w in _SOURCES else 0)
        if lemma in self.particles:
            b |= PARTICLE_CUE
        elif lemma in self.speech or w in self.speech_forms:
            b |= CUE
        return b

    def lookup(self, orth: np.ndarray, starts: list[int], lens: list[int], text: str) -> tuple[np.ndarray, np.ndarray]:
        """Bits and word CRCs for every token of a document: a sorted-array search, Python only for new words."""
        idx = np.minimum(np.searchsorted(self.keys, orth), max(len(self.keys) - 1, 0))
        if len(self.keys):
            known = self.keys[idx] == orth
            bits, crcs = self.vals[idx], self.crcs[idx]
        else:
            known = np.zeros(len(orth), dtype=bool)
            bits, crcs = np.zeros(len(orth), dtype=np.int64), np.zeros(len(orth), dtype=np.uint64)
        if not known.all():
            for k in np.nonzero(~known)[0].tolist():
                h = int(orth[k])
                entry = self.pending.get(h) or self._learn(h, text[starts[k]:starts[k] + lens[k]])
                bits[k], crcs[k] = entry
            if len(self.pending) >= _MERGE_AT:
                self._merge()
        return bits, crcs

    def _learn(self, h: int, w: str) -> tuple[int, int]:
        self.index.by_hash[h] = self.index.word_hits(w)
        entry = self.pending[h] = (self.classify(w), zlib.crc32(w.lower().encode()))
        return entry

    def learnt(self) -> int:
        """How many word types this table knows."""
        return len(self.keys) + len(self.pending)

    def _merge(self) -> None:
        """Fold newly learnt word types into the sorted arrays."""
        keys = np.concatenate([self.keys, np.fromiter(self.pending, dtype=np.uint64, count=len(self.pending))])
        vals = np.concatenate([self.vals, np.array([v[0] for v in self.pending.values()], dtype=np.int64)])
        crcs = np.concatenate([self.crcs, np.array([v[1] for v in self.pending.values()], dtype=np.uint64)])
        order = np.argsort(keys, kind="stable")
        self.keys, self.vals, self.crcs = keys[order], vals[order], crcs[order]
        self.pending = {}


_TABLES: dict[str, LexTable] = {}
# Word types a table learns before it starts afresh: a watcher meets new words (names, numbers, compounds)
# as long as it runs, and each costs ~0.3 KB here and in the theme index. Learning is memoisation of
# pure functions of the word, so starting afresh changes no result, it only costs re-learning.
LEARNT_LIMIT = 300_000


def lex_table(res: Resources, index: ThemeIndex) -> LexTable:
    """The table for these resources, built on first use in this process, and again (with the theme index's
    word caches emptied) once it has learnt LEARNT_LIMIT word types. Call it between documents only."""
    table = _TABLES.get(res.enrich_version)
    if table is not None and table.learnt() > LEARNT_LIMIT:
        index.forget_words()
        for key in [k for k, t in _TABLES.items() if t.index is index]:  # each learnt into the caches just emptied
            del _TABLES[key]
        table = None
    if table is None or table.index is not index:
        table = _TABLES[res.enrich_version] = LexTable(res, index)
    return table


@dataclass
class TokenView:
    """One document's tokens: texts, offsets, ORTH hashes, fact bits and glue (no space after)."""

    text: str
    tokens: Sequence[str]
    offsets: list[int]
    orth: np.ndarray
    codes: np.ndarray
    bits: list[int]
    glued: np.ndarray
    crcs: np.ndarray

    def end(self, k: int) -> int:
        """Character end of token k."""
        return self.offsets[k] + len(self.tokens[k])

    def has(self, k: int, flag: int) -> bool:
        return 0 <= k < len(self.bits) and bool(self.bits[k] & flag)
