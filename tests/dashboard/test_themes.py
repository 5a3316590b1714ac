"""Themes page in AppTest: areas, heatmaps, modes, empty warehouse."""

from __future__ import annotations

from dash_helpers import chart_data, open_app, texts


def test_themes_with_data(with_data):
    at = open_app("themes")
    charts = at.get("vega_lite_chart")
    assert len(charts) == 3  # themes over time, actor × theme, co-occurrence
    assert "Sanktionen" in chart_data(charts[0])
    assert "Olaf Scholz" in chart_data(charts[1]) and "Russland" in chart_data(charts[2])


def test_themes_stream_mode_from_url(with_data):
    at = open_app("themes", mode="stream", grain="month")
    assert at.radio(key="w_mode").value == "stream"
    assert '"center"' in at.get("vega_lite_chart")[0].proto.spec


def test_themes_empty(with_empty):
    at = open_app("themes")
    assert "No themes match" in texts(at)


def test_a_link_opens_the_drill_down_of_a_theme_and_month(with_data):
    at = open_app("themes", grain="month", pick="sanctions", at="2022-01-01")
    page = texts(at)
    assert "Drill-down: Sanktionen in January 2022" in page
    assert '<mark class="m"' in page and "article?id=" in page
    assert at.query_params["pick"] == "sanctions" and at.query_params["at"] == "2022-01-01"


def test_a_link_with_a_malformed_date_shows_the_chart_without_a_drill_down(with_data):
    at = open_app("themes", grain="month", pick="sanctions", at="Januar")
    assert not at.exception
    assert "Drill-down:" not in texts(at) and "Click inside a theme's band" in texts(at)
    assert "pick" not in at.query_params
