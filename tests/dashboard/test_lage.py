"""Lage page in AppTest: the dashboard's front page; stories, rising actors with sparklines, new actors, drill-downs."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from dash_helpers import add_burst, open_app, texts, use_warehouse

from warehouse.db import connect

BURST_DAY = date(2022, 2, 25)


@pytest.fixture(scope="module")
def burst_warehouse(data_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared synthetic warehouse plus six reports of one meeting on BURST_DAY."""
    folder = tmp_path_factory.mktemp("lage")
    (folder / "inbox").mkdir()
    path = Path(shutil.copy(data_warehouse, folder / "lagebild.duckdb"))
    add_burst(path, BURST_DAY)
    return path


def test_lage_is_the_front_page_with_the_weeks_stories(with_data):
    at = open_app()
    assert at.title[0].value == "Lage"
    assert "Top stories in the week of" in texts(at)
    assert at.dataframe and "Russland" in at.dataframe[0].value.to_string()
    assert at.query_params["lage_grain"] in ("week", ["week"])


def test_rising_actors_have_sparklines_and_lead_to_their_sentences(monkeypatch, burst_warehouse):
    use_warehouse(monkeypatch, burst_warehouse)
    at = open_app(lage_grain="day", on=BURST_DAY.isoformat(), lage_actor="olaf-scholz")
    shown = texts(at)
    assert "Top stories on 25.02.2022" in shown
    stories = at.dataframe[0].value
    assert stories["articles_in_period"].tolist()[:1] == [6]  # the six reports are one story
    assert at.get("vega_lite_chart")  # sparklines of the rising actors
    rising = at.dataframe[1].value
    assert "olaf-scholz" in rising["id"].tolist() and (rising["z"] >= 3).all()
    assert "mentions of olaf-scholz on 25.02.2022" in shown and "trifft Lawrow in Moskau" in shown


def test_a_story_from_the_url_lists_its_articles(monkeypatch, burst_warehouse):
    use_warehouse(monkeypatch, burst_warehouse)
    with connect(burst_warehouse, read_only=True) as con:
        [(story,)] = con.execute("SELECT DISTINCT story_id FROM story_articles JOIN articles USING (article_id) "
                                 "WHERE source_file LIKE 'burst%'").fetchall()
    at = open_app(lage_grain="day", on=BURST_DAY.isoformat(), story=story)
    assert "Story: Scholz in Moskau" in texts(at)
    assert any(len(d.value) == 6 and "title" in d.value for d in at.dataframe)


def test_lage_empty(with_empty):
    at = open_app()
    assert "no articles dated to the day" in texts(at)
    assert not at.get("vega_lite_chart")
