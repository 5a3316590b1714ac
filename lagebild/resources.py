"""Per-process cache of the enrichment resources (registry, overlay, lexicon): loaded once, reloaded on change."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lagebild.article import Article
from lagebild.enrich.model import Enrichment
from lagebild.settings import Settings

if TYPE_CHECKING:
    from lagebild.enrich.resources import Resources

CacheKey = tuple[str, int, str | None]  # overlay path, its mtime (ns), the spaCy model setting

_lock = threading.Lock()
_cache: dict[CacheKey, Resources] = {}


def _key(settings: Settings) -> CacheKey:
    overlay = Path(settings.overlay)
    stamp = overlay.stat().st_mtime_ns if overlay.exists() else 0
    return (str(overlay.resolve()), stamp, settings.spacy_model)


def resources_for(settings: Settings) -> Resources:
    """The loaded `lagebild.enrich.Resources` for these settings (cached per process)."""
    from lagebild.resource_cache import load_cached

    key = _key(settings)
    with _lock:
        if key not in _cache:
            _cache.clear()
            overlay = Path(settings.overlay)
            _cache[key] = load_cached(overlay if overlay.exists() else None, settings.spacy_model,
                                      cache_dir(settings))
        return _cache[key]


def cache_dir(settings: Settings) -> Path:
    """Where the compiled resources are kept between processes (see lagebild/resource_cache.py)."""
    return Path(settings.data_dir) / "cache"


def enrich_with_defaults(settings: Settings, articles: Sequence[Article]) -> list[Enrichment]:
    from lagebild.enrich import enrich

    if not articles:
        return []
    return enrich(articles, resources_for(settings))


def theme_rows() -> list[tuple[str, str]]:
    """(theme_id, label) rows for the `themes` table. Read from the theme list alone, which no setting
    changes: a process whose articles are enriched by worker processes never loads the resources
    (seconds, ~100 MB)."""
    from lagebild.enrich.themes import shipped_theme_rows

    return list(shipped_theme_rows())
