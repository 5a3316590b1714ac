"""The load step's cost at a warehouse's size: seconds per transaction and per checkpoint, on a copy.

    python -m bench.load_cost data/bench-100k/lagebild.duckdb [--articles 100] [--transactions 3]

Generated articles (bench/compose.py, with another seed than bench/make_warehouse.py's) go through
`BatchWriter.commit_batch`, the load step of ingest, on a copy of the warehouse, with the writer's
memory limit (`--memory`, LAGEBILD_WRITER_MEMORY's default). Each transaction has a connection of its
own, as when a reader waits between two: closing it is DuckDB's checkpoint, timed apart. With
`--one-connection` they share one, as a batch's transactions do in the watcher. With `--corpus START`
the articles are those of the growth run's corpus (bench/corpus.py) from number START on, enriched first
(outside the timing) by the product's enrichment: the passages and names they share with the stored
articles are those of a growth run's next batch. The process's resident memory before each transaction
and its peak during it are printed too (Linux). With `--statements`, every SQL statement of the load step is
timed and the slowest (summed over the transactions, by the code line that ran them) are printed: where the
transaction's time goes at this size.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
import traceback
from collections import defaultdict
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path

from bench import corpus, make_warehouse, sentence_pool
from bench.util import peak_rss_reset, percentiles, rss_now
from lagebild.article import Article
from lagebild.enrich.model import Enrichment
from lagebild.settings import Settings
from warehouse import Warehouse, batch_commit

SEED = 4242  # not make_warehouse's 7: new texts, not copies of stored ones


def corpus_batches(settings: Settings, start: int, articles: int, transactions: int, stored: Iterable[str] = (),
                   seed: int = 7) -> list[list[tuple[Article, Enrichment]]]:
    """`transactions` lists of `articles` (article, enrichment) pairs: bench/corpus.py's articles from `start`,
    each text once and none of the `stored` article ids (as the ingest flow's plan leaves them out)."""
    from lagebild.parse import parse_file
    from lagebild.resources import enrich_with_defaults

    seen = set(stored)
    arts = []
    for name, text in corpus.articles(articles * transactions, seed, start):
        for a in parse_file(name, text.encode()).articles:
            if a.article_id not in seen:
                seen.add(a.article_id)
                arts.append(a)
    pairs = list(zip(arts, enrich_with_defaults(settings, arts), strict=True))
    return [pairs[i:i + articles] for i in range(0, len(pairs), articles)]


class TimedConnection:
    """A DuckDB connection whose `execute` calls are timed, summed by the line of the warehouse's code that
    made them (the first frame outside this file); everything else passes through."""

    def __init__(self, con: object, seconds: dict[str, float], calls: dict[str, int]) -> None:
        self._con, self._seconds, self._calls = con, seconds, calls

    def execute(self, *args: object, **kwargs: object) -> object:
        began = time.perf_counter()
        try:
            self._con.execute(*args, **kwargs)  # type: ignore[attr-defined]
        finally:
            where = _caller()
            self._seconds[where] += time.perf_counter() - began
            self._calls[where] += 1
        return self

    def __getattr__(self, name: str) -> object:
        return getattr(self._con, name)


def _caller() -> str:
    for frame in reversed(traceback.extract_stack()[:-2]):
        if frame.filename != __file__:
            return f"{Path(frame.filename).parent.name}/{Path(frame.filename).name}:{frame.lineno} {frame.name}"
    return "?"


def measure(source: Path, articles: int, transactions: int, memory: str | None,
            pool: sentence_pool.Pool | None = None, one_connection: bool = False,
            corpus_start: int | None = None, statements: bool = False) -> dict[str, object]:
    """Load `transactions` transactions of `articles` generated articles into a copy of `source` (from
    `pool`, by default the whole enriched sentence pool of make_warehouse), or of bench/corpus.py's
    articles from number `corpus_start` on."""
    with tempfile.TemporaryDirectory(prefix="lagebild-load-cost-") as tmp:
        target = Path(tmp) / "lagebild.duckdb"
        shutil.copyfile(source, target)
        settings = Settings.load({"LAGEBILD_DATA_DIR": tmp})
        batches: Iterable[list[tuple[Article, Enrichment]]]
        if corpus_start is None:
            pool = pool or sentence_pool.cached(settings, make_warehouse.POOL_DIR, None)
            themes = pool.themes
            batches = make_warehouse._batches(articles * transactions, articles, SEED, pool)
        wh = Warehouse(str(target), lock_timeout=60, batch_memory=memory)
        wh.initialise()  # a warehouse of an earlier version is migrated first, outside the timing
        if corpus_start is not None:
            from lagebild.resources import theme_rows

            with wh.connect(read_only=True) as con:
                stored = [r[0] for r in con.execute("SELECT article_id FROM articles").fetchall()]
            themes, batches = tuple(theme_rows()), corpus_batches(settings, corpus_start, articles, transactions,
                                                                  stored)
        commits, closes, before, peaks = [], [], [], []
        # statements by the transaction they ran in: the first (the process's first-time costs) apart
        seconds: list[dict[str, float]] = [defaultdict(float), defaultdict(float)]
        calls: list[dict[str, int]] = [defaultdict(int), defaultdict(int)]
        with ExitStack() as shared:
            writer = shared.enter_context(wh.writer()) if one_connection else None
            for n, rows in enumerate(batches):
                batch = make_warehouse.batch_rows(rows, f"load-cost-{n}", themes)
                with ExitStack() as own:
                    w = writer or own.enter_context(wh.writer())
                    before.append(rss_now())
                    peak_rss_reset()
                    began = time.perf_counter()
                    if statements:  # the transaction of BatchWriter.commit_batch, its connection timed
                        with w.transaction() as con:
                            timed = TimedConnection(con, seconds[n > 0], calls[n > 0])
                            batch_commit.commit_batch(timed, batch)  # type: ignore[arg-type]
                    else:
                        w.commit_batch(batch)
                    committed = time.perf_counter()
                    peaks.append(rss_now(peak=True))
                closed = time.perf_counter()
                commits.append(committed - began)
                closes.append(closed - committed)
                print(f"transaction {n + 1}: {len(rows)} articles, {commits[-1]:.2f} s, "
                      + ("" if one_connection else f"checkpoint on close {closes[-1]:.2f} s, ")
                      + f"RSS before {_mib(before[-1])}, peak {_mib(peaks[-1])}", flush=True)
        added = wh.count_articles()
    return {"articles_per_transaction": articles, "transaction_s": percentiles(commits),
            **({} if one_connection else {"checkpoint_s": percentiles(closes)}),
            "rss_before_mib": [round(b / 2**20) for b in before], "rss_peak_mib": [round(p / 2**20) for p in peaks],
            "articles_after": added, "load_average": os.getloadavg()[0],
            **({"statements": _by_time(seconds[1] if transactions > 1 else seconds[0],
                                       calls[1] if transactions > 1 else calls[0]),
                "statements_first": _by_time(seconds[0], calls[0])} if statements else {})}


def _by_time(seconds: dict[str, float], calls: dict[str, int]) -> dict[str, tuple[float, int]]:
    return {where: (round(spent, 4), calls[where]) for where, spent in sorted(seconds.items(), key=lambda kv: -kv[1])}


def _mib(value: int) -> str:
    return f"{value / 2**20:,.0f} MiB" if value else "–"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load_cost", description=__doc__.split("\n\n")[0])
    parser.add_argument("warehouse", type=Path, help="DuckDB file to copy (e.g. one of bench.make_warehouse)")
    parser.add_argument("--articles", type=int, default=100, help="articles per transaction (default 100)")
    parser.add_argument("--transactions", type=int, default=3, help="transactions to time (default 3)")
    parser.add_argument("--one-connection", action="store_true",
                        help="the transactions share one connection, as a batch's do in the watcher")
    parser.add_argument("--memory", default=Settings().writer_memory,
                        help="the writer's DuckDB memory limit ('none': DuckDB's default; default %(default)s)")
    parser.add_argument("--corpus", type=int, metavar="START", dest="corpus_start",
                        help="load the growth run's corpus articles from number START on (e.g. the warehouse's "
                             "size) instead of generated ones")
    parser.add_argument("--statements", action="store_true",
                        help="time every SQL statement of the load step and print the slowest")
    args = parser.parse_args(argv)
    if not args.warehouse.is_file():
        parser.error(f"no warehouse file at {args.warehouse}: build one with python -m bench.make_warehouse")
    memory = None if args.memory.lower() == "none" else args.memory
    out = measure(args.warehouse, args.articles, args.transactions, memory, one_connection=args.one_connection,
                  corpus_start=args.corpus_start, statements=args.statements)
    slowest, first = out.pop("statements", {}), out.pop("statements_first", {})
    for key, value in out.items():
        print(f"{key:26s} {value}")
    if isinstance(slowest, dict) and slowest:
        which = (f"transactions 2-{args.transactions} (the first, which pays the process's first-time costs, below)"
                 if args.transactions > 1 else "the transaction")
        _print_statements(f"SQL statements of the load step by the line that ran them, summed over {which}",
                          slowest, 25)
    if args.transactions > 1 and isinstance(first, dict) and first:
        _print_statements("The first transaction's", first, 5)
    return 0


def _print_statements(title: str, lines: dict[str, tuple[float, int]], top: int) -> None:
    total = sum(spent for spent, _ in lines.values())
    print(f"{title} ({total:.2f} s in all), the slowest {top}:")
    for where, (spent, calls) in list(lines.items())[:top]:
        print(f"  {spent:7.2f} s {spent / total:6.1%} {calls:5d}x  {where}")


if __name__ == "__main__":
    raise SystemExit(main())
