"""The first chart of each dashboard page in a real browser (headless Chromium through Playwright).

    python -m bench.browser WAREHOUSE [--visits 5]

Starts `lagebild dashboard` on the warehouse, then opens each page with a chart (Lage, Overview, Actors,
Themes, Quotes) `--visits` times, each in a new tab (a new dashboard session) of one browser whose
cache is warm, and times from the navigation to the first rendered chart. The first visit of each page
after the start is the cold one (the dashboard's query cache is empty; it is filled per page), the
others are warm. A page that shows no chart within the time limit counts as failed with its time limit.

In the same browser, `floor` times a page with a title and one 10-point chart (bench/floor_page.py),
served by the same Streamlit with the dashboard's options: what any page with a chart costs on this
machine. Each page's `warm_over_floor_s` is its warm p50 minus the floor's, the part the dashboard's own
work adds.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.util import ROOT, lagebild_cmd, lagebild_env, percentiles

CHROMIUM = "/usr/bin/chromium"
CHART = "canvas, svg.marks"
PAGES = ("lage", "overview", "actors", "themes", "quotes")
LIMIT_S = float(os.environ.get("BENCH_CHART_LIMIT", "60"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    """Until Streamlit's health endpoint answers; fails when the process ends first or after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the dashboard's process exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"the dashboard did not answer at {url}")


def first_chart_s(context: Any, url: str, shown_instead: list[str] | None = None) -> float | None:
    """Seconds from navigation to the first chart in a new tab (a new dashboard session; the browser's
    cache is shared, as in an analyst's browser), None if no chart came within LIMIT_S; then the page's
    alerts and exceptions go to `shown_instead`."""
    page = context.new_page()
    try:
        began = time.perf_counter()
        page.goto(url)
        try:
            page.wait_for_selector(CHART, timeout=LIMIT_S * 1000)
        except Exception:  # noqa: BLE001 - Playwright's timeout: the page showed no chart
            if shown_instead is not None:
                shown = page.locator('[data-testid="stAlert"], [data-testid="stException"]').all_inner_texts()
                shown_instead.append(" | ".join(t.strip()[:3000] for t in shown) or "(nothing: still running)")
            return None
        return time.perf_counter() - began
    finally:
        page.close()


@contextmanager
def served(command: list[str], port: int, env: dict[str, str] | None = None) -> Iterator[str]:
    """The Streamlit server that `command` starts on `port`, for the length of the block; yields its URL."""
    from cli.processes import stop_group

    proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(url, proc)
        yield url
    finally:
        stop_group(proc)


def dashboard(warehouse: Path) -> contextlib.AbstractContextManager[str]:
    """`lagebild dashboard` on this warehouse for the length of the block; yields its URL."""
    env = lagebild_env(warehouse.parent, LAGEBILD_WAREHOUSE=str(warehouse))
    port = free_port()
    return served([*lagebild_cmd("dashboard", "--port", str(port))], port, env)


def floor_page() -> contextlib.AbstractContextManager[str]:
    """bench/floor_page.py served like the dashboard for the length of the block; yields its URL."""
    from cli.services import streamlit_command

    port = free_port()
    return served(streamlit_command(ROOT / "bench" / "floor_page.py", port, "127.0.0.1"), port)


def timed(context: Any, url: str, visits: int) -> dict[str, Any]:
    """The first visit (cold) and the p50/p95 of the others (warm), failures counted at LIMIT_S."""
    times = [first_chart_s(context, url) for _ in range(visits)]
    shown = [t if t is not None else LIMIT_S for t in times]
    return {"cold_s": round(shown[0], 3), "warm_s": percentiles(shown[1:]), "failed": sum(t is None for t in times)}


@contextmanager
def browser_tabs(url: str) -> Iterator[Any]:
    """A headless Chromium context whose cache and the dashboard's session machinery are warmed up."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            first_chart_s(context, f"{url}/overview")
            yield context
        finally:
            browser.close()


def run(warehouse: Path, visits: int = 5, pages: tuple[str, ...] = PAGES) -> dict[str, Any]:
    """Cold and warm first-chart times per page and of the floor page, in seconds, and the load average."""
    out: dict[str, Any] = {"articles_warehouse": str(warehouse), "visits": visits, "pages": {}}
    loads = [os.getloadavg()[0]]
    with dashboard(warehouse) as url, browser_tabs(url) as context:
        for name in pages:
            out["pages"][name] = timed(context, f"{url}/{name}", visits)
            loads.append(os.getloadavg()[0])
        with floor_page() as floor_url:
            out["floor"] = timed(context, floor_url, visits)
        loads.append(os.getloadavg()[0])
    floor = out["floor"]["warm_s"].get("p50")
    for page in out["pages"].values():
        if floor is not None and page["warm_s"].get("p50") is not None:
            page["warm_over_floor_s"] = round(page["warm_s"]["p50"] - floor, 3)
    out["load_average"] = {"min": min(loads), "max": max(loads), "mean": sum(loads) / len(loads)}
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.browser", description=__doc__.split("\n\n")[0])
    p.add_argument("warehouse", type=Path, help="the warehouse file (e.g. one of bench.make_warehouse)")
    p.add_argument("--visits", type=int, default=5, help="visits per page, the first cold (default 5)")
    p.add_argument("--pages", default=",".join(PAGES), help=f"comma-separated pages (default {','.join(PAGES)})")
    args = p.parse_args(argv)
    if not Path(CHROMIUM).exists():
        p.error(f"{CHROMIUM} is missing: run `make browser` first")
    print(json.dumps(run(args.warehouse, args.visits, tuple(args.pages.split(","))), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
