"""The running dashboard in headless Chromium: live update, drill-down, screenshots.

Starts `lagebild up` (watcher + dashboard) on a temp data folder with four of the five seed
articles, waits for a rendered Vega chart, drops the fifth seed into the inbox and waits for the
article count to rise without a reload, then clicks a chart point and waits for the drill-down.
Screenshots go to test-artifacts/browser/ (or the folder in BROWSER_ARTIFACTS); `make screenshots`
copies them into docs/screenshots/ for the README.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.browser import free_port, wait_http
from cli.processes import stop_group

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS") or ROOT / "test-artifacts" / "browser")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
CHART = "canvas, svg.marks"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="chromium missing: run scripts/install-browser.sh"
    ),
]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`lagebild up` on a fresh data folder seeded with four articles; yields (url, data dir)."""
    data = tmp_path_factory.mktemp("browser-data")
    seeds = data.parent / (data.name + "-seeds")
    seeds.mkdir()
    for f in sorted(SEEDS.glob("*.txt"))[:4]:
        shutil.copyfile(f, seeds / f.name)
    port = free_port()
    env = {
        **os.environ,
        "LAGEBILD_DASHBOARD_REFRESH": "2",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "LAGEBILD_SETTLE_SECONDS": "0.3",
        "LAGEBILD_RESCAN_SECONDS": "0.5",
        "LAGEBILD_PREFECT_PORT": str(free_port()),
    }
    env.pop("LAGEBILD_DASHBOARD_PASSWORD", None)
    env.pop("PREFECT_API_URL", None)
    log = (data / "up.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cli.main",
            "up",
            "--data-dir",
            str(data),
            "--port",
            str(port),
            "--seeds",
            str(seeds),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(url, proc)
        yield url, data
    finally:
        stop_group(proc)
        log.close()


@pytest.fixture(scope="module")
def page(app: tuple[str, Path]):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        yield pg
        browser.close()


METRICS_JS = """() => Object.fromEntries([...document.querySelectorAll('[data-testid="stMetric"]')].map(m => [
    m.querySelector('[data-testid="stMetricLabel"]')?.innerText.trim(),
    m.querySelector('[data-testid="stMetricValue"]')?.innerText.trim()]))"""


def articles(pg) -> int:
    value = pg.evaluate(METRICS_JS).get("Articles", "0")
    return int(value.replace(",", "") or 0)


def wait_for_articles(pg, at_least: int, timeout: float) -> float:
    """Seconds until the Articles metric reaches `at_least` (the page is never reloaded)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if articles(pg) >= at_least:
            return time.monotonic() - start
        pg.wait_for_timeout(250)
    raise AssertionError(f"Articles stayed at {articles(pg)} (wanted {at_least}) for {timeout} s")


def shot(pg, name: str) -> None:
    pg.wait_for_timeout(400)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def open_page(pg, url: str) -> None:
    pg.goto(url)
    pg.wait_for_selector('[data-testid="stApp"]', timeout=30_000)


def test_live_overview_and_drill_down(app, page):
    url, data = app
    open_page(page, f"{url}/overview")  # the front page is Lage; this deep link is the server's first visit
    wait_for_articles(page, 4, timeout=120)
    nav = page.locator('[data-testid="stSidebarNav"]')
    assert nav.get_by_text("Overview", exact=True).count() == 1, "a deep link bypassed the app's navigation"
    page.wait_for_selector(CHART, timeout=30_000)
    shutil.copyfile(sorted(SEEDS.glob("*.txt"))[4], data / "inbox" / "neu.txt")
    seconds = wait_for_articles(page, 5, timeout=60)
    print(f"new article visible after {seconds:.1f} s without a reload")
    shot(page, "overview")

    open_page(page, f"{url}/actors?grain=month&measure=mentions&top=5")
    chart = page.wait_for_selector(CHART, timeout=30_000)
    box = chart.bounding_box()
    assert box
    for fx, fy in ((0.5, 0.3), (0.3, 0.5), (0.7, 0.2), (0.5, 0.6)):
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        try:
            page.get_by_text("Drill-down:", exact=False).first.wait_for(timeout=8_000)
            break
        except Exception:  # noqa: BLE001 - try the next spot
            continue
    drill = page.locator("mark.m").first
    drill.wait_for(timeout=10_000)
    page.wait_for_function("() => location.search.includes('pick=')", timeout=15_000)  # the link to this view
    shot(page, "actors_drilldown")


def test_an_unchanged_warehouse_is_not_redrawn(app, page):
    """Live refresh looks at the warehouse's change stamp every 2 s here; while no writer commits, the page
    gets no redraw (a redraw re-sends every element of the page, its charts' data included). The old
    refresh redrew at every tick: five drawings in 10 idle seconds; at most one is allowed here, a
    refresh catching up with a write just before the window on busy cores."""
    from warehouse.db import change_stamp

    url, data = app
    warehouse = data / "lagebild.duckdb"
    received: list[tuple[float, int]] = []

    def listen(ws) -> None:
        ws.on("framereceived", lambda p: received.append((time.monotonic(), len(p))))

    page.on("websocket", listen)
    open_page(page, f"{url}/overview")
    page.wait_for_selector(CHART, timeout=30_000)
    page.wait_for_timeout(1_000)
    drawn = sum(n for _, n in received)  # the page's drawing
    for _ in range(4):  # a window with no write in it nor in the refresh period before it (the watcher's
        before = change_stamp(warehouse)  # idle maintenance writes after a load)
        page.wait_for_timeout(2_500)
        start = time.monotonic()
        page.wait_for_timeout(10_000)
        if change_stamp(warehouse) == before:
            break
    else:
        pytest.fail("the warehouse changed in every 10-second window: no idle window to observe")
    page.remove_listener("websocket", listen)
    idle = [n for t, n in received if t >= start]
    print(f"page drawn with {drawn:,} bytes; 10 s idle: {len(idle)} frames, {sum(idle):,} bytes")
    assert idle, "the live refresh did not look at the warehouse at all"
    assert sum(idle) < 1.5 * drawn, f"an unchanged warehouse was redrawn: {sum(idle):,} bytes in 10 s"


def test_more_filters_open_from_the_sidebar_and_apply(app, page):
    """Kind, country, role, theme and copies sit behind "More filters": a click opens them, a kind chosen there
    filters the chart and lands in the URL, the popover stays open meanwhile, and its label counts it."""
    url, _ = app
    open_page(page, f"{url}/actors?grain=month")
    page.wait_for_selector(CHART, timeout=30_000)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("button", name="More filters").click()
    body = page.locator('[data-testid="stPopoverBody"]')
    body.get_by_text("Count syndicated copies").wait_for(timeout=10_000)
    kind = body.locator('[data-testid="stMultiSelect"]').filter(has_text="Kind")
    kind.locator("input").click()
    page.get_by_role("option", name="country", exact=True).click()
    page.wait_for_function("() => location.search.includes('kind=country')", timeout=15_000)
    page.keyboard.press("Escape")  # the option list closes; the popover stays open over the page
    sidebar.get_by_role("button", name="More filters (1 set)").wait_for(timeout=15_000)
    sidebar.get_by_text("Kind: country").wait_for(timeout=5_000)
    shot(page, "more_filters")


TOOLTIP_JS = """() => Object.fromEntries([...document.querySelectorAll('#vg-tooltip-element tr')]
    .map(tr => [tr.cells[0]?.innerText.replace(/:$/, '').trim(), tr.cells[1]?.innerText.trim()]))"""


def test_a_click_inside_a_theme_band_drills_into_that_theme(app, page):
    """Anywhere inside a theme's band (not only on a data point), the pointer shows that theme and month, and a
    click lists the sentences behind it, with the band shaded."""
    url, _ = app
    open_page(page, f"{url}/themes?grain=month&mode=absolute")
    box = page.wait_for_selector(CHART, timeout=30_000).bounding_box()
    assert box
    for fx, fy in ((0.2, 0.85), (0.3, 0.7), (0.6, 0.85), (0.4, 0.5), (0.25, 0.6)):
        x, y = box["x"] + box["width"] * fx, box["y"] + box["height"] * fy
        page.mouse.move(x, y)
        page.wait_for_timeout(300)
        shown = page.evaluate(TOOLTIP_JS) if page.locator("#vg-tooltip-element.visible").count() else {}
        if shown.get("Theme"):
            break
    else:
        raise AssertionError("no theme band under any of the spots tried")
    page.mouse.click(x, y)
    month = time.strftime("%B %Y", time.strptime(shown["Month"], "%b %Y"))  # Jan 2022 -> January 2022
    page.get_by_text(f"Drill-down: {shown['Theme']} in {month}", exact=False).first.wait_for(timeout=15_000)
    page.locator("mark.m").first.wait_for(timeout=10_000)
    page.wait_for_function("() => location.search.includes('pick=')", timeout=15_000)


def test_pages_render_in_browser(app, page):
    url, _ = app
    for name, path, wait in (
        ("lage", "?lage_grain=week&on=2022-01-21", "text=Top stories"),  # the front page lives at /
        ("themes", "themes?grain=month", CHART),
        ("quotes", "quotes", "text=Quotes per speaker"),
        ("search", "search?q=Sanktion", "text=articles ("),
        ("ingest", "ingest", "text=Recent runs"),
        ("sql", "sql?run=1", "text=/^[0-9,]+ rows/"),
    ):
        open_page(page, f"{url}/{path}")
        page.wait_for_selector(wait, timeout=30_000)
        assert not page.locator('[data-testid="stException"]').count(), name
        assert not page.get_by_text("Page not found").count(), name
        shot(page, name)
    open_page(page, f"{url}/article")
    page.get_by_role("button", name="Open article").click()
    page.wait_for_selector("mark.m", timeout=30_000)
    shot(page, "article")


HELD_S = 32


def test_a_page_that_met_a_held_warehouse_says_so_and_draws_itself_once_it_is_free(tmp_path, page):
    """Another process (a DuckDB CLI, a notebook) holds the warehouse read-write for HELD_S: the Overview page
    names it after the dashboard's read timeout (15 s; the page's first run also imports its libraries) and
    keeps saying so while the file is held, then, with no reload, draws its charts at the first refresh tick
    that finds the file free."""
    from bench.browser import served
    from bench.util import lagebild_cmd, lagebild_env
    from helpers import hold_read_write

    data = tmp_path / "data"
    subprocess.run([sys.executable, "-m", "cli", "ingest", str(SEEDS), "--no-progress", "--data-dir", str(data)],
                   cwd=ROOT, check=True, capture_output=True, env=lagebild_env(data))
    port = free_port()
    with served([*lagebild_cmd("dashboard", "--port", str(port))], port,
                lagebild_env(data, LAGEBILD_DASHBOARD_REFRESH="2")) as url:
        holder = hold_read_write(data / "lagebild.duckdb", HELD_S)
        try:
            started = time.monotonic()
            page.goto(f"{url}/overview")
            page.get_by_text(f"held open by another process (PID {holder.pid}").wait_for(timeout=HELD_S * 1000)
            page.get_by_text("This view retries by itself.").wait_for(timeout=1_000)
            shot(page, "overview_warehouse_held")
            page.wait_for_timeout(4_000)  # two refresh ticks: the page waits, its message stays
            if time.monotonic() - started < HELD_S - 1:
                assert page.get_by_text("This view retries by itself.").is_visible()
            page.wait_for_selector(CHART, timeout=40_000)
            print(f"warning, then charts {time.monotonic() - started:.1f} s after the visit, holder gone at {HELD_S} s")
            assert not page.get_by_text("retries by itself").count()
        finally:
            holder.kill()
            holder.wait()


def test_prefect_ui_lists_the_flow_runs(app, page):
    """The Prefect server that `lagebild up` runs serves its UI with the ingest flow runs."""
    import json

    _, data = app
    state = data / "prefect" / "lagebild-server.json"
    ui = json.loads(state.read_text())["url"].removesuffix("/api")
    deadline = time.monotonic() + 60
    while True:
        page.goto(f"{ui}/runs")
        try:
            page.get_by_text("lagebild-ingest").first.wait_for(timeout=15_000)
            page.get_by_text("Completed").first.wait_for(timeout=5_000)
            break
        except Exception:  # noqa: BLE001 - the first batch may still run
            assert time.monotonic() < deadline, "no lagebild-ingest flow run in the Prefect UI"
    page.wait_for_timeout(1500)  # the run list and its chart finish drawing
    shot(page, "prefect_flow_runs")
