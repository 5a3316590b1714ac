"""Overview page in AppTest, with data and with an empty warehouse."""

from __future__ import annotations

from dash_helpers import open_app, texts


def test_overview_with_data(with_data):
    at = open_app("overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Articles"] == "13"
    assert metrics["Rejected files"] == "1"
    assert "completed" in metrics["Last ingest run"]
    assert metrics["Newest article"] != "–"
    assert len(at.get("vega_lite_chart")) == 2
    assert "month" in texts(at)  # month-only articles explained at week granularity
    assert at.query_params["grain"] in ("week", ["week"])


def test_overview_month_grain_from_url(with_data):
    at = open_app("overview", grain="month")
    assert at.radio(key="w_grain").value == "month"
    assert len(at.get("vega_lite_chart")) == 2


def test_overview_empty(with_empty):
    at = open_app("overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Articles"] == "0"
    assert metrics["Last ingest run"] == "none yet"
    assert "empty" in texts(at)
    assert not at.get("vega_lite_chart")


def test_overview_without_warehouse(monkeypatch, tmp_path):
    from dash_helpers import use_warehouse

    use_warehouse(monkeypatch, tmp_path / "missing.duckdb")
    at = open_app("overview")
    assert "No warehouse yet" in texts(at)
