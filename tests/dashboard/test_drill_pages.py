"""Drill-downs are paginated: the pages of a query partition the whole list, and the pages show them."""

from __future__ import annotations

from datetime import date

import pandas as pd
from dash_helpers import open_app, texts

from warehouse.queries import drill
from warehouse.queries.filters import Drill, Filters


def test_pages_of_the_sentences_and_articles_partition_the_whole_list(data_warehouse):
    pick = Drill(actor_id="country-ru")
    whole = drill.drill_sentences(data_warehouse, pick, Filters(), 1000)
    assert len(whole) > 6
    pages = [drill.drill_sentences(data_warehouse, pick, Filters(), 3, offset) for offset in range(0, len(whole), 3)]
    assert all(len(p) == 3 for p in pages[:-1]) and 0 < len(pages[-1]) <= 3
    keys = ["article_id", "sentence"]
    assert pd.concat(pages)[keys].reset_index(drop=True).equals(whole[keys])
    assert drill.drill_sentences(data_warehouse, pick, Filters(), 3, len(whole)).empty

    month = Drill(start=date(2022, 1, 1), grain="month")
    articles = drill.articles_in_period(data_warehouse, month, Filters(), 1000)
    assert len(articles) > 2
    halves = [drill.articles_in_period(data_warehouse, month, Filters(), 2, offset)
              for offset in range(0, len(articles), 2)]
    assert list(pd.concat(halves)["article_id"]) == list(articles["article_id"])


def test_the_actor_drill_down_turns_its_pages(with_data, monkeypatch):
    from dashboard.views import actors

    monkeypatch.setattr(actors, "DRILL_LIMIT", 2)
    at = open_app("actors", grain="month", pick="country-ru", at="2022-01-01")
    heading = "Russland in January 2022"
    assert f"Drill-down: {heading}" in texts(at)
    assert "Sentences 1–2 in" in texts(at) and "Page 1" in texts(at)
    assert at.button(key=f"{heading}_prev").disabled
    first_page = texts(at)
    at.button(key=f"{heading}_next").click().run()
    assert not at.exception
    assert "Sentences 3–4 in" in texts(at) and "Page 2" in texts(at)
    assert texts(at) != first_page
    at.button(key=f"{heading}_prev").click().run()
    assert "Sentences 1–2 in" in texts(at)
