"""Search at growing sizes: the tantivy index the product uses against two DuckDB-native designs.

Realistic articles (bench/corpus.py: real German paragraphs recombined, each text distinct) are stored
run by run (1,000 articles per run, as the watcher's batches), and after each run:
- tantivy: `search_index.index_runs` (the load step's call) — the time until the run is searchable;
- own inverted index in DuckDB: the run's stemmed terms inserted into a `search_terms` table in one
  transaction (DuckDB's own `stem(word, 'german')`), as a load transaction would;
- DuckDB fts: `PRAGMA create_fts_index` over the whole table, the full rebuild the product did before
  (only at the measured sizes, as it was throttled).
At each measured size every design answers the same queries (`repeat` times each): p50/p95/max.

    python -m bench.search --sizes 10000,100000
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.util import percentiles
from lagebild.parse import parse_file

QUERIES = ("Regierung", "Sanktionen Russland", "Flüchtlinge", "Wahlergebnis", "Bundeskanzler",
           "Klimawandel Energie", "Polizei Festnahme", "Gericht Urteil", "Fußball Trainer", "Börse Aktien")
RUN = 1_000  # articles per run, as one watcher batch
_TERMS = """SELECT stem(w, 'german') AS term, article_id, count(*)::INTEGER AS tf FROM (
                SELECT article_id, unnest(regexp_split_to_array(lower(title || ' ' || body), '[^[:alnum:]äöüß]+')) AS w
                FROM articles WHERE run_id = ?) WHERE length(w) BETWEEN 1 AND 40 GROUP BY ALL"""
_BM25 = """WITH q AS (SELECT DISTINCT stem(unnest(?::VARCHAR[]), 'german') AS term),
           n AS (SELECT count(*) AS docs, avg(len) AS avglen FROM search_docs),
           df AS (SELECT t.term, count(*) AS df FROM search_terms t JOIN q USING (term) GROUP BY ALL)
           SELECT t.article_id, sum(ln(1 + (n.docs - df.df + 0.5) / (df.df + 0.5))
                  * t.tf * 2.2 / (t.tf + 1.2 * (0.25 + 0.75 * d.len / n.avglen))) AS score
           FROM search_terms t JOIN df USING (term) JOIN search_docs d USING (article_id), n
           GROUP BY ALL ORDER BY score DESC LIMIT 50"""


def _runs(size: int, seed: int) -> Iterator[list[dict[str, object]]]:
    from bench import corpus
    from warehouse.load import article_rows

    now, seen = datetime.now(), set[str]()
    for start in range(0, size, RUN):
        batch = [a for name, text in corpus.articles(min(RUN, size - start), seed, start)
                 for a in parse_file(name, text.encode()).articles]
        fresh = [a for a in batch if a.article_id not in seen]  # an identical copy is stored once
        seen.update(a.article_id for a in fresh)
        yield article_rows(fresh, {}, f"run-{start // RUN:05d}", {}, now)


def _timed(fn: Callable[[], object], repeat: int) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return percentiles(times)


def _worst(stats: list[dict[str, float]]) -> dict[str, float]:
    """Over all queries: the highest p50, p95 and max."""
    return {k: max(s[k] for s in stats) for k in ("p50", "p95", "max")}


def run(work: Path, sizes: list[int], repeat: int = 20, seed: int = 7,
        compare_upto: int = 10_000) -> dict[str, Any]:
    """Grow one warehouse run by run; measure each design at each size in `sizes` (corpus articles
    generated; the few identical copies among them are stored once). The two DuckDB designs are kept and
    measured up to `compare_upto` articles only: they are far slower."""
    from warehouse import search_index
    from warehouse.db import connect, initialise
    from warehouse.load import insert_articles

    work.mkdir(parents=True, exist_ok=True)
    target = work / "search-bench.duckdb"
    initialise(target)
    with connect(target) as con:
        con.execute("CREATE TABLE search_terms (term VARCHAR, article_id VARCHAR, tf INTEGER)")
        con.execute("CREATE TABLE search_docs (article_id VARCHAR, len INTEGER)")
    out: dict[str, Any] = {"queries": list(QUERIES), "repeat": repeat, "articles_per_run": RUN, "sizes": {}}
    generated, tantivy_s, terms_s = 0, list[float](), list[float]()
    for rows in _runs(max(sizes), seed):
        run_id = str(rows[0]["run_id"])
        terms = generated < compare_upto
        with connect(target) as con:
            insert_articles(con, rows)
            if terms:
                _fts_loaded(con)
                began = time.perf_counter()
                con.execute("BEGIN")
                con.execute(f"INSERT INTO search_terms {_TERMS}", [run_id])
                con.execute("INSERT INTO search_docs SELECT article_id, sum(tf) FROM search_terms "
                            "WHERE article_id IN (SELECT article_id FROM articles WHERE run_id = ?) GROUP BY ALL",
                            [run_id])
                con.execute("COMMIT")
                terms_s.append(time.perf_counter() - began)
        began = time.perf_counter()
        search_index.index_runs(target, [run_id])
        tantivy_s.append(time.perf_counter() - began)
        generated += RUN
        if generated in sizes:
            compared = generated <= compare_upto
            out["sizes"][str(generated)] = _measure(target, repeat, tantivy_s, terms_s, compared, compared)
            print(f"[search] {generated:,} articles: {json.dumps(out['sizes'][str(generated)])}", flush=True)
    return out


def _fts_loaded(con: Any) -> None:
    """DuckDB's fts extension (for `stem` and the old index), from the offline wheel."""
    import importlib.util

    import duckdb

    spec = importlib.util.find_spec("duckdb_extension_fts")
    roots = spec.submodule_search_locations if spec and spec.submodule_search_locations else []
    found = [p for r in roots for p in Path(r).rglob(f"v{duckdb.__version__}/**/fts.duckdb_extension")]
    if not found:
        raise RuntimeError("duckdb-extension-fts is not installed (it is pinned in requirements.lock)")
    con.execute(f"INSTALL '{found[0]}'")
    con.execute("LOAD fts")


def _measure(target: Path, repeat: int, tantivy_s: list[float], terms_s: list[float], fts: bool,
             terms: bool) -> dict[str, Any]:
    from warehouse import search_index
    from warehouse.db import connect
    from warehouse.search import search

    last = slice(-5, None)  # the last five runs before this size
    result: dict[str, Any] = {
        "load_average": os.getloadavg()[0], "warehouse_mb": target.stat().st_size / 1e6,
        "tantivy": {"run_indexed_s": percentiles(tantivy_s[last]),
                    "search_s": _worst([_timed(lambda q=q: search(target, q, 50), repeat) for q in QUERIES]),
                    "index_mb": _mb(search_index.index_dir(target))},
    }
    with connect(target, read_only=True) as con:
        _fts_loaded(con)
        result["stored"] = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        if terms:
            result["duckdb_terms"] = {
                "run_inserted_s": percentiles(terms_s[last]),
                "search_s": _worst([_timed(lambda q=q: con.execute(_BM25, [q.split()]).fetchall(), repeat)
                                    for q in QUERIES]),
                "rows": con.execute("SELECT count(*) FROM search_terms").fetchone()[0]}
    if fts:
        result["duckdb_fts"] = _fts(target, repeat)
    return result


def _fts(target: Path, repeat: int) -> dict[str, Any]:
    """The former design: DuckDB fts rebuilt in full, and its search."""
    from warehouse.db import connect

    with connect(target) as con:
        _fts_loaded(con)
        began = time.perf_counter()
        con.execute("PRAGMA create_fts_index('articles', 'article_id', 'title', 'body', stemmer='german', "
                    "stopwords='none', overwrite=1)")
        rebuild = time.perf_counter() - began
        query = ("SELECT article_id FROM (SELECT article_id, fts_main_articles.match_bm25(article_id, ?) AS s "
                 "FROM articles) WHERE s IS NOT NULL ORDER BY s DESC LIMIT 50")
        return {"full_rebuild_s": rebuild, "search_s": _worst(
            [_timed(lambda q=q: con.execute(query, [q]).fetchall(), repeat) for q in QUERIES])}


def _mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) / 1e6


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="10000", help="comma-separated sizes to measure at (default 10000)")
    p.add_argument("--repeat", type=int, default=20, help="runs per query (default 20)")
    p.add_argument("--workdir", type=Path, default=Path("/tmp/lagebild-search-bench"), help="scratch folder")
    p.add_argument("--compare-upto", type=int, default=10_000,
                   help="measure the two DuckDB designs up to this size only (default 10000; 0: tantivy alone)")
    args = p.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    out = run(args.workdir, sizes, args.repeat, compare_upto=args.compare_upto)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
