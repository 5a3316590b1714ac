"""warehouse.queries: filters, month precision, duplicates, and summary-backed answers equal to the raw tables."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from helpers import ROOT, SEEDS, warm_cache
from warehouse.db import connect
from warehouse.queries import drill, series
from warehouse.queries.filters import Drill, Filters
from warehouse.summaries import refresh_summaries


def test_duplicates_counted_once_unless_asked(data_warehouse):
    plain = series.top_actors(data_warehouse, Filters(), 10).set_index("actor_id")
    with_copies = series.top_actors(data_warehouse, Filters(duplicates=True), 10).set_index("actor_id")
    assert with_copies.loc["country-ru", "mentions"] > plain.loc["country-ru", "mentions"]


def test_month_only_articles_only_at_month_grain(data_warehouse):
    week = series.article_totals(data_warehouse, "week", Filters())
    month = series.article_totals(data_warehouse, "month", Filters())
    assert month["total"].sum() == week["total"].sum() + series.month_only(data_warehouse, Filters()) == 12


def test_month_only_article_inside_a_date_range(data_warehouse):
    f = Filters(start=date(2022, 1, 15), end=date(2022, 1, 31))
    assert series.month_only(data_warehouse, f) == 1  # dated "January 2022", overlaps the range


def test_filters_narrow(data_warehouse):
    people = series.actor_series(data_warehouse, "month", Filters(kinds=("person",)), 5)
    assert set(people["actor_id"]) == {"olaf-scholz", "disc-sergej-lawrow"}
    themed = series.theme_series(data_warehouse, "month", Filters(themes=("military",)))
    assert set(themed["theme_id"]) == {"military"}
    role = series.top_actors(data_warehouse, Filters(roles=("Bundeskanzler",)), 5)
    assert list(role["actor_id"]) == ["olaf-scholz"]


def test_drill_and_detail(data_warehouse):
    rows = drill.drill_sentences(data_warehouse, Drill(actor_id="nato", other_id="country-ru"), Filters(), 50)
    # 8 of the 12 stories name both; in each, Russland is in the first sentence and NATO in the second
    assert len(rows) == 16 and rows["article_id"].nunique() == 8
    assert all(m["actor_id"] in ("nato", "country-ru") for ms in rows["marks"] for m in ms)
    detail = drill.article_detail(data_warehouse, rows["article_id"].iloc[0])
    assert detail and not detail["mentions"].empty
    assert drill.article_detail(data_warehouse, "missing") is None


# the sentences behind a point, from the raw tables alone (the drill reads actor_mentions, migration 022)
RAW_DRILL = """
    WITH hit AS (
        SELECT m.article_id, m.sentence, m.actor_id, m.start_char, m.end_char FROM mentions m
        JOIN actors a USING (actor_id) JOIN articles ar USING (article_id)
        WHERE ($dups OR ar.duplicate_of IS NULL)
          AND ($start IS NULL OR (CASE WHEN ar.date_precision = 'month' THEN last_day(ar.published_date)
                                  ELSE ar.published_date END) >= $start)
          AND ($end IS NULL OR ar.published_date <= $end) AND (NOT $exact OR ar.date_precision <> 'month')
          AND ($themes IS NULL OR ar.article_id IN (SELECT article_id FROM article_themes
                                                   WHERE list_contains($themes, theme_id)))
          AND ($kinds IS NULL OR list_contains($kinds, a.kind)) AND ($roles IS NULL OR list_contains($roles, m.role))
          AND ($wanted IS NULL OR list_contains($wanted, m.actor_id))
          AND ($other IS NULL OR (SELECT count(DISTINCT actor_id) FROM mentions x WHERE x.article_id = ar.article_id
                                 AND list_contains($wanted, x.actor_id)) = 2)
          AND ($theme IS NULL OR EXISTS (SELECT 1 FROM sentence_themes st WHERE st.article_id = m.article_id
                                         AND st.sentence = m.sentence AND st.theme_id = $theme)))
    SELECT article_id, sentence, list(actor_id ORDER BY start_char, end_char, actor_id) FROM hit GROUP BY ALL"""

DRILLS = [
    (Drill(actor_id="olaf-scholz"), Filters()),
    (Drill(actor_id="country-ru", start=date(2022, 1, 1), grain="month"), Filters()),
    (Drill(actor_id="country-ru", start=date(2022, 1, 1), grain="month"), Filters(duplicates=True)),
    (Drill(actor_id="country-ru", start=date(2022, 1, 17), grain="week"), Filters()),
    (Drill(actor_id="country-ru", start=date(2022, 1, 3), grain="day"), Filters()),
    (Drill(actor_id="nato", other_id="country-ru"), Filters()),
    (Drill(actor_id="country-ua", theme_id="military"), Filters()),
    (Drill(theme_id="military", start=date(2022, 1, 1), grain="month"), Filters()),
    (Drill(start=date(2022, 1, 1), grain="month"), Filters(kinds=("person",))),
    (Drill(), Filters(roles=("Bundeskanzler",))),
    (Drill(actor_id="country-ru"), Filters(themes=("military",))),
]


@pytest.mark.parametrize(("d", "f"), DRILLS, ids=[f"{d}-{f}" for d, f in DRILLS])
def test_drilled_sentences_are_those_of_the_raw_mentions(data_warehouse, d: Drill, f: Filters):
    from datetime import timedelta

    from warehouse.queries.filters import period_end

    got = drill.drill_sentences(data_warehouse, d, f, 1000)
    start = d.start or f.start
    end = period_end(d.start, d.grain) - timedelta(days=1) if d.start else f.end
    wanted = [a for a in (d.actor_id, d.other_id) if a] or None
    with connect(data_warehouse, read_only=True) as con:
        raw = con.execute(RAW_DRILL, {
            "dups": f.duplicates, "start": start, "end": end, "exact": bool(d.start) and d.grain != "month",
            "themes": list(f.themes) or None, "kinds": list(f.kinds) or None, "roles": list(f.roles) or None,
            "wanted": wanted, "other": d.other_id, "theme": d.theme_id}).fetchall()
    assert raw, "a drill that finds nothing tests nothing"
    assert sorted((r.article_id, r.sentence, [m["actor_id"] for m in r.marks]) for r in got.itertuples()) == sorted(
        (a, s, list(ms)) for a, s, ms in raw)
    assert list(got["published_date"]) == sorted(got["published_date"], reverse=True)


# --- the summary-backed questions against the same questions answered from the raw tables -------------

GRAIN_SQL = {
    "day": "ar.published_date",
    "week": "date_trunc('week', ar.published_date)::DATE",
    "month": "date_trunc('month', ar.published_date)::DATE",
}


def raw_where(f: Filters, grain: str | None, mentions: bool) -> tuple[str, list[Any]]:
    """The counting rules, written out over articles `ar` (and mentions `m`, actors `a`)."""
    parts, params = ["true"], []
    if not f.duplicates:
        parts.append("ar.duplicate_of IS NULL")
    if f.start:
        parts.append("(CASE WHEN ar.date_precision = 'month' THEN last_day(ar.published_date) "
                     "ELSE ar.published_date END) >= ?")
        params.append(f.start)
    if f.end:
        parts.append("ar.published_date <= ?")
        params.append(f.end)
    if grain in ("day", "week"):
        parts.append("ar.date_precision <> 'month'")
    if mentions:
        for column, values in (("a.kind", f.kinds), ("a.country", f.countries), ("m.actor_id", f.actors)):
            if values:
                parts.append(f"list_contains(?, {column})")
                params.append(list(values))
    return " AND ".join(parts), params


def raw(target: Path, sql: str, params: list[Any]) -> pd.DataFrame:
    with connect(target, read_only=True) as con:
        return con.execute(sql, params).df()


def raw_totals(target: Path, grain: str, f: Filters) -> pd.DataFrame:
    w, p = raw_where(f, grain, mentions=False)
    return raw(target, f"SELECT {GRAIN_SQL[grain]} AS bucket, count(*) AS total FROM articles ar WHERE {w} "
                       "GROUP BY ALL ORDER BY bucket", p)


MENTIONS = "FROM mentions m JOIN actors a USING (actor_id) JOIN articles ar USING (article_id)"


def raw_top(target: Path, f: Filters, n: int) -> pd.DataFrame:
    w, p = raw_where(f, None, mentions=True)
    return raw(target, f"""SELECT m.actor_id, a.name, a.kind, count(*) AS mentions,
                                  count(DISTINCT m.article_id) AS articles {MENTIONS} WHERE {w}
                           GROUP BY ALL ORDER BY mentions DESC, a.name LIMIT ?""", [*p, n])


def raw_series(target: Path, grain: str, f: Filters, top_n: int) -> pd.DataFrame:
    chosen = f.actors or tuple(raw_top(target, f, top_n)["actor_id"])
    g = Filters(**{**f.__dict__, "actors": chosen})
    w, p = raw_where(g, grain, mentions=True)
    tw, tp = raw_where(g, grain, mentions=False)
    return raw(target, f"""
        WITH s AS (SELECT {GRAIN_SQL[grain]} AS bucket, m.actor_id, a.name, count(*) AS mentions,
                          count(DISTINCT m.article_id) AS articles {MENTIONS} WHERE {w} GROUP BY ALL),
             t AS (SELECT {GRAIN_SQL[grain]} AS bucket, count(*) AS total FROM articles ar WHERE {tw} GROUP BY ALL)
        SELECT s.*, t.total, s.articles / t.total AS share, 1000.0 * s.mentions / t.total AS per_1000
        FROM s JOIN t USING (bucket) ORDER BY bucket, name""", p + tp)


def raw_actor_options(target: Path) -> pd.DataFrame:
    return raw(target, """SELECT a.actor_id, a.name, a.kind, a.country, a.origin, coalesce(c.n, 0) AS mentions
                          FROM actors a LEFT JOIN (SELECT actor_id, count(*) AS n FROM mentions GROUP BY ALL) c
                          USING (actor_id) ORDER BY mentions DESC, name""", [])


FILTERS = [
    Filters(),
    Filters(duplicates=True),
    Filters(start=date(2022, 1, 15), end=date(2022, 2, 20)),
    Filters(start=date(2022, 1, 10), duplicates=True),
    Filters(start=date(2022, 1, 1), end=date(2022, 2, 28)),  # whole months: actor_month answers
    Filters(kinds=("country",)),
    Filters(countries=("RU", "UA")),
    Filters(actors=("nato", "olaf-scholz")),
]


@pytest.fixture(scope="module")
def seeds_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five seed articles through `lagebild ingest`: the real load step keeps the summaries."""
    data = tmp_path_factory.mktemp("seeds") / "data"
    env = {**os.environ, "LAGEBILD_DATA_DIR": str(data), "PREFECT_HOME": str(data / "prefect")}
    env.pop("PREFECT_API_URL", None)
    warm_cache(data)
    proc = subprocess.run([sys.executable, "-m", "cli", "ingest", str(SEEDS), "--no-progress"], env=env,
                          text=True, capture_output=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0 and "5 loaded" in proc.stdout, proc.stderr[-3000:]
    return data / "lagebild.duckdb"


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False)


@pytest.mark.parametrize("which", ["seeds", "synthetic"])
def test_summary_backed_queries_equal_the_raw_tables(request, which):
    target = request.getfixturevalue("seeds_warehouse" if which == "seeds" else "data_warehouse")
    assert series.top_actors(target, Filters(), 3)["mentions"].min() > 0  # a warehouse with mentions
    same(series.filter_options(target)["actors"], raw_actor_options(target))
    for f in FILTERS:
        same(series.top_actors(target, f, 10), raw_top(target, f, 10))
        for grain in GRAIN_SQL:
            same(series.article_totals(target, grain, f), raw_totals(target, grain, f))
            same(series.actor_series(target, grain, f, 3), raw_series(target, grain, f, 3))


def test_incremental_summary_refresh_equals_a_full_one(tmp_path, data_warehouse):
    copy = tmp_path / "w.duckdb"
    shutil.copyfile(data_warehouse, copy)
    with connect(copy) as con:
        con.execute(
            "DELETE FROM mentions WHERE actor_id = 'nato' AND article_id IN "
            "(SELECT article_id FROM articles ORDER BY article_id LIMIT 1)"
        )
        first = con.execute("SELECT article_id FROM articles ORDER BY article_id LIMIT 1").fetchone()[0]
        refresh_summaries(con, [first])
        incremental = [con.execute(f"SELECT * FROM {t} ORDER BY ALL").df() for t in ("actor_day", "article_day")]
        refresh_summaries(con)
        full = [con.execute(f"SELECT * FROM {t} ORDER BY ALL").df() for t in ("actor_day", "article_day")]
    for a, b in zip(incremental, full, strict=True):
        same(a, b)
    same(series.top_actors(copy, Filters(), 10), raw_top(copy, Filters(), 10))
