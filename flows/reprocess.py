"""Re-enrich stored articles after the registry, overlay or lexicon changed (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass

from lagebild.resources import enrich_with_defaults, resources_for, theme_rows
from lagebild.settings import Settings
from warehouse import enrichment_store
from warehouse.db import connect
from warehouse.load import upsert_themes
from warehouse.summaries import refresh_summaries

CHUNK = 500


@dataclass(frozen=True)
class ReprocessReport:
    articles: int
    unchanged: int
    version: str


def reprocess(settings: Settings, everything: bool = False, progress: bool = True) -> ReprocessReport:
    """Re-enrich outdated articles chunk by chunk; each chunk replaces its rows in one transaction."""
    version = resources_for(settings).enrich_version
    with connect(settings.warehouse, timeout=settings.lock_timeout) as con:
        todo = enrichment_store.outdated_ids(con, None if everything else version)
        total = enrichment_store.count_articles(con)
    done = 0
    for start in range(0, len(todo), CHUNK):
        ids = todo[start : start + CHUNK]
        with connect(settings.warehouse, timeout=settings.lock_timeout) as con:
            articles = enrichment_store.load_articles(con, ids)
        results = enrich_with_defaults(settings, articles)
        with connect(settings.warehouse, timeout=settings.lock_timeout) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                upsert_themes(con, theme_rows(settings))
                enrichment_store.replace_enrichments(con, results)
                refresh_summaries(con, [r.article_id for r in results])
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        done += len(ids)
    return ReprocessReport(done, total - done, version)
