"""Search page in AppTest: ILIKE before the index exists, German stemming after."""

from __future__ import annotations

import shutil

from dash_helpers import open_app, texts, use_warehouse

from warehouse.search import rebuild_index


def test_search_falls_back_to_ilike(with_data):
    at = open_app("search", q="Sanktionen")
    page = texts(at)
    assert "substring match" in page and "article?id=" in page


def test_search_with_index_stems(monkeypatch, tmp_path, data_warehouse):
    copy = tmp_path / "lagebild.duckdb"
    shutil.copyfile(data_warehouse, copy)
    (tmp_path / "inbox").mkdir()
    assert rebuild_index(copy)
    use_warehouse(monkeypatch, copy)
    at = open_app("search", q="Sanktion")
    page = texts(at)
    assert "German stemming" in page and "Russland droht" in page


def test_search_empty(with_empty):
    at = open_app("search", q="Nato")
    assert "Nothing found" in texts(at)
