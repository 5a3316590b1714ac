"""Counts over time and the most mentioned actors.

Each question is answered from one place. The daily summary tables (`actor_day`, `article_day`,
migration 003, kept by the load step and by reprocessing in their transactions) answer the stories per
bucket and, when no theme filter is set, the top actors and their series (`actor_role_day`, migration
009, when one role is chosen); over whole months without a role, `actor_month` (migration 016) answers
them; the actors' mentions in the filter options come from `actor_methods` (migration 013, a row per
actor and method: the same sums, from a table a few hundred times smaller); `theme_day` (migration 005)
the theme series and, with `article_day`, the month-only count. `actor_theme_month` answers one theme on
the actors, and one actor on the themes, by month over whole months. The rest concern single mentions
and articles, which only the raw tables hold: a theme filter on actors by day or week (or over part
of a month), several roles, an actor filter on themes by day or week (or with several actors, kinds,
countries or roles).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from warehouse.queries.filters import (
    Filters,
    actor_day_table,
    actor_day_where,
    bucket,
    chosen_keys,
    day_where,
    mention_from,
    mention_where,
    month_where,
    story_where,
    whole_months,
)
from warehouse.queries.read import frame, frames

SERIES_COLUMNS = ["bucket", "actor_id", "name", "mentions", "articles", "total", "share", "per_1000"]


def filter_options(target: str | Path) -> dict[str, Any]:
    """Values the filter widgets offer: kinds, countries, roles, themes, actors, date range."""
    actors, themes, roles, span = frames(
        target,
        (
            """SELECT a.actor_id, a.name, a.kind, a.country, a.origin, coalesce(c.n, 0) AS mentions
            FROM actors a LEFT JOIN (SELECT actor_id, sum(mentions) AS n FROM actor_methods GROUP BY ALL) c
            USING (actor_id) ORDER BY mentions DESC, name""",
            [],
        ),
        ("SELECT theme_id, label FROM themes ORDER BY label", []),
        ("SELECT role FROM role_count WHERE mentions > 0 ORDER BY role", []),
        ("SELECT min(published_date) AS first, max(published_date) AS last FROM article_day", []),
    )
    return {
        "actors": actors,
        "themes": themes,
        "roles": roles["role"].tolist(),
        "kinds": sorted(actors["kind"].dropna().unique().tolist()),
        "countries": sorted(actors["country"].dropna().unique().tolist()),
        "first": span["first"].iloc[0],
        "last": span["last"].iloc[0],
    }


def article_totals(target: str | Path, grain: str, f: Filters) -> pd.DataFrame:
    """Stories per bucket (the denominator for shares), ignoring actor and theme filters."""
    dw, dp = day_where(f, grain)
    return frame(
        target,
        f"SELECT {bucket(grain, 'd')} AS bucket, sum(d.articles)::BIGINT AS total "
        f"FROM article_day d WHERE {dw} GROUP BY ALL ORDER BY bucket",
        dp,
    )


def month_only(target: str | Path, f: Filters) -> int:
    """Stories in range (and of the chosen themes) known only to their month: left out at day/week."""
    if len(f.themes) > 1:  # an article may carry several of them: count it once, from the raw rows
        sw, sp = story_where(f)
        df = frame(
            target, f"SELECT count(*) AS n FROM articles ar WHERE {sw} AND ar.date_precision = 'month'", sp
        )
        return int(df["n"].iloc[0])
    dw, dp = day_where(f)
    table, tw, tp = ("theme_day", " AND d.theme_id = ?", [f.themes[0]]) if f.themes else ("article_day", "", [])
    df = frame(target, f"SELECT coalesce(sum(d.articles), 0)::BIGINT AS n FROM {table} d "
                       f"WHERE {dw} AND d.date_precision = 'month'{tw}", dp + tp)
    return int(df["n"].iloc[0])


_SUMS = "sum(d.mentions)::BIGINT AS mentions, sum(d.articles)::BIGINT AS articles"


def top_actors(target: str | Path, f: Filters, n: int = 10) -> pd.DataFrame:
    """The most mentioned actors under the filters: actor_id, name, kind, mentions, articles."""
    if _one_theme_by_month(f):
        mw, mp = month_where(f, "d")
        aw, ap = actor_day_where(f)
        sql = _named_top(f"""SELECT d.actor_key, {_SUMS}
                                FROM actor_theme_month d WHERE {mw} AND d.theme_id = ? AND {aw} GROUP BY ALL""")
        return frame(target, sql, [*mp, f.themes[0], *ap, n])
    if f.needs_mentions:
        return _mention_top_actors(target, f, n)
    aw, ap = actor_day_where(f)
    if _by_month(f):
        mw, mp = month_where(f, "d")
        sql = _named_top(f"""SELECT d.actor_key, {_SUMS}
                                FROM actor_month d WHERE {mw} AND {aw} GROUP BY ALL""")
        return frame(target, sql, [*mp, *ap, n])
    dw, dp = day_where(f)
    sql = _named_top(f"""SELECT d.actor_key, {_SUMS}
                            FROM {actor_day_table(f)} d WHERE {dw} AND {aw} GROUP BY ALL""")
    return frame(target, sql, [*dp, *ap, n])


def _named_top(counts: str) -> str:
    """The top rows (LIMIT: the last parameter) of `counts` (actor_key, mentions, articles, one row per actor),
    with the actors' ids, names and kinds joined after summing (by number: grouping the rows of one theme at
    100,000 generated articles took 118 ms by number against 220 ms by actor id, 2026-12-07)."""
    return f"""SELECT k.actor_id, a.name, a.kind, c.mentions, c.articles FROM ({counts}) c
               JOIN actor_keys k USING (actor_key) JOIN actors a ON a.actor_id = k.actor_id
               ORDER BY c.mentions DESC, a.name LIMIT ?"""


def _mention_top_actors(target: str | Path, f: Filters, n: int) -> pd.DataFrame:
    """top_actors from the mention rows (a theme filter, or several roles, are set)."""
    base, params = mention_from(f, None)
    sql = f"""SELECT m.actor_id, a.name, a.kind, count(*) AS mentions,
                     count(DISTINCT m.article_id) AS articles {base}
              GROUP BY ALL ORDER BY mentions DESC, a.name LIMIT ?"""
    return frame(target, sql, [*params, n])


def actor_series(target: str | Path, grain: str, f: Filters, top_n: int = 5) -> pd.DataFrame:
    """Per bucket and actor: mentions, articles, share of articles, mentions per 1,000 articles.

    The chosen actors (`f.actors`) or else the `top_n` most mentioned under the filters.
    """
    if not f.actors:
        chosen = tuple(top_actors(target, f, top_n)["actor_id"])
        if not chosen:
            return pd.DataFrame(columns=SERIES_COLUMNS)
        f = replace(f, actors=chosen)
    if grain == "month" and _one_theme_by_month(f):
        return _theme_month_series(target, f)
    if f.needs_mentions:
        return _mention_series(target, grain, f)
    if grain == "month" and _by_month(f):
        return _monthly_series(target, f)
    return _daily_series(target, grain, f)


def _by_month(f: Filters) -> bool:
    """Whole months and no role or theme filter: `actor_month` counts exactly what `actor_day` counts."""
    return not f.roles and not f.themes and whole_months(f)


def _one_theme_by_month(f: Filters) -> bool:
    """A theme filter on actors that `actor_theme_month` answers exactly: one theme, no role, whole months."""
    return len(f.themes) == 1 and not f.roles and whole_months(f)


def _theme_month_series(target: str | Path, f: Filters) -> pd.DataFrame:
    """actor_series by month of the actors in the articles of one theme, from `actor_theme_month`."""
    mw, mp = month_where(f, "d")
    aw, ap = actor_day_where(f)
    dw, dp = day_where(f, "month")
    counts = f"""SELECT d.month AS bucket, d.actor_id, sum(d.mentions)::BIGINT AS mentions,
                        sum(d.articles)::BIGINT AS articles FROM actor_theme_month d
                 WHERE {mw} AND d.theme_id = ? AND {aw} GROUP BY ALL"""
    return frame(target, _with_shares(counts, "month", dw, "s.mentions <> 0"), [*mp, f.themes[0], *ap, *dp])


def _daily_series(target: str | Path, grain: str, f: Filters) -> pd.DataFrame:
    """actor_series from the daily summaries (no theme filter)."""
    dw, dp = day_where(f, grain)
    aw, ap = actor_day_where(f)
    counts = f"""SELECT {bucket(grain, 'd')} AS bucket, d.actor_id, sum(d.mentions)::BIGINT AS mentions,
                        sum(d.articles)::BIGINT AS articles
                 FROM {actor_day_table(f)} d WHERE {dw} AND {aw} GROUP BY ALL"""
    return frame(target, _with_shares(counts, grain, dw), dp + ap + dp)


def _monthly_series(target: str | Path, f: Filters) -> pd.DataFrame:
    """actor_series by month over whole months, from `actor_month` (no role or theme filter)."""
    mw, mp = month_where(f, "d")
    aw, ap = actor_day_where(f)
    dw, dp = day_where(f, "month")
    counts = f"""SELECT d.month AS bucket, d.actor_id, sum(d.mentions)::BIGINT AS mentions,
                        sum(d.articles)::BIGINT AS articles
                 FROM actor_month d WHERE {mw} AND {aw} GROUP BY ALL"""
    return frame(target, _with_shares(counts, "month", dw), mp + ap + dp)


def _with_shares(counts: str, grain: str, dw: str, keep: str = "true") -> str:
    """SERIES_COLUMNS from a summary's `counts` (bucket, actor_id, mentions, articles) with the names joined,
    and each bucket's stories from `article_day` under `dw` (`day_where`; its parameters come last) as the
    denominator; rows where `keep` holds."""
    return f"""WITH s AS ({_named(counts)}),
                    t AS (SELECT {bucket(grain, 'd')} AS bucket, sum(d.articles)::BIGINT AS total
                          FROM article_day d WHERE {dw} GROUP BY ALL)
               SELECT s.*, t.total, s.articles / t.total AS share, 1000.0 * s.mentions / t.total AS per_1000
               FROM s JOIN t USING (bucket) WHERE {keep} ORDER BY bucket, name"""


def _named(counts: str) -> str:
    """bucket, actor_id, name, mentions, articles: `counts` (bucket, actor_id, mentions, articles) with the
    actors' names joined after summing."""
    return f"""SELECT c.bucket, c.actor_id, a.name, c.mentions, c.articles FROM ({counts}) c
               JOIN actors a USING (actor_id)"""


def _mention_series(target: str | Path, grain: str, f: Filters) -> pd.DataFrame:
    """actor_series from the mention rows (a theme filter is set)."""
    base, params = mention_from(f, grain)
    sw, sp = story_where(f, grain, themes=False)
    sql = f"""WITH s AS (SELECT {bucket(grain)} AS bucket, m.actor_id, a.name, count(*) AS mentions,
                                count(DISTINCT m.article_id) AS articles {base} GROUP BY ALL),
                   t AS (SELECT {bucket(grain)} AS bucket, count(*) AS total FROM articles ar WHERE {sw}
                         GROUP BY ALL)
              SELECT s.*, t.total, s.articles / t.total AS share, 1000.0 * s.mentions / t.total AS per_1000
              FROM s JOIN t USING (bucket) ORDER BY bucket, name"""
    return frame(target, sql, params + sp)


def theme_series(target: str | Path, grain: str, f: Filters) -> pd.DataFrame:
    """Per bucket and theme: articles carrying the theme and their share of the bucket's stories."""
    if grain == "month" and len(f.actors) == 1 and not (f.kinds or f.countries or f.roles) and whole_months(f):
        return _actor_month_theme_series(target, f)
    if f.actors or f.kinds or f.countries or f.roles:
        return _mention_theme_series(target, grain, f)
    dw, dp = day_where(f, grain)
    extra, ep = "", []
    if f.themes:
        extra, ep = " AND list_contains(?, d.theme_id)", [list(f.themes)]
    sql = f"""WITH s AS (SELECT {bucket(grain, 'd')} AS bucket, d.theme_id, th.label,
                                sum(d.articles)::BIGINT AS articles
                         FROM theme_day d JOIN themes th USING (theme_id) WHERE {dw}{extra} GROUP BY ALL),
                   n AS (SELECT {bucket(grain, 'd')} AS bucket, sum(d.articles)::BIGINT AS total
                         FROM article_day d WHERE {dw} GROUP BY ALL)
              SELECT s.*, n.total, s.articles / n.total AS share FROM s JOIN n USING (bucket)
              ORDER BY bucket, label"""
    return frame(target, sql, dp + ep + dp)


def _actor_month_theme_series(target: str | Path, f: Filters) -> pd.DataFrame:
    """theme_series by month of the articles that mention one actor, from `actor_theme_month`."""
    mw, mp = month_where(f, "d")
    dw, dp = day_where(f, "month")
    extra, ep = "", []
    if f.themes:
        extra, ep = " AND list_contains(?, d.theme_id)", [list(f.themes)]
    sql = f"""WITH s AS (SELECT d.month AS bucket, d.theme_id, th.label, sum(d.articles)::BIGINT AS articles
                         FROM actor_theme_month d JOIN themes th USING (theme_id)
                         WHERE {mw} AND {chosen_keys("d")}{extra} GROUP BY ALL),
                   n AS (SELECT {bucket("month", 'd')} AS bucket, sum(d.articles)::BIGINT AS total
                         FROM article_day d WHERE {dw} GROUP BY ALL)
              SELECT s.*, n.total, s.articles / n.total AS share FROM s JOIN n USING (bucket)
              WHERE s.articles <> 0 ORDER BY bucket, label"""
    return frame(target, sql, [*mp, list(f.actors), *ep, *dp])


def _mention_theme_series(target: str | Path, grain: str, f: Filters) -> pd.DataFrame:
    """theme_series from the raw rows (an actor, kind, country or role filter is set)."""
    sw, sp = story_where(f, grain, themes=False)
    extra, ep = "", []
    if f.themes:
        extra, ep = " AND list_contains(?, t.theme_id)", [list(f.themes)]
    if f.actors or f.kinds or f.countries or f.roles:
        mw, mp = mention_where(f)
        extra += (
            f" AND ar.article_id IN (SELECT m.article_id FROM mentions m JOIN actors a USING (actor_id)"
            f" WHERE {mw})"
        )
        ep += mp
    sql = f"""WITH s AS (SELECT {bucket(grain)} AS bucket, t.theme_id, th.label, count(*) AS articles
        FROM article_themes t JOIN articles ar USING (article_id) JOIN themes th USING (theme_id)
                         WHERE {sw}{extra} GROUP BY ALL),
                   n AS (SELECT {bucket(grain)} AS bucket, count(*) AS total FROM articles ar WHERE {sw}
                         GROUP BY ALL)
              SELECT s.*, n.total, s.articles / n.total AS share FROM s JOIN n USING (bucket)
              ORDER BY bucket, label"""
    return frame(target, sql, sp + ep + sp)
