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


def discovered_actors(target: str | Path, limit: int | None = None, name: str = "") -> pd.DataFrame:
    """Discovered actors, most mentioned first (then by name): counts, how they were found (`ner` = the
    statistical model, with its label as `kind`), and the sentence of their first mention as an example. At
    most `limit` of them (None: all), those whose name holds `name` (any case) when it is given. From the
    summaries, not the mention rows: the mentions by method (`actor_methods`, a row per actor and method) rank
    them, and only the listed ones are looked up in `actor_month` (articles) and `actor_first_mentions`."""
    return frame(
        target,
        """WITH mine AS (SELECT actor_id, name, kind, role FROM actors
                        WHERE origin = 'discovered' AND contains(lower(name), lower(?))),
           methods AS (
               SELECT actor_id, sum(mentions)::BIGINT AS mentions,
                      string_agg("method", ', ' ORDER BY "method") FILTER (WHERE mentions <> 0) AS found_by
               FROM actor_methods WHERE actor_id IN (SELECT actor_id FROM mine) GROUP BY ALL),
           top AS (
               SELECT a.*, coalesce(m.mentions, 0) AS mentions, m.found_by
               FROM mine a LEFT JOIN methods m USING (actor_id)
               ORDER BY mentions DESC, a.name, a.actor_id LIMIT ?),
           arts AS (
               SELECT actor_id, sum(articles)::BIGINT AS articles
               FROM actor_month WHERE actor_id IN (SELECT actor_id FROM top) GROUP BY ALL)
           SELECT t.actor_id, t.name, t.kind, t.role, t.mentions, coalesce(r.articles, 0) AS articles, t.found_by,
                  f.example
           FROM top t LEFT JOIN arts r USING (actor_id) LEFT JOIN actor_first_mentions f USING (actor_id)
           ORDER BY t.mentions DESC, t.name, t.actor_id""",
        [name, limit],
    )


def discovered_count(target: str | Path) -> int:
    """How many discovered actors there are."""
    df = frame(target, "SELECT count(*) AS n FROM actors WHERE origin = 'discovered'")
    return int(df["n"].iloc[0])
