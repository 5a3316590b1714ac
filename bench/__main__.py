"""python -m bench: throughput, latency, dashboard and growth benchmarks → bench/results.json + BENCHMARKS.md."""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import corpus, dashboard, growth, latency, readers, report, search, throughput
from bench.util import ROOT, commit_id, machine

SECTIONS = ("throughput", "latency", "dashboard", "growth", "search", "readers")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__,
        epilog="Default run (several hours on a busy 2-core machine: the 100k warehouse alone loads at "
               "about 27 articles/s there): throughput at 10,000 articles, latency on that "
               "10k warehouse (100 single files, a burst of 1,000), dashboard queries on generated warehouses of "
               "10k and 100k articles (bench/make_warehouse.py, through the loader), "
               "watcher backfill at 1,000 and 10,000 articles. Add 100,000 with --sizes 1000,10000,100000 "
               "(about 30 min more). --quick: 100 articles and a few files, a few minutes.")
    p.add_argument("--sizes", default=None, help="backfill sizes for the growth run "
                   "(default 1000,10000; --quick: 100)")
    p.add_argument("--compare-size", type=int, default=None,
                   help="corpus size of the side-by-side throughput run (default 10000; --quick: 100)")
    p.add_argument("--workers", type=int, default=2, help="enrichment processes compared against one (default 2)")
    p.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated subset of {','.join(SECTIONS)}")
    p.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run of every step")
    p.add_argument("--dashboard-sizes", default=None,
                   help="generated warehouse sizes, comma-separated (default 10000,100000; --quick: 500)")
    p.add_argument("--repeat", type=int, default=None, help="runs per dashboard query (default 20)")
    p.add_argument("--seed", type=int, default=7, help="corpus seed (default 7)")
    p.add_argument("--search-sizes", default=None, help="sizes of the search comparison (default 10000,100000; "
                   "--quick: 2000)")
    p.add_argument("--reader-articles", type=int, default=None, help="articles dropped under a watcher while "
                   "readers query (default 2000; --quick: 50)")
    p.add_argument("--readers-base", type=Path, default=None, help="a warehouse file the readers run starts from "
                   "(e.g. one of bench.make_warehouse; default: an empty warehouse)")
    p.add_argument("--readers-browser", action="store_true", help="after the readers run, a second one that also "
                   "opens the Actors page in headless Chromium on the same cores, idle and during the ingest (its "
                   "first chart; `make browser` installs Chromium)")
    p.add_argument("--browser-visits", type=int, default=None, help="visits per page of the dashboard section's "
                   "first-chart timing in headless Chromium, at its largest size (default 5; --quick: 2; 0: none)")
    p.add_argument("--workdir", type=Path, default=None, help="scratch folder (default: a temporary folder)")
    p.add_argument("--keep", action="store_true", help="keep the scratch folder")
    p.add_argument("--reuse", type=Path, action="append", default=[],
                   help="copy the sections not run now from this earlier results.json (repeatable: the first "
                   "file that holds a section without an error gives it)")
    p.add_argument("--results", type=Path, default=ROOT / "bench" / "results.json", help="JSON output")
    p.add_argument("--markdown", type=Path, default=ROOT / "BENCHMARKS.md", help="Markdown output ('-': none)")
    args = p.parse_args(argv)
    q = args.quick
    args.sizes = [int(s) for s in (args.sizes or ("100" if q else "1000,10000")).split(",") if s]
    args.compare_size = args.compare_size or (100 if q else 10_000)
    args.browser_visits = (2 if q else 5) if args.browser_visits is None else args.browser_visits
    args.dashboard_sizes = [int(x) for x in (args.dashboard_sizes or ("500" if q else "10000,100000")).split(",")]
    args.repeat = args.repeat or (3 if q else 20)
    args.singles, args.burst = (3, 20) if q else (100, 1_000)
    args.search_sizes = [int(s) for s in (args.search_sizes or ("2000" if q else "10000,100000")).split(",") if s]
    args.reader_articles = args.reader_articles or (50 if q else 2_000)
    args.only = [s for s in args.only.split(",") if s]
    unknown = set(args.only) - set(SECTIONS)
    if unknown:
        p.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    return args


class Stopped(KeyboardInterrupt):
    """The run was stopped by a signal (SIGTERM); handled like Ctrl-C."""


# The stops that the SIGTERM handler raised. Code that catches every exception of what it runs (Streamlit's
# AppTest in the dashboard section runs the page in the main thread) can swallow the one raised there:
# `section` looks here when its benchmark returns.
_requested: list[Stopped] = []


def _stop_on_sigterm() -> None:
    _requested.clear()  # a new run (the tests run several in one process)

    def handler(signum: int, frame: object) -> None:
        stop = Stopped("SIGTERM")
        _requested.append(stop)
        raise stop

    signal.signal(signal.SIGTERM, handler)


def mark_partial(results: dict[str, Any], reason: str) -> None:
    """Record why the results are incomplete; BENCHMARKS.md shows it above every figure."""
    results.setdefault("partial", [])
    results["partial"].append(reason)


def _stop_behind(exc: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C or SIGTERM that a library turned into another error (DuckDB: 'Query interrupted')."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _stopped(results: dict[str, Any], name: str, stop: KeyboardInterrupt, started: float,
             save: Callable[[], None], progress: dict[str, Any] | None = None) -> None:
    """Save what the run has (with what the stopped section finished, `progress`), marked partial."""
    how = "SIGTERM" if isinstance(stop, Stopped) else "Ctrl-C (KeyboardInterrupt)"
    elapsed = time.perf_counter() - started
    results[name] = {**(progress or {}), "error": f"stopped by {how}", "section_s": elapsed}
    mark_partial(results, f"stopped by {how} during the {name} section after {elapsed:.0f} s; "
                 "later sections did not run")
    save()


def section(results: dict[str, Any], name: str, fn: Callable[[], dict[str, Any]], save: Callable[[], None],
            progress: dict[str, Any] | None = None) -> None:
    """Run one benchmark; a failure is recorded and the others still run; a stop is saved, then raised.
    `progress`: what the benchmark has finished so far (it fills the dict as it goes), kept on a stop."""
    started = time.perf_counter()
    print(f"[bench] {name} …", flush=True)
    try:
        results[name] = fn()
        if _requested:
            raise _requested[-1]  # raised in the benchmark and swallowed there
    except Exception as exc:  # noqa: BLE001 - report and go on (unless it hides a stop)
        stop = _stop_behind(exc) or (_requested[-1] if _requested else None)
        if stop is not None:
            _stopped(results, name, stop, started, save, progress)
            raise stop from exc
        traceback.print_exc()
        results[name] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
        mark_partial(results, f"the {name} section failed: {results[name]['error']}")
    except KeyboardInterrupt as stop:
        _stopped(results, name, stop, started, save, progress)
        raise
    results[name]["section_s"] = time.perf_counter() - started
    print(f"[bench] {name} done in {results[name]['section_s']:.0f} s", flush=True)
    save()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="lagebild-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    log = work / "lagebild.log"
    began = time.perf_counter()
    earlier = _earlier(args.reuse)  # read now: the run saves into its results file after each section
    options = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
    results: dict[str, Any] = {"date": datetime.now().isoformat(timespec="seconds"), "commit": commit_id(),
                               "machine": machine(), "corpus": corpus.KIND,
                               "options": " ".join(_flags(argv)) or "(defaults)",
                               "arguments": options}

    def save() -> None:
        results["total_s"] = time.perf_counter() - began
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
        if str(args.markdown) != "-":
            report.write(results, args.markdown)

    _stop_on_sigterm()
    try:
        _run_sections(args, work, log, results, save)
    except KeyboardInterrupt:
        _reuse(results, earlier)  # the sections asked for from earlier runs are kept by a stopped run too
        save()
        print(f"[bench] stopped: partial results in {args.results}", flush=True)
        return 130
    _reuse(results, earlier)
    save()
    if not (args.keep or args.workdir):
        shutil.rmtree(work, ignore_errors=True)
    print(f"[bench] wrote {args.results}" + ("" if str(args.markdown) == "-" else f" and {args.markdown}"))
    return 0


def _run_sections(args: argparse.Namespace, work: Path, log: Path, results: dict[str, Any],
                  save: Callable[[], None]) -> None:
    size, seed = args.compare_size, args.seed
    if "throughput" in args.only:
        section(results, "throughput", lambda: throughput.run(work, size, seed, args.workers, log,
                                                                    startup=not args.quick), save)
    if "latency" in args.only:
        section(results, "latency", lambda: _latency(work, args, results, log), save)
    if "dashboard" in args.only:
        section(results, "dashboard", lambda: dashboard.run(work, args.dashboard_sizes, args.repeat,
                                                            pool_limit=100 if args.quick else None,
                                                            browser_visits=args.browser_visits), save)
    if "growth" in args.only:
        done: dict[str, Any] = {"runs": []}  # each backfill as it finishes: a stopped run keeps them
        section(results, "growth", lambda: growth.run(work, args.sizes, seed, log, done=done["runs"]), save, done)
    if "search" in args.only:
        section(results, "search", lambda: search.run(work / "search", args.search_sizes, args.repeat, seed), save)
    if "readers" in args.only:  # without a browser, as a server serves users on their own machines
        section(results, "readers", lambda: readers.run(work / "readers", args.reader_articles, work / "readers.log",
                                                        args.readers_base), save)
    if "readers" in args.only and args.readers_browser:  # then again, with Chromium on the same cores
        section(results, "readers_browser", lambda: readers.run(
            work / "readers-browser", args.reader_articles, work / "readers-browser.log", args.readers_base,
            browser=True), save)


def _earlier(paths: list[Path]) -> list[dict[str, Any]]:
    """The results of earlier runs whose sections --reuse copies, in the order given."""
    return [json.loads(path.read_text()) for path in paths]


def _reuse(results: dict[str, Any], earlier: list[dict[str, Any]]) -> None:
    """Sections of earlier runs, each marked with the date and commit of its run; a section that failed
    or was stopped there is taken from the next file."""
    for name in (*SECTIONS, "readers_browser"):
        for run in earlier:
            if name not in results and name in run and "error" not in run[name]:
                results[name] = {"from_run": report.origin_of(run), **run[name]}  # an older origin is kept


def _latency(work: Path, args: argparse.Namespace, results: dict[str, Any], log: Path) -> dict[str, Any]:
    """On the warehouse of the throughput run (or a fresh ingest of the compare-size corpus)."""
    base = work / f"ingest-{args.compare_size}-w1"
    if not (base / "lagebild.duckdb").exists():
        throughput.ingest_rate(_corpus(work, args), base, 1, args.compare_size, log)
    enrich = results.get("throughput", {}).get("b_enrich", {}).get("articles_per_s")
    before = throughput.count_articles(base / "lagebild.duckdb")
    out = latency.run(base, log, args.singles, args.burst, first_index=args.compare_size + 1_000_000,
                      seed=args.seed, enrich_per_s=enrich)
    out["base_articles"] = before
    return out


def _corpus(work: Path, args: argparse.Namespace) -> Path:
    source = work / f"corpus-{args.compare_size}"
    if not source.exists():
        corpus.write(source, args.compare_size, args.seed)
    return source


def _flags(argv: list[str] | None) -> list[str]:
    import sys

    return list(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    raise SystemExit(main())
