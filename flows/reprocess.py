"""Re-enrich stored articles after the registry, overlay or lexicon changed (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass

from lagebild.resources import enrich_with_defaults, resources_for, theme_rows
from lagebild.settings import Settings
from warehouse import Warehouse

CHUNK = 500


@dataclass(frozen=True)
class ReprocessReport:
    articles: int
    unchanged: int
    version: str


def reprocess(settings: Settings, everything: bool = False, progress: bool = True) -> ReprocessReport:
    """Re-enrich outdated articles chunk by chunk (each replaces its rows in one transaction), then rebuild stories."""
    version = resources_for(settings).enrich_version
    warehouse = Warehouse.of(settings)
    todo = warehouse.outdated_ids(None if everything else version)
    total = warehouse.count_articles()
    done = 0
    for start in range(0, len(todo), CHUNK):
        ids = todo[start : start + CHUNK]
        results = enrich_with_defaults(settings, warehouse.load_articles(ids))
        warehouse.replace_enrichments(results, theme_rows())
        done += len(ids)
    if done:
        warehouse.rebuild_stories()  # actors and themes changed: the stories are clustered again
    return ReprocessReport(done, total - done, version)
