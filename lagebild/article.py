"""The parsed article: what every later step (enrich, load) receives."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

_WS = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Unicode NFC, casefolded, whitespace collapsed: the basis of the article id."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


def article_id_for(body: str) -> str:
    """Stable id: the first 16 hex digits of SHA-256 over the normalised text."""
    return hashlib.sha256(normalise_text(body).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Article:
    """One article as stored.

    `body` is the whole stored text: the title line, a blank line, then the body
    paragraphs (hard wraps joined). Every character offset in the warehouse
    (mentions, quotes, sentences) points into `body`.
    """

    article_id: str
    title: str
    body: str
    published_date: date
    date_precision: str  # 'month' | 'day' | 'minute'
    published_at: datetime | None
    source_file: str  # the file name as dropped (relative to the inbox)
    source: str | None = None
    url: str | None = None
    line: int | None = None  # line number inside a .jsonl file

    @property
    def word_count(self) -> int:
        return len(self.body.split())


def first_occurrences(articles: Iterable[Article], skip: Iterable[str] = ()) -> list[Article]:
    """The first article of each id, in order; ids in `skip` (already stored or claimed) are left out."""
    seen = set(skip)
    out = []
    for a in articles:
        if a.article_id not in seen:
            seen.add(a.article_id)
            out.append(a)
    return out
