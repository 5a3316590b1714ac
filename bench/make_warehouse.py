"""Build a warehouse of realistic generated articles through the product's loader, and time its queries.

    python -m bench.make_warehouse data/bench/lagebild.duckdb --articles 100000 [--measure]

Every source article of the shared corpora is enriched once by the product's enrichment (cached
beside the warehouse, see bench/sentence_pool.py); generated articles recombine their real sentences
with the enrichment shifted to the new offsets (bench/compose.py). Batches go through
`Warehouse.commit_batch`, the load step of ingest: near-duplicates and overlaps, summaries, ingest
log, data checks, all in its transaction. The enriched sources are also loaded on their own into
`real-reference/lagebild.duckdb` beside it, for the size per 1,000 articles of real ingestion.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import compose, sentence_pool
from bench.query_cases import query_cases
from bench.util import ROOT, percentiles
from lagebild.article import Article
from lagebild.enrich.model import Enrichment
from lagebild.settings import Settings
from warehouse import Warehouse
from warehouse.batch_commit import BatchRows
from warehouse.load import LogRow, RunRow

PROGRESS_S = 30.0  # a progress line at least this often (and every 10 batches), however slow the machine
POOL_DIR = ROOT / "bench" / "work" / "pool-cache"  # the enriched sentence pool, kept between runs


def _batches(size: int, batch: int, seed: int, pool: sentence_pool.Pool) -> Iterator[list[tuple[Article, Enrichment]]]:
    seen: set[str] = set()
    rows: list[tuple[Article, Enrichment]] = []
    for i in range(size):
        art, e = compose.build(i, seed, pool)
        if art.article_id in seen:  # the same text twice would be a duplicate file, not an article
            continue
        seen.add(art.article_id)
        rows.append((art, e))
        if len(rows) == batch:
            yield rows
            rows = []
    if rows:
        yield rows


def batch_rows(rows: list[tuple[Article, Enrichment]], run_id: str, themes: tuple[tuple[str, str], ...]) -> BatchRows:
    """The rows of one batch as the ingest flow hands them to the load step: each article its own file."""
    now = datetime.now()
    log = [LogRow(a.source_file, hashlib.sha256(a.body.encode()).hexdigest(), "loaded", article_id=a.article_id,
                  destination=f"archive/{a.published_date:%Y-%m}/{Path(a.source_file).name}") for a, _ in rows]
    return BatchRows(RunRow(run_id, None, now, "running"), [a for a, _ in rows], [e for _, e in rows], themes, log,
                     frozenset(a.article_id for a, _ in rows), now)


def load_batch(wh: Warehouse, rows: list[tuple[Article, Enrichment]], run_id: str,
               themes: tuple[tuple[str, str], ...]) -> int:
    """One batch through the load step (Warehouse.commit_batch), as the ingest flow calls it."""
    return wh.commit_batch(batch_rows(rows, run_id, themes))


def generate(target: Path, articles: int = 100_000, seed: int = 7, batch: int = 1000,
             pool_limit: int | None = None, say: Callable[[str], None] = print,
             pool_dir: Path = POOL_DIR) -> dict[str, Any]:
    """Create `target` from scratch with `articles` generated articles; returns timings and sizes."""
    for p in (target, target.with_name(target.name + ".wal")):
        p.unlink(missing_ok=True)
    settings = Settings.load({"LAGEBILD_DATA_DIR": str(target.parent)})
    started = time.perf_counter()
    pool = sentence_pool.cached(settings, pool_dir, pool_limit)
    say(f"sentence pool: {len(pool.bodies)} sources, {len(pool.actors)} actors ({time.perf_counter() - started:.0f} s)")
    gc.collect()
    gc.freeze()  # the pool lives as long as the build: collections need not walk its millions of objects
    wh = Warehouse(str(target), lock_timeout=60)
    wh.initialise()
    started, loaded, stats = time.perf_counter(), 0, {"mentions": 0, "quotes": 0, "sentences": 0}
    said = started  # when progress was last reported
    commits: list[float] = []  # seconds of each load transaction
    for n, rows in enumerate(_batches(articles, batch, seed, pool)):
        begun = time.perf_counter()
        loaded += load_batch(wh, rows, f"bench-{n:06d}", pool.themes)
        commits.append(time.perf_counter() - begun)
        for key in stats:
            stats[key] += sum(len(getattr(e, key)) for _, e in rows)
        if n % 10 == 9 or time.perf_counter() - said >= PROGRESS_S:
            said = time.perf_counter()
            say(f"{loaded:>9,} articles  {said - started:7.0f} s  last load transaction "
                f"{commits[-1]:.2f} s  load average {os.getloadavg()[0]:.1f}")
    seconds = time.perf_counter() - started
    fold_s = fold_by_month(wh, say)
    nbytes = target.stat().st_size
    out = {"articles": loaded, "seconds": seconds, "articles_per_s": loaded / seconds, "bytes": nbytes,
           "bytes_per_1000_articles": nbytes / max(1, loaded) * 1000,
           "mentions_per_article": stats["mentions"] / max(1, loaded),
           "quotes_per_article": stats["quotes"] / max(1, loaded),
           "sentences_per_article": stats["sentences"] / max(1, loaded),
           "commit_s": percentiles(commits), "fold_s": fold_s, "last_commits_s": [round(c, 2) for c in commits[-5:]],
           "pool_enrich_s": pool.enrich_seconds, "pool_sources": len(pool.bodies),
           "real_reference": real_reference(
               pool_dir / f"real-{pool.enrich_version[:16]}-{pool_limit or 'all'}" / "lagebild.duckdb", pool)}
    out.update(_table_counts(target))
    build_record(target).write_text(json.dumps(out, indent=1, default=str), encoding="utf-8")
    return out


def build_record(target: Path) -> Path:
    """Where `generate` leaves its figures beside the warehouse, for a later run that reuses the file."""
    return target.with_name(target.name + ".build.json")


def built_before(target: Path) -> dict[str, Any] | None:
    """The figures `generate` left beside `target`, if it built the file."""
    record = build_record(target)
    return json.loads(record.read_text(encoding="utf-8")) if record.exists() else None


def fold_by_month(wh: Warehouse, say: Callable[[str], None] = print) -> dict[str, float]:
    """Fold the summary rows the batches appended, one month per transaction, as the watcher does when it has
    nothing to load (flows/idle_fold.py); returns the seconds in all and of the slowest month."""
    from warehouse.summaries import fold_summaries

    with wh.connect(read_only=True) as con:
        months = [r[0] for r in con.execute("SELECT DISTINCT date_trunc('month', published_date)::DATE FROM articles "
                                            "ORDER BY 1").fetchall()]
    started, slowest = time.perf_counter(), 0.0
    said = started  # when progress was last reported
    for n, month in enumerate(months, 1):
        begun = time.perf_counter()
        with wh.transaction() as con:
            fold_summaries(con, [month])
        slowest = max(slowest, time.perf_counter() - begun)
        if n % 10 == 0 or time.perf_counter() - said >= PROGRESS_S:
            said = time.perf_counter()
            say(f"folding: {n} of {len(months)} months, {said - started:.0f} s, last month {month} "
                f"{said - begun:.2f} s, load average {os.getloadavg()[0]:.1f}")
    seconds = time.perf_counter() - started
    say(f"summaries folded: {len(months)} months in {seconds:.0f} s (slowest month {slowest:.2f} s)")
    return {"seconds": round(seconds, 2), "slowest_month_s": round(slowest, 3), "months": len(months)}


def real_reference(target: Path, pool: sentence_pool.Pool) -> dict[str, Any]:
    """The enriched source articles themselves, loaded by the same loader: real ingestion's size."""
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        wh = Warehouse(str(target), lock_timeout=60)
        wh.initialise()
        rows = list(pool.real)
        for n in range(0, len(rows), 1000):
            load_batch(wh, rows[n:n + 1000], f"real-{n:06d}", pool.themes)
    with Warehouse(str(target)).connect(read_only=True) as con:
        count = con.execute("SELECT count(*) FROM articles").fetchone()
        mentions = con.execute("SELECT count(*) FROM mentions").fetchone()
    articles = int(count[0]) if count else 0
    return {"articles": articles, "bytes": target.stat().st_size,
            "bytes_per_1000_articles": target.stat().st_size / max(1, articles) * 1000,
            "mentions_per_article": (int(mentions[0]) if mentions else 0) / max(1, articles)}


def _table_counts(target: Path) -> dict[str, Any]:
    with Warehouse(str(target)).connect(read_only=True) as con:
        row = con.execute(
            """SELECT (SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL),
                      (SELECT count(*) FROM "overlaps"), (SELECT count(*) FROM actors),
                      (SELECT count(DISTINCT published_date) FROM articles),
                      (SELECT min(published_date) FROM articles), (SELECT max(published_date) FROM articles)"""
        ).fetchone()
    assert row is not None
    return {"copies": row[0], "overlaps": row[1], "actors": row[2], "days": row[3],
            "first_day": str(row[4]), "last_day": str(row[5])}


def time_queries(target: Path, repeat: int, kept_open: bool = False) -> dict[str, Any]:
    """p50/p95/max in ms of each dashboard query, `repeat` calls each (a new connection every call, as the
    dashboard's reads open one; with `kept_open`, every query on one connection opened before: what a
    reader that kept the warehouse open would take)."""
    if kept_open:  # the dashboard's mechanism (warehouse/kept_reader.py)
        from warehouse import kept_reader

        kept_reader.enable()
        try:
            return time_queries(target, repeat)
        finally:
            kept_reader.disable()
    out: dict[str, Any] = {}
    for name, fn in query_cases(target).items():
        fn()  # first call: file cache warm-up, not counted
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            fn()
            times.append(1000 * (time.perf_counter() - started))
        out[name] = percentiles(times)
    out["load_average"] = list(os.getloadavg())
    return out


def print_timings(timings: dict[str, Any], target: Path | None = None) -> None:
    """The table of timings; with `target`, a line saying when search had no index to read."""
    print(f"{'query':<32} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, q in timings.items():
        if name != "load_average":
            print(f"{name:<32} {q['p50']:8.0f} {q['p95']:8.0f} {q['max']:8.0f}", flush=True)
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in timings["load_average"]))
    if target is not None and "search" in timings and not has_search_index(target):
        print("search: no search index beside the warehouse, so it timed the ILIKE fallback "
              "(--search-index builds the index the watcher keeps)")


def has_search_index(target: Path) -> bool:
    from warehouse.search import index_stamp

    return index_stamp(target) != 0


def build_search_index(target: Path, say: Callable[[str], None]) -> int:
    """Index every article for search, as the load step keeps the index; returns the articles indexed."""
    from warehouse import search_index

    started = time.perf_counter()
    indexed = search_index.rebuild(target, timeout=3600)
    say(f"search index: {indexed} articles in {time.perf_counter() - started:.0f} s")
    return indexed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.make_warehouse", description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path, help="DuckDB file to (re)create, e.g. data/bench-100k/lagebild.duckdb")
    parser.add_argument("--articles", type=int, default=100_000, help="generated articles (default 100000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--batch", type=int, default=1000, help="articles per load transaction (default 1000)")
    parser.add_argument("--pool-limit", type=int, default=None, help="enrich only the first N sources (tests)")
    parser.add_argument("--measure", action="store_true", help="time the dashboard's queries (p50/p95/max)")
    parser.add_argument("--repeat", type=int, default=20, help="runs per query with --measure (default 20)")
    parser.add_argument("--keep", action="store_true", help="reuse an existing warehouse instead of regenerating")
    parser.add_argument("--while-writing", action="store_true",
                        help="with --measure: while another process holds a write transaction open on the "
                             "warehouse (bench/hold_writer.py), so every query is answered by that writer")
    parser.add_argument("--kept-open", action="store_true",
                        help="with --measure: every query on one connection kept open, as the dashboard keeps "
                             "it (warehouse/kept_reader.py); without it, a new connection per call")
    parser.add_argument("--search-index", action="store_true",
                        help="build the full-text search index beside the warehouse (what the watcher keeps); "
                             "without one, --measure times search's ILIKE fallback")
    parser.add_argument("--pool-dir", type=Path, default=POOL_DIR, help=f"sentence pool cache (default {POOL_DIR})")
    args = parser.parse_args(argv)
    args.target.parent.mkdir(parents=True, exist_ok=True)
    if not (args.keep and args.target.exists()):
        stats = generate(args.target, args.articles, args.seed, args.batch, args.pool_limit,
                         lambda line: print(line, flush=True), args.pool_dir)
        for key, value in stats.items():
            print(f"{key:<24} {value}")
    if args.search_index:
        build_search_index(args.target, lambda line: print(line, flush=True))
    if args.measure and args.while_writing:
        from bench.hold_writer import holding

        with holding(args.target):
            print_timings(time_queries(args.target, args.repeat), args.target)
    elif args.measure:
        print_timings(time_queries(args.target, args.repeat, args.kept_open), args.target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
