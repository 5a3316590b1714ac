"""Quotes page in AppTest and the quote queries, on the synthetic warehouse (Russland quoted about Scholz)."""

from __future__ import annotations

from dash_helpers import chart_data, open_app, texts

from warehouse.queries.quotes import QuoteFilters, quote_list, speaker_series, speaker_target_matrix


def test_quote_queries_filter_by_speaker_target_theme_text(with_data):
    everything = quote_list(with_data, QuoteFilters())
    assert len(everything) == 4 and set(everything["speaker"]) == {"Russland"}
    assert set(everything["targets"]) == {"Olaf Scholz"}
    assert len(quote_list(with_data, QuoteFilters(speakers=("olaf-scholz",)))) == 0
    assert len(quote_list(with_data, QuoteFilters(targets=("olaf-scholz",), themes=("diplomacy",)))) == 4
    assert len(quote_list(with_data, QuoteFilters(themes=("military",)))) == 0
    assert len(quote_list(with_data, QuoteFilters(text="VERHANDELN"))) == 4
    assert len(quote_list(with_data, QuoteFilters(text="%"))) == 0  # wildcards are searched for literally
    monthly = speaker_series(with_data, QuoteFilters(), "month")
    assert monthly["quotes"].sum() == 4 and set(monthly["speaker_id"]) == {"country-ru"}
    matrix = speaker_target_matrix(with_data, QuoteFilters())
    assert matrix[["speaker_id", "target_id", "quotes"]].values.tolist() == [["country-ru", "olaf-scholz", 4]]


def test_quotes_page_charts_list_and_links(with_data):
    at = open_app("quotes")
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2  # quotes per speaker over time, speaker × target
    assert "Russland" in chart_data(charts[0]) and "Olaf Scholz" in chart_data(charts[1])
    page = texts(at)
    assert "Wir wollen verhandeln" in page and "about Olaf Scholz" in page
    assert "article?id=" in page and "&amp;s=" in page  # each quote links to its sentence in the reader


def test_quotes_page_search_and_speaker_filter_from_url(with_data):
    at = open_app("quotes", q="nichts dergleichen")
    assert "No quotes match" in texts(at)
    at = open_app("quotes", speaker="country-ru", grain="week")
    assert at.multiselect(key="w_speaker").value == ["country-ru"]
    assert "Wir wollen verhandeln" in texts(at)


def test_reader_highlights_the_linked_sentence(with_data):
    aid = quote_list(with_data, QuoteFilters())["article_id"][0]
    page = texts(open_app("article", id=aid, s="1"))
    assert 'class="s f"' in page or 'class="s t f"' in page


def test_actor_page_latest_statements(with_data):
    page = texts(open_app("actors", actor="country-ru"))
    assert "Latest statements" in page and "Wir wollen verhandeln" in page


def test_quotes_page_empty(with_empty):
    at = open_app("quotes")
    assert "No quotes with a known speaker" in texts(at)


def test_quotes_page_pickers_offer_actors_found_by_name_and_a_url_period_beyond_the_data(with_data, monkeypatch):
    from dashboard import state

    monkeypatch.setattr(state, "ACTOR_OPTIONS", 0)  # only the chosen ones and those found by name
    at = open_app("quotes", **{"from": "1999-01-01", "to": "2040-12-31"})  # a link from another warehouse
    assert at.multiselect(key="w_speaker").options == [] and at.multiselect(key="w_target").options == []
    assert "Wir wollen verhandeln" in texts(at)  # the whole span of the data
    at.text_input(key="w_actor_find").set_value("russ").run()
    assert at.multiselect(key="w_speaker").options == ["Russland"] and at.multiselect(key="w_target").options == []
    at.text_input(key="w_actor_find").set_value("Scholz").run()
    assert at.multiselect(key="w_target").options == ["Olaf Scholz"]
