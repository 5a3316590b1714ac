"""Lage page in AppTest: the dashboard's front page; stories, rising actors with sparklines, new actors, drill-downs."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from dash_helpers import _enrich, make_articles, open_app, texts, use_warehouse

from lagebild.article import article_id_for
from warehouse.db import connect
from warehouse.load import ARTICLE_COLUMNS, article_rows, insert_enrichments, insert_rows
from warehouse.stories import assign_stories
from warehouse.summaries import refresh_summaries

BURST_DAY = date(2022, 2, 25)


@pytest.fixture(scope="module")
def burst_warehouse(data_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared synthetic warehouse plus six reports of one meeting on BURST_DAY, loaded as the load step does."""
    folder = tmp_path_factory.mktemp("lage")
    (folder / "inbox").mkdir()
    path = shutil.copy(data_warehouse, folder / "lagebild.duckdb")
    template, themes = make_articles(2)[1]  # "Scholz trifft Lawrow in Moskau …"
    burst = []
    for i in range(6):
        body = f"Scholz in Moskau {i}\n\nScholz trifft Lawrow in Moskau. Die NATO berät, Quelle {i}."
        burst.append(replace(template, article_id=article_id_for(body), title=f"Scholz in Moskau {i}", body=body,
                             published_date=BURST_DAY, source_file=f"burst{i}.txt", source=f"Blatt {i}"))
    with connect(path) as con:
        insert_rows(con, "articles", article_rows(burst, {}, "run-2", {}, datetime(2022, 2, 25, 12)), ARTICLE_COLUMNS)
        insert_enrichments(con, [_enrich(a, themes) for a in burst])
        ids = [a.article_id for a in burst]
        refresh_summaries(con, ids)
        assign_stories(con, ids)
    return Path(path)


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
