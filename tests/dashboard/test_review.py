"""Review page in AppTest: discovered actors, promote/merge/ignore into the overlay file."""

from __future__ import annotations

import shutil

import yaml
from dash_helpers import open_app, texts, use_warehouse


def _copy(monkeypatch, tmp_path, data_warehouse):
    (tmp_path / "inbox").mkdir()
    shutil.copyfile(data_warehouse, tmp_path / "lagebild.duckdb")
    use_warehouse(monkeypatch, tmp_path / "lagebild.duckdb")
    return tmp_path / "registry_overlay.yaml"


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_review_lists_and_promotes(monkeypatch, tmp_path, data_warehouse):
    overlay = _copy(monkeypatch, tmp_path, data_warehouse)
    at = open_app("review")
    assert "Review discovered actors" in [t.value for t in at.title]
    assert "Sergej Lawrow" in at.dataframe[0].value.to_string()
    _button(at, "Promote to the registry").click().run()
    assert not at.exception
    doc = yaml.safe_load(overlay.read_text(encoding="utf-8"))
    assert doc["promote"][0]["id"] == "sergej-lawrow"
    assert "promoted" in texts(at)


def test_review_merge_and_ignore(monkeypatch, tmp_path, data_warehouse):
    overlay = _copy(monkeypatch, tmp_path, data_warehouse)
    at = open_app("review")
    _button(at, "Merge as an alias").click().run()
    _button(at, "Ignore this name from now on").click().run()
    doc = yaml.safe_load(overlay.read_text(encoding="utf-8"))
    assert doc["alias"][0]["name"] == "Sergej Lawrow"
    assert doc["ignore"] == ["disc-sergej-lawrow"]


def test_review_empty(with_empty):
    assert "No discovered actors" in texts(open_app("review"))
