"""`lagebild enrich`: one article in, its enrichment as JSON out."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from lagebild.article import Article, article_id_for
from lagebild.enrich.model import Enrichment
from lagebild.parse import ParseError, decode, parse_file


def article_from_input(name: str, data: bytes) -> Article:
    """An inbox-format file as the pipeline would store it; plain text without header as given."""
    parsed = parse_file(name, data)
    if parsed.ok and parsed.articles:
        return parsed.articles[0]
    if parsed.error and parsed.error.startswith("no date header"):
        text = decode(data)
        title = text.strip().split("\n", 1)[0][:200]
        return Article(article_id_for(text), title, text, date.today(), "day", None, name)
    raise ParseError(parsed.error or "no article in input")


def enrichment_json(article: Article, result: Enrichment) -> dict[str, Any]:
    """The enrichment with the text it refers to; offsets index `text`."""
    return {
        "article_id": article.article_id,
        "published_date": article.published_date.isoformat(),
        "date_precision": article.date_precision,
        "title": article.title,
        "text": article.body,
        "mentions": [asdict(m) for m in result.mentions],
        "actors": [asdict(a) for a in result.actors],
        "themes": [asdict(t) for t in result.themes],
        "quotes": [asdict(q) for q in result.quotes],
        "sentences": [asdict(s) for s in result.sentences],
        "enrich_version": result.enrich_version,
    }
