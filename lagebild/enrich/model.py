"""Frozen results of enrichment. Pure data: no I/O, no spaCy objects."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("person", "organisation", "country", "place", "group")


@dataclass(frozen=True)
class Actor:
    """A row of the `actors` table."""

    actor_id: str
    name: str
    kind: str  # one of KINDS
    country: str | None = None  # ISO 3166 alpha-2 or None
    origin: str = "registry"  # 'registry' | 'discovered'
    role: str | None = None  # for discovered actors: the inferred role/title


@dataclass(frozen=True)
class Sentence:
    index: int
    start_char: int
    end_char: int


@dataclass(frozen=True)
class Mention:
    actor_id: str
    name: str  # canonical name
    kind: str
    surface: str  # the text as it appears: body[start_char:end_char]
    sentence: int  # index into Enrichment.sentences
    start_char: int
    end_char: int
    method: str  # 'alias', 'lemma', 'surname', 'metonym', 'adjective', 'discovered', 'ner', ...
    role: str | None = None  # the role the actor held on the article's date
    metonym: bool = False  # e.g. "Kreml" standing for Russia's government


@dataclass(frozen=True)
class ThemeScore:
    theme_id: str
    score: float
    evidence: tuple[str, ...] = ()  # the words/phrases that triggered the theme


@dataclass(frozen=True)
class SentenceTheme:
    sentence: int
    theme_id: str
    score: float
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Quote:
    actor_id: str | None  # resolved speaker, None when unresolved
    speaker_text: str
    cue: str  # 'sagte', 'so', 'zufolge', '„…“', ...
    quote: str
    start_char: int  # span of the quoted/reported content in the body
    end_char: int
    kind: str = "direct"  # 'direct' | 'reported'
    speaker_start: int | None = None  # span of speaker_text in the body, when found
    speaker_end: int | None = None
    cue_start: int | None = None  # span of the cue in the body (None for a quote carried from before)
    cue_end: int | None = None
    sentence: int = 0  # index of the sentence the quote starts in
    targets: tuple[str, ...] = ()  # actors mentioned inside the quote, other than its speaker
    themes: tuple[str, ...] = ()  # themes of the sentences the quote covers


@dataclass(frozen=True)
class Enrichment:
    """Everything enrichment found in one article."""

    article_id: str
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    actors: tuple[Actor, ...] = ()  # every actor referenced by mentions/quotes (registry and discovered)
    themes: tuple[ThemeScore, ...] = ()
    sentence_themes: tuple[SentenceTheme, ...] = ()
    quotes: tuple[Quote, ...] = ()
    minhash: tuple[int, ...] = field(default=(), repr=False)  # near-duplicate signature
    enrich_version: str = ""
