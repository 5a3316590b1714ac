"""`python -m bench.browser`: the first chart of every page with a chart, timed in headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(),
                       reason="chromium missing: run scripts/install-browser.sh"),
]


def test_the_browser_bench_times_the_first_chart_of_every_page(tmp_path: Path) -> None:
    from bench import browser

    data = tmp_path / "data"
    shutil.copytree(ROOT / "seeds", data / "inbox")
    subprocess.run([sys.executable, "-m", "cli", "ingest", "--data-dir", str(data),
                    *map(str, sorted((data / "inbox").glob("*.txt")))], cwd=ROOT, check=True, capture_output=True,
                   timeout=300)
    out = browser.run(data / "lagebild.duckdb", visits=2)
    assert set(out["pages"]) == set(browser.PAGES)
    for name, page in out["pages"].items():
        assert page["failed"] == 0, f"{name} showed no chart"
        assert 0 < page["cold_s"] < browser.LIMIT_S
        assert page["warm_s"]["n"] == 1
        assert page["warm_over_floor_s"] == round(page["warm_s"]["p50"] - out["floor"]["warm_s"]["p50"], 3)
    assert out["floor"]["failed"] == 0 and 0 < out["floor"]["cold_s"] < browser.LIMIT_S
