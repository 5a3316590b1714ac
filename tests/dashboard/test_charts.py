"""Chart builders, tested through their Vega-Lite dicts."""

from __future__ import annotations

import json

import pandas as pd

from dashboard import charts


def _series() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "bucket": pd.to_datetime(["2022-01-01", "2022-02-01"] * 2),
            "actor_id": ["ru", "ru", "ua", "ua"],
            "name": ["Russland"] * 2 + ["Ukraine"] * 2,
            "mentions": [3, 4, 1, 2],
            "articles": [2, 2, 1, 1],
            "total": [4, 4, 4, 4],
            "share": [0.5, 0.5, 0.25, 0.25],
            "per_1000": [750.0, 1000, 250, 500],
        }
    )


def _params(spec: dict) -> list[dict]:
    found = list(spec.get("params", []))
    for layer in spec.get("layer", []):
        found += layer.get("params", [])
    return found


def test_actor_lines_month_axis_and_selection():
    spec = charts.actor_lines(_series(), "month", "share").to_dict()
    x = spec["layer"][0]["encoding"]["x"]
    assert x["axis"]["format"] == "%b %Y"  # months labelled as months
    assert spec["layer"][0]["encoding"]["y"]["field"] == "share"
    [pick] = [p for p in _params(spec) if p["name"] == charts.PICK]
    assert pick["select"]["fields"] == ["key", "actor_id"] and pick["select"]["nearest"] is True
    data = next(iter(spec["datasets"].values()))
    assert data[0]["key"] == "2022-01-01"


def test_day_grain_uses_dates():
    spec = charts.actor_lines(_series(), "day").to_dict()
    assert spec["layer"][0]["encoding"]["x"]["axis"]["format"] == "%d %b %Y"


def test_theme_modes_stack():
    df = pd.DataFrame(
        {
            "bucket": pd.to_datetime(["2022-01-03"] * 2),
            "theme_id": ["a", "b"],
            "label": ["A", "B"],
            "articles": [2, 3],
            "total": [5, 5],
            "share": [0.4, 0.6],
        }
    )
    for mode, stack in (("absolute", True), ("share", "normalize"), ("stream", "center")):
        spec = charts.theme_areas(df, "week", mode).to_dict()
        assert spec["layer"][0]["encoding"]["y"]["stack"] == stack
        assert spec["layer"][0]["mark"]["type"] == "area"


def test_heatmaps_and_bars():
    cells = pd.DataFrame(
        {"actor_id": ["ru"], "name": ["Russland"], "theme_id": ["s"], "label": ["S"], "articles": [3]}
    )
    spec = charts.actor_theme_heatmap(cells).to_dict()
    assert spec["mark"]["type"] == "rect" and spec["params"][0]["select"]["fields"] == [
        "actor_id",
        "theme_id",
    ]
    assert spec["encoding"]["stroke"]["condition"]["empty"] is False
    pairs = pd.DataFrame(
        {"actor_a": ["ru"], "name_a": ["Russland"], "actor_b": ["ua"], "name_b": ["Ukraine"], "articles": [2]}
    )
    assert charts.cooccurrence_heatmap(pairs).to_dict()["encoding"]["x"]["field"] == "name_b"
    totals = pd.DataFrame({"bucket": pd.to_datetime(["2022-01-01"]), "total": [4]})
    bars = charts.articles_bars(totals, "month").to_dict()
    assert bars["mark"]["type"] == "bar" and bars["encoding"]["x2"]["field"] == "end"
    data = next(iter(bars["datasets"].values()))
    assert data[0]["end"].startswith("2022-02-01")  # a month bar spans the month, not the 1st
    top = charts.top_actor_bars(
        pd.DataFrame(
            {"actor_id": ["ru"], "name": ["Russland"], "kind": ["country"], "mentions": [5], "articles": [2]}
        )
    ).to_dict()
    assert top["encoding"]["y"]["sort"] == "-x"


def test_empty_frames_build():
    empty = _series().iloc[:0]
    assert charts.actor_lines(empty, "week").to_dict()["layer"]


def test_month_axis_labels_each_month_once():
    """Rendered (vl-convert), a month chart names each month once, not once per weekly tick."""
    import re

    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(charts.actor_lines(_series(), "month", "mentions").to_dict())
    labels = re.findall(r">((?:Jan|Feb|Mar) 2022)<", svg)
    assert labels and len(labels) == len(set(labels)), labels


def test_theme_bands_tile_the_stacked_areas_in_every_mode():
    """The click layer's bars lie where Vega-Lite stacks the areas: by label from the bottom, as shares of the
    bucket for 'share', offset by half the difference to the largest bucket for 'stream' (Vega's "center"); each
    spans halfway to its neighbours, the first and the last clipped at their bucket."""
    df = pd.DataFrame(
        {
            "bucket": pd.to_datetime(["2022-01-03", "2022-01-03", "2022-01-10", "2022-01-24"]),
            "theme_id": ["b", "a", "a", "b"],
            "label": ["B", "A", "A", "B"],
            "articles": [3, 1, 4, 2],
        }
    )
    expected = {
        "absolute": [(0, 1), (1, 4), (0, 4), (0, 2)],
        "share": [(0, 0.25), (0.25, 1), (0, 1), (0, 1)],
        "stream": [(0, 1), (1, 4), (0, 4), (1, 3)],
    }
    for mode, bands in expected.items():
        spec = charts.theme_areas(df, "week", mode).to_dict()
        assert spec["layer"][1]["mark"]["type"] == "rect" and "nearest" not in json.dumps(spec["params"])
        rows = next(iter(spec["datasets"].values()))
        got = [(r["label"], r["key"], round(r["y0"], 3), round(r["y1"], 3)) for r in rows]
        keys = ["2022-01-03", "2022-01-03", "2022-01-10", "2022-01-24"]
        assert got == [(lab, k, *b) for lab, k, b in zip("ABAB", keys, bands, strict=True)], mode
    spans = [(r["lo"][:10], r["hi"][:10]) for r in rows]
    assert spans == [
        ("2022-01-03", "2022-01-06"),
        ("2022-01-03", "2022-01-06"),
        ("2022-01-06", "2022-01-17"),
        ("2022-01-17", "2022-01-24"),
    ]
