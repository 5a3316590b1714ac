"""Dashboard queries at several warehouse sizes and page renders (bench/make_warehouse.py builds them)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bench import make_warehouse


def pages(target: Path) -> tuple[tuple[str, dict[str, str]], ...]:
    """(page, query parameters): the pages as an analyst opens them, one drill-down included."""
    from bench.query_cases import SEARCH, picks

    p = picks(target)
    return (
        ("overview", {}), ("actors", {}), ("actors", {"grain": "day", "pick": p["actor"], "at": "2024-03-06"}),
        ("themes", {}), ("article", {"id": p["article"]}), ("search", {"q": SEARCH}), ("ingest", {}),
        ("sql", {"run": "1"}), ("review", {}),
    )


def time_pages(target: Path) -> dict[str, Any]:
    """Cold (caches cleared) and warm AppTest run of each page, in ms."""
    import os

    os.environ.update(LAGEBILD_DATA_DIR=str(target.parent), LAGEBILD_WAREHOUSE=str(target),
                      LAGEBILD_DASHBOARD_REFRESH="0")
    out: dict[str, Any] = {}
    for page, query in pages(target):
        label = page + (" " + ",".join(f"{k}={v}" for k, v in query.items()) if query else "")
        try:
            cold, warm = _render(page, query)
            out[label] = {"cold_ms": cold, "warm_ms": warm}
        except Exception as exc:  # noqa: BLE001 - a broken page is a result too
            out[label] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    return out


def _render(page: str, query: dict[str, str]) -> tuple[float, float]:
    """Cold (caches cleared) and warm AppTest run of one page, in ms."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    app = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
    st.cache_data.clear()
    at = AppTest.from_file(str(app), default_timeout=120)
    at.switch_page(f"page_scripts/{page}.py")
    for k, v in query.items():
        at.query_params[k] = v
    started = time.perf_counter()
    at.run()
    cold = 1000 * (time.perf_counter() - started)
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    started = time.perf_counter()
    at.run()
    return cold, 1000 * (time.perf_counter() - started)


def run(work: Path, sizes: list[int], repeat: int, pool_limit: int | None = None,
        browser_visits: int = 5) -> dict[str, Any]:
    """At each size: generate (or reuse) the warehouse, bring its search index in step, time the queries on the
    connection the dashboard keeps open and on a new connection per call (with the load average); at the
    largest size the pages as AppTest runs and, with `browser_visits`, their first chart in a real browser
    (bench/browser.py)."""
    from warehouse import search_index

    out: dict[str, Any] = {"repeat": repeat, "sizes": []}
    for size in sorted(sizes):
        target = work / f"dash-{size}" / "lagebild.duckdb"
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():  # built before, e.g. by `python -m bench.make_warehouse` with its own --batch
            reused, built, generate_s = True, make_warehouse.built_before(target), None
        else:
            started = time.perf_counter()
            built = make_warehouse.generate(target, size, pool_limit=pool_limit,
                                            say=lambda line: print(f"[bench]   {line}", flush=True))
            reused, generate_s = False, time.perf_counter() - started
        started = time.perf_counter()
        search_index.catch_up(target, timeout=3600)  # what a start of the watcher does; ~0 s when in step
        out["sizes"].append({"articles": size, "generate_s": generate_s, "reused": reused, "built": built,
                             "fts_index_s": time.perf_counter() - started,
                             "kept_open_ms": make_warehouse.time_queries(target, repeat, kept_open=True),
                             "queries_ms": make_warehouse.time_queries(target, repeat)})
    largest = out["sizes"][-1]
    target = work / f"dash-{largest['articles']}" / "lagebild.duckdb"
    out.update(articles=largest["articles"], generate_s=largest["generate_s"], fts_index_s=largest["fts_index_s"],
               queries_ms=largest["queries_ms"], pages_ms=time_pages(target))
    if browser_visits:
        out["browser"] = first_charts(target, browser_visits)
    return out


def first_charts(target: Path, visits: int) -> dict[str, Any]:
    """bench/browser.py on `target`, or why it could not run (no Chromium: `make browser` installs it)."""
    from bench import browser

    try:
        return browser.run(target, visits)
    except Exception as exc:  # noqa: BLE001 - the query figures stand without the browser's
        return {"error": f"{type(exc).__name__}: {exc}"[:300]}
