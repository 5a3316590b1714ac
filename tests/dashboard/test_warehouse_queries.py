"""warehouse.queries: filters, month precision, duplicates, and summaries equal to the raw tables."""

from __future__ import annotations

import shutil
from datetime import date

import pandas as pd

from warehouse import queries as q
from warehouse.db import connect
from warehouse.summaries import refresh_summaries


def test_duplicates_counted_once_unless_asked(data_warehouse):
    plain = q.top_actors(data_warehouse, q.Filters(), 10).set_index("actor_id")
    with_copies = q.top_actors(data_warehouse, q.Filters(duplicates=True), 10).set_index("actor_id")
    assert with_copies.loc["country-ru", "mentions"] > plain.loc["country-ru", "mentions"]


def test_month_only_articles_only_at_month_grain(data_warehouse):
    week = q.article_totals(data_warehouse, "week", q.Filters())
    month = q.article_totals(data_warehouse, "month", q.Filters())
    assert month["total"].sum() == week["total"].sum() + q.month_only(data_warehouse, q.Filters()) == 12


def test_month_only_article_inside_a_date_range(data_warehouse):
    f = q.Filters(start=date(2022, 1, 15), end=date(2022, 1, 31))
    assert q.month_only(data_warehouse, f) >= 1  # dated "January 2022", overlaps the range


def test_filters_narrow(data_warehouse):
    people = q.actor_series(data_warehouse, "month", q.Filters(kinds=("person",)), 5)
    assert set(people["actor_id"]) <= {"olaf-scholz", "disc-sergej-lawrow"}
    themed = q.theme_series(data_warehouse, "month", q.Filters(themes=("military",)))
    assert set(themed["theme_id"]) == {"military"}
    role = q.top_actors(data_warehouse, q.Filters(roles=("Bundeskanzler",)), 5)
    assert list(role["actor_id"]) == ["olaf-scholz"]


def test_drill_and_detail(data_warehouse):
    rows = q.drill_sentences(data_warehouse, q.Drill(actor_id="nato", other_id="country-ru"), q.Filters(), 50)
    assert not rows.empty and all(m["actor_id"] in ("nato", "country-ru") for ms in rows["marks"] for m in ms)
    detail = q.article_detail(data_warehouse, rows["article_id"].iloc[0])
    assert detail and not detail["mentions"].empty
    assert q.article_detail(data_warehouse, "missing") is None


def test_summaries_match_raw_queries(tmp_path, data_warehouse):
    copy = tmp_path / "w.duckdb"
    shutil.copyfile(data_warehouse, copy)
    assert not q.summaries_fresh(copy)
    cases = [
        lambda t: q.top_actors(t, q.Filters(), 10),
        lambda t: q.actor_series(t, "week", q.Filters(kinds=("country",)), 3),
        lambda t: q.actor_series(t, "month", q.Filters(duplicates=True), 3),
        lambda t: q.article_totals(t, "day", q.Filters(start=date(2022, 1, 10))),
        lambda t: q.filter_options(t)["actors"],
        lambda t: q.cooccurrence(t, q.Filters(), 4),
    ]
    raw = [c(copy) for c in cases] + [q.month_only(copy, q.Filters())]
    with connect(copy) as con:
        refresh_summaries(con)
    assert q.summaries_fresh(copy) and q.fresh(copy)
    summed = [c(copy) for c in cases] + [q.month_only(copy, q.Filters())]
    for a, b in zip(raw[:-1], summed[:-1], strict=True):
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False)
    assert raw[-1] == summed[-1]


def test_incremental_summary_refresh(tmp_path, data_warehouse):
    copy = tmp_path / "w.duckdb"
    shutil.copyfile(data_warehouse, copy)
    with connect(copy) as con:
        refresh_summaries(con)
        con.execute(
            "DELETE FROM mentions WHERE actor_id = 'nato' AND article_id IN "
            "(SELECT article_id FROM articles ORDER BY article_id LIMIT 1)"
        )
        first = con.execute("SELECT article_id FROM articles ORDER BY article_id LIMIT 1").fetchone()[0]
        refresh_summaries(con, [first])
    assert q.summaries_fresh(copy)
