"""Actors page in AppTest: chart, URL-bound filters, drill-down, empty warehouse."""

from __future__ import annotations

from dash_helpers import chart_data, open_app, texts


def test_actors_chart_and_filters_from_url(with_data):
    at = open_app("actors", measure="share", grain="month", kind="country")
    assert at.radio(key="w_measure").value == "share"
    assert at.multiselect(key="w_kind").value == ["country"]
    [chart] = at.get("vega_lite_chart")
    assert "Share of articles" in chart.proto.spec
    data = chart_data(chart)
    assert "Russland" in data and "Olaf Scholz" not in data  # kind filter applied


def test_actors_drill_down_from_url(with_data):
    at = open_app("actors", grain="week", pick="country-ru", at="2022-01-03")
    page = texts(at)
    assert "Drill-down: Russland" in page
    assert '<mark class="m"' in page and ">Russland</mark>" in page
    assert "article?id=" in page


def test_actors_week_grain_notes_month_only_articles(with_data):
    at = open_app("actors", grain="week")
    assert "dated only to their month" in texts(at)
    at.radio(key="w_grain").set_value("month").run()
    assert "dated only to their month" not in texts(at)


def test_actors_empty(with_empty):
    at = open_app("actors")
    assert "No mentions match" in texts(at)
