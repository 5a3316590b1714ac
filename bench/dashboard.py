"""Dashboard queries and page renders on a generated warehouse (bench/make_warehouse.py builds it)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from bench import make_warehouse
from bench.util import percentiles

# (page, query parameters): the pages as an analyst opens them, one drill-down included
PAGES: tuple[tuple[str, dict[str, str]], ...] = (
    ("overview", {}), ("actors", {}), ("actors", {"grain": "day", "pick": "actor-0", "at": "2023-03-06"}),
    ("themes", {}), ("article", {"id": "0000000000000010"}), ("search", {"q": "Lage"}), ("ingest", {}),
    ("sql", {"run": "1"}), ("review", {}),
)


def time_queries(target: Path, repeat: int) -> dict[str, Any]:
    """p50/p95/max in ms of each dashboard query, `repeat` calls each (new connection every call)."""
    out: dict[str, Any] = {}
    for name, case in make_warehouse.query_cases(target).items():
        fn = cast(Callable[[], object], case)
        fn()  # first call: file cache warm-up, not counted
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            fn()
            times.append(1000 * (time.perf_counter() - started))
        out[name] = percentiles(times)
    return out


def time_pages(target: Path) -> dict[str, Any]:
    """Cold (caches cleared) and warm AppTest run of each page, in ms."""
    import os

    os.environ.update(LAGEBILD_DATA_DIR=str(target.parent), LAGEBILD_WAREHOUSE=str(target),
                      LAGEBILD_DASHBOARD_REFRESH="0")
    out: dict[str, Any] = {}
    for page, query in PAGES:
        label = page + (" " + ",".join(f"{k}={v}" for k, v in query.items()) if query else "")
        try:
            cold, warm = make_warehouse._render(page, query)
            out[label] = {"cold_ms": cold, "warm_ms": warm}
        except Exception as exc:  # noqa: BLE001 - a broken page is a result too
            out[label] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    return out


def run(work: Path, articles: int, mentions: int, repeat: int) -> dict[str, Any]:
    """Generate (or reuse) the warehouse, build the full-text index, time queries and pages."""
    target = work / f"dash-{articles}" / "lagebild.duckdb"
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if not target.exists():
        make_warehouse.generate(target, articles, mentions)
    generate_s = time.perf_counter() - started
    from warehouse.search import rebuild_index

    started = time.perf_counter()
    rebuild_index(target)
    fts_s = time.perf_counter() - started
    return {"articles": articles, "mentions": mentions, "repeat": repeat, "generate_s": generate_s,
            "fts_index_s": fts_s, "queries_ms": time_queries(target, repeat), "pages_ms": time_pages(target)}
