"""Read queries behind the dashboard: short read-only connections, parameterised SQL, DataFrames out.

Every function opens the warehouse, runs its statements and closes it again, so a writer is
never blocked for longer than one query. Syndicated copies (duplicate_of set) are left out
unless `Filters.duplicates` is true. At day and week granularity articles known only to their
month are left out (they are counted at month granularity, never drawn as if on the 1st).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from warehouse.db import change_stamp, connect

READ_TIMEOUT = 15.0
GRAINS = {
    "day": "ar.published_date",
    "week": "date_trunc('week', ar.published_date)::DATE",
    "month": "date_trunc('month', ar.published_date)::DATE",
}


@dataclass(frozen=True)
class Filters:
    """What the analyst narrowed the view to (all optional)."""

    start: date | None = None
    end: date | None = None
    kinds: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    duplicates: bool = False  # count syndicated copies too


def frames(target: str | Path, *statements: tuple[str, Sequence[Any]]) -> list[pd.DataFrame]:
    """Run several statements on one short read-only connection."""
    with connect(target, read_only=True, timeout=READ_TIMEOUT) as con:
        return [con.execute(sql, list(params)).df() for sql, params in statements]


def frame(target: str | Path, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    return frames(target, (sql, params))[0]


def period_end(start: date, grain: str) -> date:
    """First day after the bucket that starts on `start`."""
    if grain == "day":
        return start + timedelta(days=1)
    if grain == "week":
        return start + timedelta(days=7)
    return (start.replace(day=1) + timedelta(days=32)).replace(day=1)


def story_where(f: Filters, grain: str | None = None, themes: bool = True) -> tuple[str, list[Any]]:
    """WHERE clause over articles `ar`: duplicates, date range, month precision, themes."""
    parts: list[str] = ["true"]
    params: list[Any] = []
    if not f.duplicates:
        parts.append("ar.duplicate_of IS NULL")
    if f.start:
        parts.append(
            "(CASE WHEN ar.date_precision = 'month' THEN last_day(ar.published_date) "
            "ELSE ar.published_date END) >= ?"
        )
        params.append(f.start)
    if f.end:
        parts.append("ar.published_date <= ?")
        params.append(f.end)
    if grain in ("day", "week"):
        parts.append("ar.date_precision <> 'month'")
    if themes and f.themes:
        parts.append(
            "ar.article_id IN (SELECT article_id FROM article_themes WHERE list_contains(?, theme_id))"
        )
        params.append(list(f.themes))
    return " AND ".join(parts), params


def mention_where(f: Filters) -> tuple[str, list[Any]]:
    """WHERE clause over mentions `m` joined with actors `a`."""
    parts, params = ["true"], []
    for column, values in (
        ("a.kind", f.kinds),
        ("a.country", f.countries),
        ("m.role", f.roles),
        ("m.actor_id", f.actors),
    ):
        if values:
            parts.append(f"list_contains(?, {column})")
            params.append(list(values))
    return " AND ".join(parts), params


def _mention_base(f: Filters, grain: str | None) -> tuple[str, list[Any]]:
    """FROM/WHERE joining mentions, actors and the selected stories."""
    sw, sp = story_where(f, grain)
    mw, mp = mention_where(f)
    sql = (
        f"FROM mentions m JOIN actors a USING (actor_id) JOIN articles ar USING (article_id) "
        f"WHERE {sw} AND {mw}"
    )
    return sql, sp + mp


_FRESH: dict[tuple[str, tuple[int, ...]], bool] = {}


def _stat(target: str | Path) -> tuple[int, ...]:
    return change_stamp(target)


def fresh(target: str | Path) -> bool:
    """summaries_fresh, remembered until the warehouse file changes."""
    key = (str(target), _stat(target))
    if key not in _FRESH:
        _FRESH.clear()
        _FRESH[key] = summaries_fresh(target)
    return _FRESH[key]


def summaries_fresh(target: str | Path) -> bool:
    """The summary tables exist and account for every article and mention."""
    try:
        df = frame(
            target,
            """SELECT (SELECT count(*) FROM articles) = (SELECT coalesce(sum(articles), 0)
                                     FROM article_day)
                                 AND (SELECT count(*) FROM mentions) = (SELECT coalesce(sum(mentions), 0)
                                     FROM actor_day) AS fresh""",
        )
    except duckdb.CatalogException:
        return False
    return bool(df["fresh"].iloc[0])


def _summary_ok(target: str | Path, f: Filters) -> bool:
    """The summaries answer these filters (no role or theme filter) and are up to date."""
    return not f.roles and not f.themes and fresh(target)


def _day_where(f: Filters, grain: str | None) -> tuple[str, list[Any], str, list[Any]]:
    """Filters over the summaries: actor_day/article_day aliased `ar`, actors `a`."""
    sw, sp = story_where(f, grain, themes=False)
    mw, mp = mention_where(Filters(kinds=f.kinds, countries=f.countries, actors=f.actors))
    return (
        sw.replace("ar.duplicate_of IS NULL", "NOT ar.is_copy"),
        sp,
        mw.replace("m.actor_id", "ar.actor_id"),
        mp,
    )


def filter_options(target: str | Path) -> dict[str, Any]:
    """Values the filter widgets offer: kinds, countries, roles, themes, actors, date range."""
    counts = (
        "(SELECT actor_id, sum(mentions) AS n FROM actor_day GROUP BY ALL)"
        if fresh(target)
        else "(SELECT actor_id, count(*) AS n FROM mentions GROUP BY ALL)"
    )
    actors, themes, roles, span = frames(
        target,
        (
            f"""SELECT a.actor_id, a.name, a.kind, a.country, a.origin, coalesce(c.n, 0) AS mentions
            FROM actors a LEFT JOIN {counts} c USING (actor_id) ORDER BY mentions DESC, name""",
            [],
        ),
        ("SELECT theme_id, label FROM themes ORDER BY label", []),
        ("SELECT DISTINCT role FROM mentions WHERE role IS NOT NULL ORDER BY role", []),
        ("SELECT min(published_date) AS first, max(published_date) AS last FROM articles", []),
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
    if fresh(target):
        dw, dp, _, _ = _day_where(f, grain)
        return frame(
            target,
            f"SELECT {GRAINS[grain]} AS bucket, sum(articles)::BIGINT AS total "
            f"FROM article_day ar WHERE {dw} GROUP BY ALL ORDER BY bucket",
            dp,
        )
    sw, sp = story_where(f, grain, themes=False)
    return frame(
        target,
        f"SELECT {GRAINS[grain]} AS bucket, count(*) AS total FROM articles ar WHERE {sw} "
        "GROUP BY ALL ORDER BY bucket",
        sp,
    )


def month_only(target: str | Path, f: Filters) -> int:
    """Stories in range known only to their month (left out at day/week granularity)."""
    if not f.themes and fresh(target):
        dw, dp, _, _ = _day_where(f, None)
        df = frame(
            target,
            f"SELECT coalesce(sum(articles), 0) AS n FROM article_day ar WHERE {dw} "
            "AND ar.date_precision = 'month'",
            dp,
        )
        return int(df["n"].iloc[0])
    sw, sp = story_where(f)
    df = frame(
        target, f"SELECT count(*) AS n FROM articles ar WHERE {sw} AND ar.date_precision = 'month'", sp
    )
    return int(df["n"].iloc[0])


def top_actors(target: str | Path, f: Filters, n: int = 10) -> pd.DataFrame:
    """The most mentioned actors under the filters: actor_id, name, kind, mentions, articles."""
    if _summary_ok(target, f):
        dw, dp, mw, mp = _day_where(f, None)
        return frame(
            target,
            f"""SELECT ar.actor_id, a.name, a.kind, sum(ar.mentions)::BIGINT AS mentions,
        sum(ar.articles)::BIGINT AS articles FROM actor_day ar JOIN actors a USING (actor_id)
                                 WHERE {dw} AND {mw} GROUP BY ALL ORDER BY mentions DESC, a.name LIMIT ?""",
            [*dp, *mp, n],
        )
    base, params = _mention_base(f, None)
    return frame(
        target,
        f"""SELECT m.actor_id, a.name, a.kind, count(*) AS mentions,
                             count(DISTINCT m.article_id) AS articles {base}
                             GROUP BY ALL ORDER BY mentions DESC, a.name LIMIT ?""",
        [*params, n],
    )


def actor_series(target: str | Path, grain: str, f: Filters, top_n: int = 5) -> pd.DataFrame:
    """Per bucket and actor: mentions, articles, share of articles, mentions per 1,000 articles.

    The chosen actors (`f.actors`) or else the `top_n` most mentioned under the filters.
    """
    if not f.actors:
        chosen = tuple(top_actors(target, f, top_n)["actor_id"])
        if not chosen:
            return pd.DataFrame(
                columns=["bucket", "actor_id", "name", "mentions", "articles", "total", "share", "per_1000"]
            )
        f = Filters(**{**f.__dict__, "actors": chosen})
    if _summary_ok(target, f):
        return _actor_series_summary(target, grain, f)
    base, params = _mention_base(f, grain)
    sw, sp = story_where(f, grain, themes=False)
    sql = f"""WITH s AS (SELECT {GRAINS[grain]} AS bucket, m.actor_id, a.name, count(*) AS mentions,
                                count(DISTINCT m.article_id) AS articles {base} GROUP BY ALL),
                   t AS (SELECT {GRAINS[grain]} AS bucket, count(*) AS total FROM articles ar WHERE {sw}
                         GROUP BY ALL)
              SELECT s.*, t.total, s.articles / t.total AS share, 1000.0 * s.mentions / t.total AS per_1000
              FROM s JOIN t USING (bucket) ORDER BY bucket, name"""
    return frame(target, sql, params + sp)


def _actor_series_summary(target: str | Path, grain: str, f: Filters) -> pd.DataFrame:
    dw, dp, mw, mp = _day_where(f, grain)
    sql = f"""WITH s AS (SELECT {GRAINS[grain]} AS bucket, ar.actor_id, a.name,
                                sum(ar.mentions)::BIGINT AS mentions,
        sum(ar.articles)::BIGINT AS articles FROM actor_day ar JOIN actors a USING (actor_id)
                         WHERE {dw} AND {mw} GROUP BY ALL),
                   t AS (SELECT {GRAINS[grain]} AS bucket, sum(articles)::BIGINT AS total FROM article_day ar
                         WHERE {dw} GROUP BY ALL)
              SELECT s.*, t.total, s.articles / t.total AS share, 1000.0 * s.mentions / t.total AS per_1000
              FROM s JOIN t USING (bucket) ORDER BY bucket, name"""
    return frame(target, sql, dp + mp + dp)


def theme_series(target: str | Path, grain: str, f: Filters) -> pd.DataFrame:
    """Per bucket and theme: articles carrying the theme and their share of the bucket's stories."""
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
    sql = f"""WITH s AS (SELECT {GRAINS[grain]} AS bucket, t.theme_id, th.label, count(*) AS articles
        FROM article_themes t JOIN articles ar USING (article_id) JOIN themes th USING (theme_id)
                         WHERE {sw}{extra} GROUP BY ALL),
                   n AS (SELECT {GRAINS[grain]} AS bucket, count(*) AS total FROM articles ar WHERE {sw}
                         GROUP BY ALL)
              SELECT s.*, n.total, s.articles / n.total AS share FROM s JOIN n USING (bucket)
              ORDER BY bucket, label"""
    return frame(target, sql, sp + ep + sp)


def _top_pairs(target: str | Path, f: Filters, top_n: int) -> tuple[str, list[Any]]:
    """CTE `pa`: distinct (article, actor) pairs of the chosen or top actors under the filters."""
    chosen = f.actors or tuple(top_actors(target, f, top_n)["actor_id"])
    if not chosen:
        return (
            "pa AS (SELECT NULL::VARCHAR AS article_id, NULL::VARCHAR AS actor_id, NULL::VARCHAR AS name "
            "WHERE false)",
            [],
        )
    base, params = _mention_base(Filters(**{**f.__dict__, "actors": tuple(chosen)}), None)
    return f"pa AS (SELECT DISTINCT m.article_id, m.actor_id, a.name {base})", params


def actor_theme_matrix(target: str | Path, f: Filters, top_n: int = 12) -> pd.DataFrame:
    """Articles per (actor, theme) for the top actors: actor_id, name, theme_id, label, articles."""
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
    """Articles in which two of the top actors both appear: actor_a, name_a, actor_b, name_b, articles."""
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


@dataclass(frozen=True)
class Drill:
    """What a click selected: an actor and/or theme (or a pair of actors) in a period."""

    actor_id: str | None = None
    other_id: str | None = None  # second actor of a co-occurrence cell
    theme_id: str | None = None
    start: date | None = None
    grain: str = "month"


def drill_sentences(target: str | Path, d: Drill, f: Filters, limit: int = 100) -> pd.DataFrame:
    """Sentences behind a clicked point, with `marks`: mention spans relative to the sentence."""
    g = Filters(
        **{
            **f.__dict__,
            "actors": (),
            "start": d.start or f.start,
            "end": period_end(d.start, d.grain) - timedelta(days=1) if d.start else f.end,
        }
    )
    sw, sp = story_where(g, d.grain if d.start else None)
    mw, mp = mention_where(Filters(kinds=f.kinds, countries=f.countries, roles=f.roles))
    conds: list[str] = []
    cp: list[Any] = []
    wanted = [a for a in (d.actor_id, d.other_id) if a]
    if wanted:
        conds.append("list_contains(?, m.actor_id)")
        cp.append(wanted)
    if d.other_id:
        conds.append(
            "(SELECT count(DISTINCT actor_id) FROM mentions x WHERE x.article_id = ar.article_id "
            "AND list_contains(?, x.actor_id)) = 2"
        )
        cp.append(wanted)
    if d.theme_id:
        conds.append(
            "EXISTS (SELECT 1 FROM sentence_themes st WHERE st.article_id = ar.article_id "
            "AND st.sentence = s.sentence AND st.theme_id = ?)"
        )
        cp.append(d.theme_id)
    where = " AND ".join([sw, mw, *conds])
    return frame(
        target,
        f"""
        SELECT ar.article_id, ar.title, ar.published_date, ar.date_precision, ar.duplicate_of, s.sentence,
               substr(ar.body, s.start_char + 1, s.end_char - s.start_char) AS text,
               list({{'start': m.start_char - s.start_char, 'end': m.end_char - s.start_char,
                     'actor_id': m.actor_id, 'name': a.name}} ORDER BY m.start_char) AS marks
        FROM mentions m JOIN actors a USING (actor_id) JOIN articles ar USING (article_id)
        JOIN sentences s ON s.article_id = m.article_id AND s.sentence = m.sentence
        WHERE {where}
        GROUP BY ALL ORDER BY ar.published_date DESC, ar.article_id, s.sentence LIMIT ?""",
        [*sp, *mp, *cp, limit],
    )


def articles_in_period(target: str | Path, d: Drill, f: Filters, limit: int = 100) -> pd.DataFrame:
    """Stories of one bucket (overview drill-down): id, date, precision, title, mentions."""
    g = Filters(
        **{
            **f.__dict__,
            "start": d.start,
            "end": period_end(d.start, d.grain) - timedelta(days=1) if d.start else None,
        }
    )
    sw, sp = story_where(g, d.grain)
    return frame(
        target,
        f"""SELECT ar.article_id, ar.published_date, ar.date_precision, ar.title, ar.source,
        (SELECT count(*) FROM mentions m WHERE m.article_id = ar.article_id) AS mentions
                             FROM articles ar WHERE {sw} ORDER BY ar.published_date DESC, ar.title LIMIT ?""",
        [*sp, limit],
    )


def article_detail(target: str | Path, article_id: str) -> dict[str, Any] | None:
    """One article with its mentions, sentences, themes, quotes and syndicated copies."""
    one = [article_id]
    art, mentions, sentences, sthemes, themes, quotes, copies = frames(
        target,
        ("SELECT * EXCLUDE (run_id) FROM articles WHERE article_id = ?", one),
        (
            """SELECT m.*, a.name, a.kind FROM mentions m JOIN actors a USING (actor_id)
            WHERE article_id = ? ORDER BY start_char""",
            one,
        ),
        ("SELECT sentence, start_char, end_char FROM sentences WHERE article_id = ? ORDER BY sentence", one),
        (
            """SELECT st.sentence, st.theme_id, th.label, st.score, st.evidence FROM sentence_themes st
            LEFT JOIN themes th USING (theme_id) WHERE article_id = ? ORDER BY sentence""",
            one,
        ),
        (
            """SELECT t.theme_id, th.label, t.score, t.evidence FROM article_themes t
            LEFT JOIN themes th USING (theme_id) WHERE article_id = ? ORDER BY score DESC, theme_id""",
            one,
        ),
        (
            """SELECT q.*, a.name FROM quotes q LEFT JOIN actors a USING (actor_id)
            WHERE article_id = ? ORDER BY start_char""",
            one,
        ),
        (
            """SELECT article_id, title, published_date, 'copy' AS relation
            FROM articles WHERE duplicate_of = ?
            UNION ALL SELECT o.other_id, ar.title, ar.published_date, 'overlap ' || round(o.similarity, 2)
            FROM "overlaps" o JOIN articles ar ON ar.article_id = o.other_id WHERE o.article_id = ?""",
            [article_id, article_id],
        ),
    )
    if art.empty:
        return None
    return {
        "article": art.iloc[0].to_dict(),
        "mentions": mentions,
        "sentences": sentences,
        "sentence_themes": sthemes,
        "themes": themes,
        "quotes": quotes,
        "related": copies,
    }


def recent_articles(target: str | Path, limit: int = 20) -> pd.DataFrame:
    return frame(
        target,
        """SELECT article_id, published_date, date_precision, title, source, duplicate_of,
                                   ingested_at FROM articles ORDER BY ingested_at DESC, published_date DESC
                            LIMIT ?""",
        [limit],
    )


def overview(target: str | Path) -> dict[str, Any]:
    """Counts, newest article, last run, file outcomes and rejected files, in one connection."""
    counts, runs, rejected = frames(
        target,
        (
            """SELECT (SELECT count(*) FROM articles) AS articles,
                   (SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL) AS duplicates,
                   (SELECT count(*) FROM actors) AS actors, (SELECT count(*) FROM mentions) AS mentions,
                   (SELECT count(*) FROM themes) AS themes, (SELECT count(*) FROM quotes) AS quotes,
                   (SELECT max(published_date) FROM articles) AS newest,
                   (SELECT count(*) FROM ingest_log WHERE status = 'rejected') AS rejected""",
            [],
        ),
        ("SELECT * FROM ingest_runs ORDER BY started_at DESC LIMIT 1", []),
        (
            """SELECT file, line, reason, "at", destination FROM ingest_log WHERE status = 'rejected'
            ORDER BY "at" DESC LIMIT 20""",
            [],
        ),
    )
    info = counts.iloc[0].to_dict()
    info["last_run"] = runs.iloc[0].to_dict() if not runs.empty else None
    info["rejected_files"] = rejected
    return info


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
