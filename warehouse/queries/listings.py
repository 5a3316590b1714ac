"""Plain lists: newest articles, ingest runs and per-file outcomes, discovered actors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from warehouse.queries.read import frame


def recent_articles(target: str | Path, limit: int = 20) -> pd.DataFrame:
    return frame(
        target,
        """SELECT article_id, published_date, date_precision, title, source, duplicate_of,
                                   ingested_at FROM articles ORDER BY ingested_at DESC, published_date DESC
                            LIMIT ?""",
        [limit],
    )


def ingest_runs(target: str | Path, limit: int = 50) -> pd.DataFrame:
    return frame(target, "SELECT * FROM ingest_runs ORDER BY started_at DESC LIMIT ?", [limit])


def ingest_files(target: str | Path, status: str | None = None, limit: int = 500) -> pd.DataFrame:
    """Per-file (and per-line) outcomes, newest first, optionally of one status."""
    return frame(
        target,
        """SELECT "at", file, line, status, reason, article_id, destination, run_id
                            FROM ingest_log WHERE ? IS NULL OR status = ? ORDER BY "at" DESC, file LIMIT ?""",
        [status, status, limit],
    )


def discovered_actors(target: str | Path) -> pd.DataFrame:
    """Discovered actors, most mentioned first: counts, how they were found (`ner` = the statistical
    model, with its label as `kind`), and the sentence of their first mention as an example. From the
    summaries (`actor_month`, `actor_methods`, `actor_first_mentions`), not the mention rows."""
    return frame(
        target,
        """WITH mine AS (SELECT actor_id FROM actors WHERE origin = 'discovered'),
           counts AS (
               SELECT actor_id, sum(mentions)::BIGINT AS mentions, sum(articles)::BIGINT AS articles
               FROM actor_month WHERE actor_id IN (SELECT actor_id FROM mine) GROUP BY ALL),
           methods AS (
               SELECT actor_id, string_agg("method", ', ' ORDER BY "method") AS found_by
               FROM actor_methods WHERE actor_id IN (SELECT actor_id FROM mine) AND mentions <> 0 GROUP BY ALL)
           SELECT a.actor_id, a.name, a.kind, a.role, coalesce(c.mentions, 0) AS mentions,
                  coalesce(c.articles, 0) AS articles, mt.found_by, f.example
           FROM actors a
           LEFT JOIN counts c USING (actor_id)
           LEFT JOIN methods mt USING (actor_id)
           LEFT JOIN actor_first_mentions f USING (actor_id)
           WHERE a.origin = 'discovered'
           ORDER BY mentions DESC, articles DESC, a.name""",
    )
