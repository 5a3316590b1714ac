"""Every summary table computed from the raw tables, written independently of warehouse/summaries.py
(importable as `summary_raw`): the tests compare the stored summaries with these after every kind of write."""

from __future__ import annotations

from typing import Any

RAW = {
    "actor_day": """SELECT published_date, date_precision, duplicate_of IS NOT NULL, actor_id, count(*),
                           count(DISTINCT article_id) FROM mentions JOIN articles USING (article_id) GROUP BY ALL""",
    "article_day": """SELECT published_date, date_precision, duplicate_of IS NOT NULL, count(*),
                             sum((SELECT count(*) FROM mentions m WHERE m.article_id = a.article_id))
                      FROM articles a GROUP BY ALL""",
    "theme_day": """SELECT published_date, date_precision, duplicate_of IS NOT NULL, theme_id, count(*)
                    FROM article_themes JOIN articles USING (article_id) GROUP BY ALL""",
    "actor_theme_month": """SELECT date_trunc('month', published_date)::DATE, duplicate_of IS NOT NULL, m.actor_id,
                                   t.theme_id, count(*), count(DISTINCT m.article_id)
                            FROM mentions m JOIN article_themes t USING (article_id) JOIN articles USING (article_id)
                            GROUP BY ALL""",
    "role_count": "SELECT role, count(*) FROM mentions WHERE role IS NOT NULL GROUP BY ALL",
    # co-occurring pairs: articles in which both actors are mentioned, each unordered pair once
    "actor_pair_month": """SELECT date_trunc('month', ar.published_date)::DATE, ar.duplicate_of IS NOT NULL,
                                  x.actor_id, y.actor_id, count(DISTINCT ar.article_id)
                           FROM mentions x JOIN mentions y ON x.article_id = y.article_id AND x.actor_id < y.actor_id
                           JOIN articles ar ON ar.article_id = x.article_id GROUP BY ALL""",
    "actor_role_day": """SELECT published_date, date_precision, duplicate_of IS NOT NULL, actor_id, role, count(*),
                                count(DISTINCT article_id)
                         FROM mentions JOIN articles USING (article_id) WHERE role IS NOT NULL GROUP BY ALL""",
}


def mismatches(con: Any) -> dict[str, tuple[int, int]]:
    """Summary tables whose rows differ from the raw counts: table -> (stored rows, raw rows)."""
    out = {}
    for table, raw in RAW.items():  # table names are ours
        stored = sorted(con.execute(f"SELECT * FROM {table}").fetchall())
        counted = sorted(con.execute(raw).fetchall())
        if stored != counted:
            out[table] = (len(stored), len(counted))
    return out
