"""Cross tables of the top actors: actor × theme and actor × actor (co-occurrence).

The heatmap reads the monthly summary `actor_theme_month` (migration 005), the co-occurrence the
monthly summary `actor_pair_month` (migrations 009 and 018); both count whole months of the date range. A role
filter concerns single mentions, and a theme filter on the co-occurrence single articles, which only
the raw tables hold.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from warehouse.queries.filters import Filters, chosen_keys, mention_from, month_where
from warehouse.queries.read import frame
from warehouse.queries.series import top_actors


def _top_pairs(target: str | Path, f: Filters, top_n: int) -> tuple[str, list[Any]]:
    """CTE `pa`: distinct (article, actor) pairs of the chosen or top actors under the filters."""
    chosen = f.actors or tuple(top_actors(target, f, top_n)["actor_id"])
    if not chosen:
        return (
            "pa AS (SELECT NULL::VARCHAR AS article_id, NULL::VARCHAR AS actor_id, NULL::VARCHAR AS name "
            "WHERE false)",
            [],
        )
    base, params = mention_from(replace(f, actors=tuple(chosen)), None)
    return f"pa AS (SELECT DISTINCT m.article_id, m.actor_id, a.name {base})", params


def actor_theme_matrix(target: str | Path, f: Filters, top_n: int = 12) -> pd.DataFrame:
    """Articles per (actor, theme) for the top actors: actor_id, name, theme_id, label, articles."""
    if f.roles:
        return _raw_actor_theme_matrix(target, f, top_n)
    chosen = list(f.actors or top_actors(target, f, top_n)["actor_id"])
    mw, mp = month_where(f)
    theme_sql, tp = ("", [])
    if f.themes:
        theme_sql, tp = " AND list_contains(?, s.theme_id)", [list(f.themes)]
    return frame(
        target,
        f"""SELECT c.actor_id, a.name, c.theme_id, th.label, c.articles
        FROM (SELECT s.actor_id, s.theme_id, sum(s.articles)::BIGINT AS articles FROM actor_theme_month s
              WHERE {mw} AND {chosen_keys("s")}{theme_sql} GROUP BY ALL) c
        JOIN actors a USING (actor_id) JOIN themes th USING (theme_id) ORDER BY name, label""",
        [*mp, chosen, *tp],
    )


def _raw_actor_theme_matrix(target: str | Path, f: Filters, top_n: int) -> pd.DataFrame:
    cte, params = _top_pairs(target, f, top_n)
    theme_sql, tp = ("", [])
    if f.themes:
        theme_sql, tp = "WHERE list_contains(?, t.theme_id)", [list(f.themes)]
    return frame(
        target,
        f"""WITH {cte}
        SELECT pa.actor_id, pa.name, t.theme_id, th.label, count(*) AS articles
        FROM pa JOIN article_themes t USING (article_id) JOIN themes th USING (theme_id) {theme_sql}
        GROUP BY ALL ORDER BY name, label""",
        params + tp,
    )


def cooccurrence(target: str | Path, f: Filters, top_n: int = 12) -> pd.DataFrame:
    """Articles in which two of the top actors both appear: actor_a, name_a, actor_b, name_b, articles.

    Each pair twice (a with b, b with a), as the heatmap draws it.
    """
    if f.roles or f.themes:
        return _raw_cooccurrence(target, f, top_n)
    chosen = list(f.actors or top_actors(target, f, top_n)["actor_id"])
    mw, mp = month_where(f)
    kinds, kp = _actor_where(f, "a")
    kinds_b, kbp = _actor_where(f, "b")
    among = _both_among(target, chosen)
    return frame(
        target,
        f"""WITH s AS (SELECT s.key_lo, s.key_hi, sum(s.articles)::BIGINT AS articles FROM actor_pair_month s
                       WHERE {mw} AND {among} GROUP BY ALL),
                 n AS (SELECT ka.actor_id AS actor_a, kb.actor_id AS actor_b, s.articles FROM s
                       JOIN actor_keys ka ON ka.actor_key = s.key_lo JOIN actor_keys kb ON kb.actor_key = s.key_hi),
                 p AS (SELECT actor_a, actor_b, articles FROM n UNION ALL SELECT actor_b, actor_a, articles FROM n)
        SELECT p.actor_a, a.name AS name_a, p.actor_b, b.name AS name_b, p.articles
        FROM p JOIN actors a ON a.actor_id = p.actor_a JOIN actors b ON b.actor_id = p.actor_b
        WHERE p.articles > 0 AND {kinds} AND {kinds_b} ORDER BY articles DESC, actor_a, actor_b""",
        [*mp, *kp, *kbp],
    )


def _both_among(target: str | Path, actor_ids: list[str]) -> str:
    """The condition that both actors of a row of `actor_pair_month` are among these (by their numbers,
    `actor_keys`, migration 018), as SQL with the integers written into it: a range of the smallest to the
    largest number, which DuckDB checks against each block's minimum and maximum and so skips the blocks
    without them (for a list of numbers, or a parameter, it reads every block: the top 12's pairs at 100,000
    generated articles took 65 ms, with the range 7 ms, 2026-12-07), then the numbers themselves."""
    keys = sorted(int(k) for k in frame(target, "SELECT actor_key FROM actor_keys WHERE list_contains(?, actor_id)",
                                        [actor_ids])["actor_key"])
    if not keys:
        return "false"
    listed = ", ".join(map(str, keys))
    return (f"s.key_lo BETWEEN {keys[0]} AND {keys[-1]} AND s.key_hi BETWEEN {keys[0]} AND {keys[-1]} "
            f"AND s.key_lo IN ({listed}) AND s.key_hi IN ({listed})")


def _actor_where(f: Filters, table: str) -> tuple[str, list[Any]]:
    """Kinds and countries over actors `table`."""
    parts = [f"list_contains(?, {table}.{column})" for column, values in (("kind", f.kinds), ("country", f.countries))
             if values]
    return " AND ".join(["true", *parts]), [list(v) for v in (f.kinds, f.countries) if v]


def _raw_cooccurrence(target: str | Path, f: Filters, top_n: int) -> pd.DataFrame:
    cte, params = _top_pairs(target, f, top_n)
    return frame(
        target,
        f"""WITH {cte}
        SELECT x.actor_id AS actor_a, x.name AS name_a, y.actor_id AS actor_b, y.name AS name_b,
               count(*) AS articles
        FROM pa x JOIN pa y ON x.article_id = y.article_id AND x.actor_id <> y.actor_id
        GROUP BY ALL ORDER BY articles DESC, actor_a, actor_b""",
        params,
    )
