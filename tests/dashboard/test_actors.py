"""Actors page in AppTest: chart, URL-bound filters, drill-down, empty warehouse."""

from __future__ import annotations

import shutil
from datetime import date

from dash_helpers import chart_data, open_app, texts, use_warehouse

from warehouse.db import connect
from warehouse.summaries import refresh_summaries


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


def test_the_actor_picker_offers_the_most_mentioned_the_chosen_and_those_found_by_name(with_data, monkeypatch):
    from dashboard import state
    from warehouse.queries.series import filter_options

    actors = filter_options(with_data)["actors"]  # most mentioned first
    top, rare = actors.iloc[:2], actors.iloc[-1]
    monkeypatch.setattr(state, "ACTOR_OPTIONS", 2)
    at = open_app("actors")
    assert at.multiselect(key="w_actor").options == top["name"].tolist()

    at = open_app("actors", actor=rare["actor_id"])  # chosen in the URL: offered and kept, beyond the top two
    assert at.multiselect(key="w_actor").value == [rare["actor_id"]]
    assert at.multiselect(key="w_actor").options == [rare["name"], *top["name"]]

    at = open_app("actors")
    at.text_input(key="w_actor_find").set_value(rare["name"][1:].upper()).run()  # any part of the name, any case
    assert rare["name"] in at.multiselect(key="w_actor").options
    at.multiselect(key="w_actor").select(rare["actor_id"]).run()
    assert not at.exception
    assert rare["name"] in chart_data(at.get("vega_lite_chart")[0])


def test_a_url_period_beyond_the_data_is_moved_into_its_span(with_data):
    at = open_app("actors", **{"from": "2019-12-01", "to": "2031-03-31"})  # a link from another warehouse
    assert at.date_input(key="w_range").value == (date(2022, 1, 1), date(2022, 2, 16))  # first and last day
    assert at.get("vega_lite_chart")


def test_a_period_longer_than_two_years_opens_by_month(data_warehouse, tmp_path, monkeypatch):
    from dashboard.state import default_grain

    use_warehouse(monkeypatch, data_warehouse)
    assert open_app("actors").radio(key="w_grain").value == "week"  # the test data span two months
    longer = tmp_path / "lagebild.duckdb"  # the same with one article three years earlier
    shutil.copy(data_warehouse, longer)
    (tmp_path / "inbox").mkdir()
    with connect(longer) as con:
        con.execute("""INSERT INTO articles SELECT * REPLACE ('0ld0000000000000' AS article_id,
                       DATE '2019-01-07' AS published_date, 'old.txt' AS source_file) FROM articles LIMIT 1""")
        refresh_summaries(con)
    use_warehouse(monkeypatch, longer)
    for page in ("actors", "themes", "overview"):
        assert open_app(page).radio(key="w_grain").value == "month", page
    assert open_app("actors", grain="day").radio(key="w_grain").value == "day"  # the URL's grain wins
    assert default_grain(date(2020, 1, 1), date(2021, 12, 31)) == "week"
    assert default_grain(date(2020, 1, 1), date(2022, 1, 2)) == "month"
    assert default_grain(None, None) == "week"


def _more_filters(at) -> str:
    [popover] = [b for b in at.sidebar.get("popover")]
    return popover.proto.popover.label


def test_more_filters_sit_in_a_popover_whose_label_counts_and_caption_names_those_set(with_data):
    at = open_app("actors", kind="country", theme="diplomacy", dups="1")
    assert _more_filters(at) == "More filters (3 set)"
    captions = [c.value for c in at.sidebar.caption]
    assert "Kind: country · Theme: Diplomatie · syndicated copies counted" in captions
    assert at.multiselect(key="w_kind").value == ["country"]  # the widgets inside work as before
    at.multiselect(key="w_kind").set_value([]).run()
    at.multiselect(key="w_theme").set_value([]).run()
    at.toggle(key="w_dups").set_value(False).run()
    assert _more_filters(at) == "More filters"
    assert not [c for c in at.sidebar.caption if "Kind:" in c.value or "counted" in c.value]
    assert "kind" not in at.query_params and "dups" not in at.query_params


def test_a_link_with_a_malformed_date_shows_the_actor_without_a_period(with_data):
    at = open_app("actors", grain="month", pick="country-ru", at="Januar")
    assert not at.exception
    assert "Drill-down: Russland" in texts(at)
