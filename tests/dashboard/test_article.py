"""Article reader in AppTest: marks mentions, quotes and themed sentences."""

from __future__ import annotations

from dash_helpers import make_articles, open_app, texts


def test_reader_marks_everything(with_data):
    article = make_articles()[1][0]  # "Scholz reist": a quote and a discovered actor
    at = open_app("article", id=article.article_id)
    page = texts(at)
    assert article.title in page
    assert '<mark class="m"' in page and '<mark class="m disc"' in page
    assert '<span class="q"' in page
    assert "lb-badge" in page and "Diplomatie" in page
    assert any("Wir wollen verhandeln" in str(df.value.to_dict()) for df in at.dataframe)


def test_reader_shows_syndicated_copy(with_data):
    at = open_app("article", id="dup0000000000000")
    assert "Syndicated copy" in texts(at)


def test_reader_unknown_id_and_picker(with_data):
    assert "No article with id" in texts(open_app("article", id="nope"))
    at = open_app("article")
    assert at.selectbox(key="article_pick").options


def test_reader_empty(with_empty):
    assert "No articles yet" in texts(open_app("article"))
