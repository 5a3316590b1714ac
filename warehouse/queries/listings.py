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
    """Discovered actors with their mention and article counts, most mentioned first."""
    return frame(
        target,
        """SELECT a.actor_id, a.name, a.kind, a.role, count(m.actor_id) AS mentions,
                                   count(DISTINCT m.article_id) AS articles,
                                   any_value(m.surface) AS example
                            FROM actors a LEFT JOIN mentions m USING (actor_id) WHERE a.origin = 'discovered'
                            GROUP BY ALL ORDER BY mentions DESC, name""",
    )
