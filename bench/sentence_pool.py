"""Real German sentences with their real enrichment, for recombination into scale warehouses.

Every source article of the shared corpora (wikinews-de, gnad10k) is parsed by the product's parser
and enriched once by the product's enrichment (`lagebild.resources.enrich_with_defaults`: the shipped
NER, the registry, themes, quotes). Each sentence is kept with its mentions, sentence themes and the
quotes that lie inside it, their offsets relative to the sentence start, so a generated article can
re-use them at any position. The pool is cached beside the warehouse (pickle named by enrich_version).
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from bench import corpus
from lagebild.article import Article
from lagebild.enrich.model import Actor, Enrichment, Mention, Quote, SentenceTheme
from lagebild.parse import build_article, parse_date_value
from lagebild.settings import Settings


@dataclass(frozen=True)
class Piece:
    """One sentence of a source article and what enrichment found in it (offsets from its start)."""

    text: str
    mentions: tuple[Mention, ...]
    themes: tuple[SentenceTheme, ...]  # sentence index 0
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class Pool:
    """Per source article: its title piece and its body sentences; every actor; theme thresholds."""

    titles: tuple[Piece, ...]
    bodies: tuple[tuple[Piece, ...], ...]
    actors: dict[str, Actor]
    min_score: dict[str, float]
    themes: tuple[tuple[str, str], ...]
    enrich_version: str
    real: tuple[tuple[Article, Enrichment], ...]  # the enriched sources themselves (real ingestion)
    enrich_seconds: float


def _shift_mention(m: Mention, by: int, sentence: int) -> Mention:
    return replace(m, start_char=m.start_char - by, end_char=m.end_char - by, sentence=sentence)


def _shift_quote(q: Quote, by: int) -> Quote:
    return replace(q, start_char=q.start_char - by, end_char=q.end_char - by,
                   speaker_start=None if q.speaker_start is None else q.speaker_start - by,
                   speaker_end=None if q.speaker_end is None else q.speaker_end - by)


def pieces(art: Article, e: Enrichment) -> list[Piece]:
    """The article's sentences as pieces (sentence 0 is the title line when it ends there)."""
    out = []
    for s in e.sentences:
        text = art.body[s.start_char:s.end_char]
        if not text.strip() or "\n" in text.strip() or text != text.strip():
            continue
        ms = tuple(_shift_mention(m, s.start_char, 0) for m in e.mentions if m.sentence == s.index
                   and s.start_char <= m.start_char and m.end_char <= s.end_char)
        ts = tuple(replace(t, sentence=0) for t in e.sentence_themes if t.sentence == s.index)
        qs = tuple(_shift_quote(q, s.start_char) for q in e.quotes
                   if s.start_char <= q.start_char and q.end_char <= s.end_char
                   and (q.speaker_start is None or s.start_char <= q.speaker_start)
                   and (q.speaker_end is None or q.speaker_end <= s.end_char))
        out.append(Piece(text, ms, ts, qs))
    return out


def source_articles() -> list[Article]:
    """Each source of the corpora as the product's parser builds it (wikinews keep no dates here)."""
    out = []
    day = parse_date_value(date(2023, 6, 15).isoformat(), "bench")
    for i, src in enumerate(corpus.sources()):
        try:
            out.append(build_article(f"source-{i:05d}.txt", src.title, list(src.paragraphs), day))
        except Exception:  # noqa: BLE001 - a source the parser refuses (too long) is skipped
            continue
    return out


def build(settings: Settings, limit: int | None = None) -> Pool:
    """Enrich the sources with the product's enrichment and cut them into pieces."""
    from lagebild.enrich.themes import theme_index
    from lagebild.resources import enrich_with_defaults, resources_for, theme_rows

    arts = source_articles()[:limit]
    started = time.perf_counter()
    enriched = enrich_with_defaults(settings, arts)
    seconds = time.perf_counter() - started
    res = resources_for(settings)
    titles, bodies, actors = [], [], {}
    for art, e in zip(arts, enriched, strict=True):
        ps = pieces(art, e)
        if len(ps) < 3:
            continue
        head = ps[0] if len(ps[0].text) == len(art.title) else Piece(art.title, (), (), ())
        titles.append(head)
        bodies.append(tuple(ps[1:] if head is ps[0] else ps))
        actors.update({a.actor_id: a for a in e.actors})
    return Pool(tuple(titles), tuple(bodies), actors, dict(theme_index(res.theme_list).min_score),
                tuple(theme_rows()), enriched[0].enrich_version if enriched else "",
                tuple(zip(arts, enriched, strict=True)), seconds)


def cached(settings: Settings, folder: Path, limit: int | None = None) -> Pool:
    """The pool from `folder` when its enrich_version is current, else built and saved there."""
    from lagebild.resources import resources_for

    version = resources_for(settings).enrich_version
    path = folder / f"sentence-pool-{version[:16]}-{limit or 'all'}.pickle"
    if path.exists():
        with path.open("rb") as f:
            pool: Pool = pickle.load(f)  # noqa: S301 - our own cache file
        return pool
    pool = build(settings, limit)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as f:
        pickle.dump(pool, f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return pool


def count_mentions(ps: Sequence[Piece]) -> int:
    return sum(len(p.mentions) for p in ps)
