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


def test_discovered_actors_from_the_summaries_equal_the_raw_rows_limited_and_found_by_name(data_warehouse):
    import duckdb

    from warehouse.queries.listings import discovered_actors, discovered_count

    with duckdb.connect(str(data_warehouse), read_only=True) as con:
        raw = con.execute("""SELECT a.actor_id, count(m.actor_id) AS mentions, count(DISTINCT m.article_id) AS articles,
                                    string_agg(DISTINCT m."method", ', ' ORDER BY m."method") AS found_by
                             FROM actors a LEFT JOIN mentions m USING (actor_id) WHERE a.origin = 'discovered'
                             GROUP BY ALL ORDER BY mentions DESC, any_value(a.name), a.actor_id""").fetchall()
    listed = discovered_actors(data_warehouse)
    assert [tuple(r) for r in listed[["actor_id", "mentions", "articles", "found_by"]].values.tolist()] == raw
    assert discovered_count(data_warehouse) == len(raw) > 0
    assert discovered_actors(data_warehouse, 1)["actor_id"].tolist() == [raw[0][0]]
    lawrow = discovered_actors(data_warehouse, 10, "LAWR")
    assert lawrow["name"].tolist() == ["Sergej Lawrow"] and lawrow["example"].iloc[0]
    assert discovered_actors(data_warehouse, 10, "%").empty  # no wildcards: the text itself


def test_review_finds_a_discovered_actor_by_name(monkeypatch, tmp_path, data_warehouse):
    _copy(monkeypatch, tmp_path, data_warehouse)
    at = open_app("review")
    at.text_input(key="w_review_find").set_value("lawr").run()
    assert at.dataframe[0].value["name"].tolist() == ["Sergej Lawrow"]
    at.text_input(key="w_review_find").set_value("niemand").run()
    assert "No discovered actor's name holds “niemand”" in texts(at)
