"""flows/brief.py and `lagebild brief`: the situation picture as Markdown (PNG charts beside it) or one HTML file."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "dashboard"))

from dash_helpers import add_burst, build_warehouse  # noqa: E402

pytestmark = pytest.mark.usefixtures("prefect_harness")
BURST_DAY = date(2022, 2, 25)


@pytest.fixture
def burst_settings(settings):
    add_burst(build_warehouse(Path(settings.warehouse)), BURST_DAY)
    return settings


def test_markdown_brief_with_chart_images(burst_settings):
    from flows.brief import brief

    report, *images = [Path(f) for f in brief(burst_settings, 7)]
    assert report == burst_settings.data_dir / "briefs" / "brief-2022-02-25.md"
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# Lagebild: 19.02.2022 – 25.02.2022")
    assert re.search(r"\| Scholz in Moskau \d \| 6 \| 6 \| 25\.02\. – 25\.02\.2022 \| Olaf Scholz \(Bundeskanzler\)",
                     text)  # the six reports are one story, with the office its actor held
    assert "Olaf Scholz" in text.split("## Rising actors")[1].split("##")[0]
    assert [i.name for i in images] == ["brief-2022-02-25-actors.png", "brief-2022-02-25-themes.png"]
    assert all(f"]({i.name})" in text and i.read_bytes().startswith(b"\x89PNG") for i in images)


def test_html_brief_is_one_file_with_embedded_charts(burst_settings, tmp_path):
    from flows.brief import brief

    files = brief(burst_settings, 14, "html", str(tmp_path / "lage.html"))
    assert files == [str(tmp_path / "lage.html")]
    page = Path(files[0]).read_text(encoding="utf-8")
    assert "<h1>Lagebild: 12.02.2022 – 25.02.2022</h1>" in page and "data:image/png;base64," in page


def test_an_empty_warehouse_has_nothing_to_brief(settings):
    from flows.brief import NothingToBrief, brief
    from warehouse import Warehouse

    Warehouse.of(settings).initialise()
    with pytest.raises(NothingToBrief, match="ingest articles first"):
        brief(settings)


def test_since_takes_days_or_weeks():
    from cli.main import _days

    assert (_days("7d"), _days("2w"), _days("3")) == (7, 14, 3)
    for bad in ("0d", "week", "-1d"):
        with pytest.raises(argparse.ArgumentTypeError, match="like 7d or 2w"):
            _days(bad)
