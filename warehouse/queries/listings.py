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
    model, with its label as `kind`), and the sentence of their first mention as an example."""
    return frame(
        target,
        """WITH m AS (
               SELECT m.actor_id, m.article_id, m.sentence, m.method, m.start_char
               FROM mentions m JOIN actors a USING (actor_id) WHERE a.origin = 'discovered'),
           counts AS (
               SELECT actor_id, count(*) AS mentions, count(DISTINCT article_id) AS articles,
                      string_agg(DISTINCT method, ', ' ORDER BY method) AS found_by,
                      arg_min(article_id, (article_id, start_char)) AS first_article,
                      arg_min(sentence, (article_id, start_char)) AS first_sentence
               FROM m GROUP BY actor_id)
           SELECT a.actor_id, a.name, a.kind, a.role, coalesce(c.mentions, 0) AS mentions,
                  coalesce(c.articles, 0) AS articles, c.found_by,
                  substr(ar.body, s.start_char + 1, least(s.end_char - s.start_char, 300)) AS example
           FROM actors a
           LEFT JOIN counts c USING (actor_id)
           LEFT JOIN sentences s ON s.article_id = c.first_article AND s.sentence = c.first_sentence
           LEFT JOIN articles ar ON ar.article_id = s.article_id
           WHERE a.origin = 'discovered'
           ORDER BY mentions DESC, articles DESC, a.name""",
    )
