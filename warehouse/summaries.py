"""Daily summary tables (migration 003) behind the dashboard's time series, kept by the writer.

The load step and reprocessing call `refresh_summaries` inside their transaction, after the inserts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

SUMMARY_DELETE = (
    "DELETE FROM actor_day WHERE published_date IN (SELECT unnest(?))",
    "DELETE FROM article_day WHERE published_date IN (SELECT unnest(?))",
)
SUMMARY_INSERT = (
    """INSERT INTO actor_day
       SELECT ar.published_date, ar.date_precision, ar.duplicate_of IS NOT NULL, m.actor_id,
              count(*), count(DISTINCT m.article_id)
       FROM mentions m JOIN articles ar USING (article_id) WHERE {where} GROUP BY ALL""",
    """INSERT INTO article_day
       SELECT ar.published_date, ar.date_precision, ar.duplicate_of IS NOT NULL, count(*),
              sum((SELECT count(*) FROM mentions m WHERE m.article_id = ar.article_id))
       FROM articles ar WHERE {where} GROUP BY ALL""",
)


def refresh_summaries(con: Any, article_ids: Sequence[str] | None = None) -> None:
    """Recompute actor_day/article_day (migration 003) for the days of `article_ids`, or all days.

    Call on the writer's connection inside the load (or reprocess) transaction, after the inserts.
    """
    if article_ids is None:
        con.execute("DELETE FROM actor_day")
        con.execute("DELETE FROM article_day")
        for sql in SUMMARY_INSERT:
            con.execute(sql.format(where="true"))
        return
    days = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT published_date FROM articles WHERE article_id IN (SELECT unnest(?))",
            [list(article_ids)],
        ).fetchall()
    ]
    if days:
        for sql in SUMMARY_DELETE:
            con.execute(sql, [days])
        for sql in SUMMARY_INSERT:
            con.execute(sql.format(where="ar.published_date IN (SELECT unnest(?))"), [days])
