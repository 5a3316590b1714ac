"""Generated articles: runs of real sentences from the pool, each carrying its real enrichment.

Article `i` depends only on the seed and `i`. It has the title and first five to nine sentences of
one source article, then two or three runs of three to six consecutive sentences of other sources, in
paragraphs of three: about 19 sentences, 320 words, 22 mentions of 16 actors (the enriched sources
themselves: 18 sentences, 300 words, 20 mentions of 11 actors). With ~19,000 source
sentences, a million articles use each one hundreds of times; so that they do not all share passages
(word 8-grams) by chance, each use swaps half of the words of four letters or more outside mentions,
speakers and theme evidence (quotes take the swapped text) for other words of the corpora with the
same length and case, so every offset stays valid. Dates spread over eight
years (more news in later years, less at weekends), 5 % known only to their month. About 3 % are
syndicated copies of an earlier article (one sentence added, a day or two later) and 2 % reuse a
long passage of an earlier article: the product's loader finds both (duplicate_of, "overlaps").
The enrichment is the pool's, shifted to the new offsets; article themes are summed from the
sentence themes with the lexicon's thresholds, as the enrichment does; the MinHash signature is the
product's signature of the new text.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bench.sentence_pool import Piece, Pool
from lagebild.article import Article
from lagebild.enrich import dedup
from lagebild.enrich.model import Enrichment, Mention, Quote, Sentence, SentenceTheme, ThemeScore
from lagebild.parse import build_article, parse_date_value

FIRST_DAY = date(2019, 1, 1)
DAYS = 8 * 365 - 31  # up to the end of November 2026
COPY_SHARE, OVERLAP_SHARE, MONTH_SHARE = 0.03, 0.02, 0.05
OUTLETS = ("dpa", "APA", "DER STANDARD", "Wikinews", "AFP", "Reuters", "taz", "FAZ", "SZ", "ORF")
LEAD, OTHERS, RUN = (5, 9), (2, 3), (3, 6)  # lead sentences; other sources and their run lengths
SWAP = 0.5  # share of the words outside mentions, speakers and theme evidence that each use swaps
RunSpec = tuple[int, int, int, int]  # (source, first sentence, count, seed of its word swaps)
_WORD = re.compile(r"\b[^\W\d_]{4,}\b")


@dataclass(frozen=True)
class Plan:
    """What article `i` is made of."""

    title: int  # source whose title it carries
    title_seed: int
    runs: tuple[RunSpec, ...]
    day: date
    month_only: bool
    outlet: str


def _day(rng: random.Random) -> date:
    while True:
        day = FIRST_DAY + timedelta(days=int(DAYS * rng.random() ** 0.8))  # more news in later years
        if day.weekday() < 5 or rng.random() < 0.6:
            return day


def _run(rng: random.Random, pool: Pool, src: int, first: int | None, low: int, high: int) -> RunSpec:
    """`low` to `high` consecutive sentences of source `src` (from `first`, or a random start)."""
    size = len(pool.bodies[src])
    n = min(size, rng.randint(low, high))
    start = rng.randrange(size - n + 1) if first is None else first
    return (src, start, n, rng.getrandbits(48))


def _fresh(i: int, seed: int, pool: Pool) -> Plan:
    rng = random.Random(seed * 1_000_003 + i)
    lead = rng.randrange(len(pool.bodies))
    runs = [_run(rng, pool, lead, 0, LEAD[0], LEAD[1])]
    for _ in range(rng.randint(*OTHERS)):
        runs.append(_run(rng, pool, rng.randrange(len(pool.bodies)), None, RUN[0], RUN[1]))
    outlet = OUTLETS[min(len(OUTLETS) - 1, int(rng.expovariate(0.45)))]
    return Plan(lead, rng.getrandbits(48), tuple(runs), _day(rng), rng.random() < MONTH_SHARE, outlet)


def plan(i: int, seed: int, pool: Pool) -> Plan:
    """Article `i`: fresh, or a copy / partial reuse of an earlier article."""
    rng = random.Random(seed * 7_919 + i)
    draw = rng.random()
    if i < 100 or draw >= COPY_SHARE + OVERLAP_SHARE:
        return _fresh(i, seed, pool)
    earlier = plan(rng.randrange(i), seed, pool)
    day = earlier.day + timedelta(days=rng.randint(0, 2))
    if draw < COPY_SHARE:  # syndicated copy: the whole text, one sentence of another source added
        src = rng.randrange(len(pool.bodies))
        return replace(earlier, runs=(*earlier.runs, (src, 0, 1, rng.getrandbits(48))), day=day,
                       outlet=rng.choice(OUTLETS))
    own = _fresh(i, seed, pool)  # partial reuse: half of the earlier text, then its own sentences
    return replace(own, title=earlier.title, title_seed=earlier.title_seed,
                   runs=earlier.runs[: max(2, len(earlier.runs) // 2)] + own.runs[1:], day=day)


def build(i: int, seed: int, pool: Pool) -> tuple[Article, Enrichment]:
    """The article and its enrichment, as the loader receives them from parse and enrich."""
    p = plan(i, seed, pool)
    words = _vocabulary(pool)
    pieces = [_vary(pool.bodies[s][f + k], v + k, words) for s, f, n, v in p.runs for k in range(n)]
    paragraphs: list[list[Piece]] = [pieces[k:k + 3] for k in range(0, len(pieces), 3)]
    title = _vary(pool.titles[p.title], p.title_seed, words)
    day = p.day.replace(day=1) if p.month_only else p.day
    header = parse_date_value(day.isoformat()[:7] if p.month_only else day.isoformat(), "bench")
    file = f"bench/{day:%Y-%m}/artikel-{i:07d}.txt"
    art = build_article(file, title.text, [" ".join(x.text for x in para) for para in paragraphs], header,
                        source=p.outlet)
    return art, _enrichment(art, [title, *pieces], paragraphs, pool)


_VOCABULARY: dict[int, dict[tuple[int, bool], list[str]]] = {}


def _vocabulary(pool: Pool) -> dict[tuple[int, bool], list[str]]:
    """The words of the pool by (length, capitalised)."""
    key = id(pool)
    if key not in _VOCABULARY:
        found: set[str] = set()
        for body in pool.bodies:
            for piece in body:
                found.update(_WORD.findall(piece.text))
        by: dict[tuple[int, bool], list[str]] = defaultdict(list)
        for w in sorted(found):
            by[(len(w), w[0].isupper())].append(w)
        _VOCABULARY[key] = dict(by)
    return _VOCABULARY[key]


def _vary(piece: Piece, seed: int, words: dict[tuple[int, bool], list[str]]) -> Piece:
    """The piece with SWAP of its free words swapped for corpus words of the same length and case."""
    rng = random.Random(seed)
    kept = [(m.start_char, m.end_char) for m in piece.mentions]
    kept += [(q.speaker_start, q.speaker_end) for q in piece.quotes
             if q.speaker_start is not None and q.speaker_end is not None]
    evidence = {w.casefold() for t in piece.themes for e in t.evidence for w in e.split()}
    text = list(piece.text)
    for m in _WORD.finditer(piece.text):
        w = m.group()
        if rng.random() >= SWAP or w.casefold() in evidence or any(a < m.end() and m.start() < b for a, b in kept):
            continue
        options = words.get((len(w), w[0].isupper()))
        if options:
            text[m.start():m.end()] = rng.choice(options)
    varied = "".join(text)
    quotes = tuple(replace(q, quote=varied[q.start_char:q.end_char]) for q in piece.quotes)
    return replace(piece, text=varied, quotes=quotes)


def _starts(title: Piece, paragraphs: list[list[Piece]]) -> list[int]:
    """Character offset of each piece in the body: the title, a blank line, paragraphs of pieces."""
    starts, at = [0], len(title.text) + 2
    for para in paragraphs:
        for piece in para:
            starts.append(at)
            at += len(piece.text) + 1
        at += 1  # "\n\n" instead of the last " "
    return starts


def _enrichment(art: Article, pieces: list[Piece], paragraphs: list[list[Piece]], pool: Pool) -> Enrichment:
    starts = _starts(pieces[0], paragraphs)
    sentences, mentions, sthemes, quotes = [], [], [], []
    for k, (piece, at) in enumerate(zip(pieces, starts, strict=True)):
        sentences.append(Sentence(k, at, at + len(piece.text)))
        mentions += [_at_mention(m, at, k) for m in piece.mentions]
        sthemes += [replace(t, sentence=k) for t in piece.themes]
        quotes += [_at_quote(q, at) for q in piece.quotes]
    ids = {m.actor_id for m in mentions} | {q.actor_id for q in quotes if q.actor_id}
    return Enrichment(
        article_id=art.article_id, sentences=tuple(sentences), mentions=tuple(mentions),
        actors=tuple(pool.actors[a] for a in sorted(ids) if a in pool.actors),
        themes=_article_themes(sthemes, pool.min_score), sentence_themes=tuple(sthemes), quotes=tuple(quotes),
        minhash=dedup.signature(art.body), enrich_version=pool.enrich_version,
    )


def _at_mention(m: Mention, at: int, sentence: int) -> Mention:
    return replace(m, start_char=m.start_char + at, end_char=m.end_char + at, sentence=sentence)


def _at_quote(q: Quote, at: int) -> Quote:
    return replace(q, start_char=q.start_char + at, end_char=q.end_char + at,
                   speaker_start=None if q.speaker_start is None else q.speaker_start + at,
                   speaker_end=None if q.speaker_end is None else q.speaker_end + at)


def _article_themes(sthemes: list[SentenceTheme], min_score: dict[str, float]) -> tuple[ThemeScore, ...]:
    """Sentence scores summed per theme, kept at or above the theme's threshold (as lagebild.enrich.themes)."""
    totals: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    for t in sthemes:
        totals[t.theme_id] = totals.get(t.theme_id, 0.0) + t.score
        evidence.setdefault(t.theme_id, []).extend(t.evidence)
    return tuple(ThemeScore(t, round(v, 3), tuple(dict.fromkeys(evidence[t])))
                 for t, v in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
                 if v >= min_score.get(t, 2.0))
