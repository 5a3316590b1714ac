"""Theme lexicon (data/themes.yaml) and scoring per sentence and per article, with evidence."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import yaml

from lagebild.enrich.lexicon import lemma_table
from lagebild.enrich.model import SentenceTheme, ThemeScore
from lagebild.enrich.registry import RegistryError
from lagebild.enrich.tokens import PHRASE, THEME

if TYPE_CHECKING:
    from lagebild.enrich.tokens import TokenView

MIN_HEAD = 5  # shortest compound head that counts (Wirtschafts|sanktionen)
Hit = tuple[str, float]  # (theme_id, weight)


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    lemmas: tuple[tuple[str, float], ...]
    phrases: tuple[tuple[str, float], ...]
    min_score: float = 2.0


THEMES_FILE = Path(__file__).parent / "data" / "themes.yaml"


@cache
def shipped_theme_rows() -> tuple[tuple[str, str], ...]:
    """(theme_id, label) of the shipped theme list: what `Resources.themes` holds, without loading the
    rest of the resources (the registry, the lexicon, spaCy)."""
    return tuple((t.id, t.label) for t in load_themes(THEMES_FILE))


def load_themes(path: Path) -> list[Theme]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    default_min = float(doc.get("min_score", 2.0))
    themes = []
    for i, t in enumerate(doc.get("themes") or []):
        if not isinstance(t, dict) or not t.get("id") or not t.get("label"):
            raise RegistryError(f"{path} theme #{i + 1}: needs id and label")
        themes.append(Theme(
            id=t["id"], label=t["label"],
            lemmas=tuple((str(k), float(v)) for k, v in (t.get("lemmas") or {}).items()),
            phrases=tuple((str(k).lower(), float(v)) for k, v in (t.get("phrases") or {}).items()),
            min_score=float(t.get("min_score", default_min)),
        ))
    if len({t.id for t in themes}) != len(themes):
        raise RegistryError(f"{path}: duplicate theme ids")
    return themes


class ThemeIndex:
    """Lowercase word form -> theme hits; inflected forms come from the lookup lemmatizer."""

    def __init__(self, themes: Sequence[Theme]) -> None:
        by_lemma: dict[str, list[Hit]] = defaultdict(list)
        for t in themes:
            for lemma, w in t.lemmas:
                by_lemma[lemma].append((t.id, w))
        self.forms: dict[str, list[Hit]] = {k.lower(): v for k, v in by_lemma.items()}
        for surface, lemma in lemma_table().items():
            if lemma in by_lemma:
                self.forms.setdefault(surface.lower(), by_lemma[lemma])
        self.phrase_hits: dict[str, list[Hit]] = defaultdict(list)
        for t in themes:
            for p, w in t.phrases:
                self.phrase_hits[p].append((t.id, w))
        alternation = "|".join(re.escape(p) for p in sorted(self.phrase_hits, key=len, reverse=True))
        self.phrase_rx = re.compile(r"(?<!\w)(?:" + alternation + r")(?!\w)") if alternation else None
        self.min_score = {t.id: t.min_score for t in themes}
        heads = (re.match(r"\w+", p) for p in self.phrase_hits)
        self.phrase_heads = frozenset(h.group() for h in heads if h)  # first words: run the regex only then
        self._cache: dict[str, list[Hit]] = {}
        self.by_hash: dict[int, list[Hit]] = {}  # StringStore hashes are stable across processes

    def forget_words(self) -> None:
        """Empty the per-word caches (the word-type table that fills `by_hash` starts afresh with them)."""
        self._cache.clear()
        self.by_hash.clear()

    def word_hits(self, word: str) -> list[Hit]:
        """Hits of one token: the word itself or its compound head (Gaspipeline -> Pipeline)."""
        hits = self._cache.get(word)
        if hits is None:
            low = word.lower()
            hits = self.forms.get(low, [])
            for cut in (1, 2) if not hits else ():  # plural/case endings the lookup table lacks
                hits = self.forms.get(low[:-cut], []) if low[-cut:] in ("e", "n", "s", "en", "es", "er") else []
                if hits:
                    break
            if not hits and len(low) > MIN_HEAD + 2:
                low = low.rsplit("-", 1)[-1]
                for i in range(1, len(low) - MIN_HEAD + 1):
                    if low[i:] in self.forms:
                        hits = self.forms[low[i:]]
                        break
            self._cache[word] = hits
        return hits


@cache
def theme_index(themes: tuple[Theme, ...]) -> ThemeIndex:
    return ThemeIndex(themes)


def score(
    index: ThemeIndex, view: TokenView, sent_of: SentenceOf
) -> tuple[tuple[ThemeScore, ...], tuple[SentenceTheme, ...]]:
    """Score themes from the tokens marked as theme words and phrase matches over the text."""
    text = view.text
    per_sent: dict[tuple[int, str], _Tally] = {}
    by_hash = index.by_hash
    for k in np.nonzero((view.codes & THEME) != 0)[0].tolist():
        start, word = view.offsets[k], view.tokens[k]
        sent = sent_of(start)
        for theme_id, w in by_hash[int(view.orth[k])]:
            _add(per_sent, (sent, theme_id), w, word)
    if index.phrase_rx is not None and (view.codes & PHRASE).any():
        for m in index.phrase_rx.finditer(text.lower()):
            for theme_id, w in index.phrase_hits[m.group()]:
                _add(per_sent, (sent_of(m.start()), theme_id), w, text[m.start():m.end()])
    return _aggregate(index, per_sent)


class _Tally:
    """A running score and the words that earned it."""

    __slots__ = ("score", "evidence")

    def __init__(self) -> None:
        self.score = 0.0
        self.evidence: list[str] = []


def _add(per_sent: dict[tuple[int, str], _Tally], key: tuple[int, str], weight: float, evidence: str) -> None:
    acc = per_sent.get(key)
    if acc is None:
        acc = per_sent[key] = _Tally()
    acc.score += weight
    acc.evidence.append(evidence)


def _aggregate(
    index: ThemeIndex, per_sent: dict[tuple[int, str], _Tally]
) -> tuple[tuple[ThemeScore, ...], tuple[SentenceTheme, ...]]:
    sentence_themes = tuple(
        SentenceTheme(s, t, round(v.score, 3), tuple(dict.fromkeys(v.evidence)))
        for (s, t), v in sorted(per_sent.items(), key=lambda kv: kv[0])
    )
    totals: dict[str, _Tally] = defaultdict(_Tally)
    for st in sentence_themes:
        totals[st.theme_id].score += st.score
        totals[st.theme_id].evidence.extend(st.evidence)
    articles = tuple(
        ThemeScore(t, round(v.score, 3), tuple(dict.fromkeys(v.evidence)))
        for t, v in sorted(totals.items(), key=lambda kv: (-kv[1].score, kv[0]))
        if v.score >= index.min_score[t]
    )
    return articles, sentence_themes


class SentenceOf:
    """Char offset -> sentence index (bisect over sentence starts)."""

    def __init__(self, starts: Sequence[int]) -> None:
        self.starts = list(starts)

    def __call__(self, char: int) -> int:
        from bisect import bisect_right

        return max(0, bisect_right(self.starts, char) - 1)
