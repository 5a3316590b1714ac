"""Readers while the watcher writes: `lagebild sql "select count(*) from articles"` every 0.5 s, first idle,
then while a running `lagebild watch` (started, its first one-file batch done) ingests real articles (and
whatever maintenance follows), plus a search through the index at each probe. Reports p50/p95/max,
failures and what a waiting reader was told, the watcher's own commit and indexing times from its log,
and the load average.

    python -m bench.readers DATA_DIR --articles 2000 [--base WAREHOUSE_TO_COPY] [--browser] [--enrich-workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from bench import corpus
from bench.util import ROOT, lagebild_cmd, lagebild_env, percentiles
from bench.watcher import Watcher

QUERY = "select count(*) from articles"
INTERVAL = 0.5
_COMMIT = re.compile(r"committed in a transaction of ([0-9.]+) s")  # flows/commit.py COMMITTED_LOG
_INDEXED = re.compile(r"searchable after ([0-9.]+) s")


def probe(data_dir: Path) -> tuple[float, int, int | None, str]:
    """One `lagebild sql` run: seconds, exit code, the count it printed, and its stderr."""
    began = time.perf_counter()
    done = subprocess.run([*lagebild_cmd("sql", "--format", "csv", QUERY)], env=lagebild_env(data_dir), cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    seconds = time.perf_counter() - began
    lines = done.stdout.split()
    count = int(lines[-1]) if done.returncode == 0 and lines and lines[-1].isdigit() else None
    return seconds, done.returncode, count, done.stderr.strip()


def _search_s(warehouse: Path) -> float:
    from warehouse.search import search

    began = time.perf_counter()
    search(warehouse, "Regierung", 50)
    return time.perf_counter() - began


class BrowserVisits:
    """With `--browser`: a thread that opens the Actors page in new tabs of headless Chromium, one after the
    other, and keeps the seconds to its first chart (bench/browser.py), until `stop()`."""

    PAGE = "actors"

    def __init__(self, warehouse: Path) -> None:
        self.warehouse = warehouse
        self.idle: list[float] = []
        self.busy: list[float] = []
        self.timeline: list[tuple[float, float]] = []  # (seconds since the start, seconds to the chart)
        self.shown_instead: list[str] = []  # what a page without a chart showed (errors, warnings)
        self._began = time.perf_counter()
        self.failed = 0
        self._phase = "idle"
        self._ready, self._stop = threading.Event(), threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self, idle_visits: int = 5) -> BrowserVisits:
        self._idle_visits = idle_visits
        self._thread.start()
        self._ready.wait(300)
        if self._error is not None:
            raise self._error
        return self

    def busy_now(self) -> None:
        self._phase = "busy"

    def stop(self) -> dict[str, Any]:
        self._stop.set()
        self._thread.join(120)
        return {"page": self.PAGE, "idle_s": percentiles(self.idle), "during_ingest_s": percentiles(self.busy),
                "failed": self.failed, "shown_instead": self.shown_instead[:5],
                "timeline": [(round(t, 1), round(s, 2)) for t, s in self.timeline]}

    def _loop(self) -> None:
        from bench import browser

        try:
            with browser.dashboard(self.warehouse) as url, browser.browser_tabs(url) as context:
                for _ in range(self._idle_visits):
                    self._visit(browser, context, url)
                self._ready.set()
                while not self._stop.is_set():
                    self._visit(browser, context, url)
        except BaseException as exc:  # noqa: BLE001 - reported by start() or in the results
            self._error = exc
        finally:
            self._ready.set()

    def _visit(self, browser: Any, context: Any, url: str) -> None:
        began = time.perf_counter() - self._began
        took = browser.first_chart_s(context, f"{url}/{self.PAGE}", self.shown_instead)
        self.timeline.append((began, took if took is not None else browser.LIMIT_S))
        if took is None:
            self.failed += 1
        (self.idle if self._phase == "idle" else self.busy).append(took if took is not None else browser.LIMIT_S)


def run(data_dir: Path, articles: int, log: Path, base: Path | None = None, idle_probes: int = 10,
        seed: int = 11, after_s: float = 15.0, browser: bool = False, enrich_workers: int = 1) -> dict[str, Any]:
    """Copy `base` (if given) into `data_dir`, probe idle, then drop `articles` files under a watcher that
    enriches on `enrich_workers` processes. With `browser`, the Actors page is opened in a real browser
    meanwhile (BrowserVisits)."""
    warehouse = data_dir / "lagebild.duckdb"
    data_dir.mkdir(parents=True, exist_ok=True)
    from warehouse.search_index import index_dir

    if base is not None:
        shutil.copyfile(base, warehouse)
    staging, inbox = data_dir / "staging", data_dir / "inbox"
    corpus.write(staging, articles, seed, start=2_000_000)
    if base is not None and index_dir(base).is_dir():  # the base's index, as `lagebild search-rebuild` left it
        shutil.rmtree(index_dir(warehouse), ignore_errors=True)
        shutil.copytree(index_dir(base), index_dir(warehouse))
    else:  # index a copied warehouse before the clock starts
        subprocess.run(lagebild_cmd("search-rebuild"), env=lagebild_env(data_dir), cwd=ROOT, check=True,
                       capture_output=True)
    idle = [probe(data_dir) for _ in range(idle_probes)]
    before = idle[-1][2] or 0
    watcher = Watcher(data_dir, log, LAGEBILD_ENRICH_WORKERS=str(enrich_workers)).start()
    visits: BrowserVisits | None = None
    loads, busy, searches, messages, failures = [], [], [], set(), 0
    failed_with: list[str] = []  # the first line of each failed call's stderr
    finished_at: float | None = None
    try:
        inbox.mkdir(parents=True, exist_ok=True)
        first, *rest = sorted(staging.iterdir())
        os.replace(first, inbox / first.name)  # a running watcher: started, its first batch done
        while probe(data_dir)[2] != before + 1:
            if not watcher.alive():
                raise RuntimeError(f"the watcher exited early; see {log}")
            time.sleep(1.0)
        if browser:  # idle visits while the watcher waits, then visits while it ingests
            visits = BrowserVisits(warehouse).start()
            visits.busy_now()
        for path in rest:
            os.replace(path, inbox / path.name)
        deadline = time.perf_counter() + 3600
        while time.perf_counter() < deadline:
            seconds, code, count, stderr = probe(data_dir)
            busy.append(seconds)
            failures += code != 0
            if code != 0:
                failed_with.append(stderr.splitlines()[0][:300] if stderr else f"exit code {code}")
            messages.update(line for line in stderr.splitlines() if "warehouse" in line)
            searches.append(_search_s(warehouse))
            loads.append(os.getloadavg()[0])
            if finished_at is None and count is not None and count >= before + len(rest) * 0.9 \
                    and not any(inbox.iterdir()):
                finished_at = time.perf_counter()
            if finished_at is not None and time.perf_counter() - finished_at > after_s:
                break
            if not watcher.alive():
                raise RuntimeError(f"the watcher exited early; see {log}")
            time.sleep(INTERVAL)
    finally:
        rss = watcher.stop()
        seen = visits.stop() if visits is not None else None
    text = log.read_text(errors="replace")
    return {
        **({"browser_first_chart": seen} if seen is not None else {}),
        "articles_dropped": articles, "enrich_workers": enrich_workers, "articles_before": before,
        "articles_after": probe(data_dir)[2],
        "idle_s": percentiles([p[0] for p in idle]), "during_ingest_s": percentiles(busy), "failures": failures,
        "failed_with": failed_with[:10],
        "messages": sorted(messages)[:5], "search_during_ingest_s": percentiles(searches),
        "commit_s": percentiles([float(x) for x in _COMMIT.findall(text)]),
        "indexed_after_commit_s": percentiles([float(x) for x in _INDEXED.findall(text)]),
        "load_average": {"min": min(loads, default=0), "max": max(loads, default=0),
                         "mean": sum(loads) / max(len(loads), 1)},
        # the watcher and its worker processes (enrichment runs in them with LAGEBILD_ENRICH_WORKERS ≥ 2, else in
        # the watcher's own process), Prefect's server left out
        "watcher_peak_rss_bytes": rss,
        "watcher_own_peak_rss_bytes": watcher.rss.peak_own if watcher.rss else None,  # the watcher's process alone
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.readers", description=__doc__.split("\n\n")[0])
    p.add_argument("data_dir", type=Path, help="a fresh data folder (the warehouse is created or copied there)")
    p.add_argument("--articles", type=int, default=2000, help="real articles dropped into the inbox (default 2000)")
    p.add_argument("--base", type=Path, help="a warehouse file to copy in first (e.g. one of bench.make_warehouse)")
    p.add_argument("--browser", action="store_true",
                   help="also open the Actors page in headless Chromium, idle and during the ingest (bench/browser.py)")
    p.add_argument("--enrich-workers", type=int, default=1,
                   help="the watcher's enrichment processes (LAGEBILD_ENRICH_WORKERS; default 1: in its own process)")
    args = p.parse_args(argv)
    from bench.__main__ import _stop_on_sigterm

    _stop_on_sigterm()  # a stopped run stops its watcher and dashboard too (they would go on serving stale code)
    out = run(args.data_dir, args.articles, args.data_dir / "watch.log", args.base, browser=args.browser,
              enrich_workers=args.enrich_workers)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
