"""Generate a large synthetic warehouse (default 100,000 articles, 1,000,000 mentions) in SQL.

    python -m bench.make_warehouse data/bench.duckdb --articles 100000 --mentions 1000000

Distributions: six years of dates with weekday and news-wave variation, 5 % of articles dated
only to the month, 8 % syndicated copies, actor popularity log-uniform (a few actors carry
most mentions), three themes per article from a skewed set of twenty, quotes on half.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from warehouse.db import connect, initialise
from warehouse.summaries import refresh_summaries

SENTENCE = "Die Lage bleibt angespannt, sagte man. "  # 39 characters
SENTENCES_PER_ARTICLE = 20
TITLE_LEN = 16  # 'Artikel 00000001'
KINDS = ["person", "organisation", "country", "place", "group"]
COUNTRIES = ["DE", "RU", "UA", "US", "FR", "PL", "BY", "CN", "GB", None]

STEPS = [
    (
        "actors",
        """INSERT INTO actors
        SELECT 'actor-' || i, 'Akteur ' || i, ($kinds)[1 + i % 5], ($countries)[1 + (i * 7) % 10],
               CASE WHEN i % 10 = 9 THEN 'discovered' ELSE 'registry' END,
               CASE WHEN i % 5 = 0 THEN ['Präsident', 'Minister', 'Sprecher'][1 + i % 3] END
        FROM range($actors) t(i)""",
    ),
    ("themes", """INSERT INTO themes SELECT 'theme-' || i, 'Thema ' || i FROM range(20) t(i)"""),
    (
        "articles",
        """INSERT INTO articles
        SELECT printf('%016x', i), d, CASE WHEN i % 20 = 7 THEN 'month' ELSE 'day' END, NULL,
        printf('Artikel %08d', i), printf('Artikel %08d', i) || chr(10) || chr(10) || repeat($sentence, $spa),
               'bench/' || i || '.txt', NULL, ['dpa', 'AFP', 'Reuters', 'taz', 'FAZ'][1 + i % 5], NULL, 120,
               CASE WHEN i % 25 IN (3, 11) AND i > 100 THEN printf('%016x', i - 1 - (i % 7)) END,
               TIMESTAMP '2025-01-01' + INTERVAL (i) SECOND, 'bench', 'bench'
        FROM (SELECT i, CASE WHEN i % 20 = 7 THEN date_trunc('month', d0)::DATE ELSE d0 END AS d
              FROM (SELECT i, (DATE '2019-01-01' + CAST(floor(2190 * pow(random(), 0.8)) AS INTEGER)) AS d0
                    FROM range($articles) t(i)))""",
    ),
    (
        "sentences",
        """INSERT INTO sentences
        SELECT article_id, s, $title + 2 + s * 39, $title + 2 + (s + 1) * 39
        FROM articles, range($spa) t(s)""",
    ),
    (
        "mentions",
        """INSERT INTO mentions
        SELECT printf('%016x', a), 'actor-' || actor, 'Akteur', s,
               $title + 2 + s * 39 + 4, $title + 2 + s * 39 + 8,
               'alias', CASE WHEN actor % 5 = 0 THEN ['Präsident', 'Minister', 'Sprecher'][1 + actor % 3] END,
               false
        FROM (SELECT CAST(floor(random() * $articles) AS BIGINT) AS a,
                     CAST(floor(exp(random() * ln($actors))) - 1 AS BIGINT) AS actor,
                     CAST(floor(random() * $spa) AS INTEGER) AS s
              FROM range($mentions))""",
    ),
    (
        "article_themes",
        """INSERT INTO article_themes
        SELECT DISTINCT ON (article_id, theme_id) article_id, theme_id, score, ['Lage'] FROM (
            SELECT article_id, 'theme-' || CAST(floor(20 * pow(random(), 2)) AS INTEGER) AS theme_id,
                   round(random(), 2) AS score
            FROM articles, range(3))""",
    ),
    (
        "sentence_themes",
        """INSERT INTO sentence_themes
        SELECT article_id, CAST(floor(random() * $spa) AS INTEGER), theme_id, score, evidence
        FROM article_themes""",
    ),
    (
        "quotes",
        """INSERT INTO quotes
        SELECT article_id, 'actor-' || CAST(floor(exp(random() * ln($actors))) - 1 AS BIGINT),
               'Akteur', 'sagte',
               'Die Lage bleibt angespannt', $title + 2, $title + 2 + 26, 'direct'
        FROM articles WHERE hash(article_id) % 2 = 0""",
    ),
    (
        "ingest",
        """INSERT INTO ingest_runs
        SELECT 'run-' || r, NULL, TIMESTAMP '2025-01-01' + INTERVAL (r * 200) SECOND,
               TIMESTAMP '2025-01-01' + INTERVAL (r * 200 + 30) SECOND, 'completed', 200, 198, 1, 1, 198, NULL
        FROM range($articles // 200) t(r);
        INSERT INTO ingest_log
        SELECT source_file, printf('%064x', 0),
               CASE WHEN hash(article_id) % 500 = 0 THEN 'rejected' ELSE 'loaded' END,
               CASE WHEN hash(article_id) % 500 = 0 THEN 'no date line' END, ingested_at, 'bench', NULL,
               article_id, 'archive/' || source_file
        FROM articles""",
    ),
]


def render(sql: str, values: dict[str, object]) -> str:
    """Fill in $names with SQL literals (only numbers and fixed lists of ours, never user text)."""
    for key in sorted(values, key=len, reverse=True):
        sql = sql.replace("$" + key, str(values[key]))
    return sql


def generate(target: Path, articles: int = 100_000, mentions: int = 1_000_000, actors: int = 2_000) -> None:
    """Create `target` from scratch with the given sizes."""
    if target.exists():
        target.unlink()
    initialise(target)
    values = {
        "articles": articles,
        "mentions": mentions,
        "actors": actors,
        "spa": SENTENCES_PER_ARTICLE,
        "title": TITLE_LEN,
        "sentence": f"'{SENTENCE}'",
        "kinds": str(KINDS),
        "countries": "[" + ", ".join("NULL" if c is None else f"'{c}'" for c in COUNTRIES) + "]",
    }
    with connect(target) as con:
        con.execute("SELECT setseed(0.42)")
        for name, sql in STEPS:
            started = time.perf_counter()
            con.execute(render(sql, values))
            print(f"{name:<16} {time.perf_counter() - started:6.1f} s", flush=True)
        started = time.perf_counter()
        refresh_summaries(con)  # what the load step does after each batch
        print(f"{'summaries':<16} {time.perf_counter() - started:6.1f} s", flush=True)
        con.execute("CHECKPOINT")


def _timings(fn, repeat: int) -> tuple[float, float]:
    """(p50, p95) in milliseconds of `repeat` calls."""
    import statistics

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - started))
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def query_cases(target: Path) -> dict[str, object]:
    """The dashboard's queries with representative arguments."""
    from datetime import date

    from warehouse.queries import drill, listings, pairs, series
    from warehouse.queries.filters import Drill, Filters
    from warehouse.search import search
    from warehouse.status import build_status

    f, top = Filters(), "actor-0"
    month = Drill(actor_id=top, start=date(2023, 3, 1), grain="month")
    return {
        "overview": lambda: build_status(target, runs=1, rejected=20),
        "filter_options": lambda: series.filter_options(target),
        "article_totals week": lambda: series.article_totals(target, "week", f),
        "top_actors": lambda: series.top_actors(target, f, 10),
        "actor_series week top5": lambda: series.actor_series(target, "week", f, 5),
        "actor_series day top5": lambda: series.actor_series(target, "day", f, 5),
        "actor_series month kind+theme": lambda: series.actor_series(
            target, "month", Filters(kinds=("person",), themes=("theme-1",)), 5
        ),
        "theme_series week": lambda: series.theme_series(target, "week", f),
        "actor_theme_matrix": lambda: pairs.actor_theme_matrix(target, f, 12),
        "cooccurrence": lambda: pairs.cooccurrence(target, f, 12),
        "drill_sentences month": lambda: drill.drill_sentences(target, month, f, 100),
        "articles_in_period": lambda: drill.articles_in_period(
            target, Drill(start=date(2023, 3, 6), grain="week"), f
        ),
        "article_detail": lambda: drill.article_detail(target, "0000000000000010"),
        "ingest_files": lambda: listings.ingest_files(target, None, 500),
        "discovered_actors": lambda: listings.discovered_actors(target),
        "search": lambda: search(target, "Lage angespannt", 50),
    }


def measure(target: Path, repeat: int = 7) -> None:
    """Print p50/p95 of every dashboard query and each page's AppTest render time (cold and warm cache)."""
    import os

    print(f"{'query':<32} {'p50 ms':>8} {'p95 ms':>8}")
    for name, fn in query_cases(target).items():
        p50, p95 = _timings(fn, repeat)
        print(f"{name:<32} {p50:8.0f} {p95:8.0f}", flush=True)
    os.environ.update(
        LAGEBILD_DATA_DIR=str(target.parent), LAGEBILD_WAREHOUSE=str(target), LAGEBILD_DASHBOARD_REFRESH="0"
    )
    print(f"{'page (AppTest run)':<32} {'cold ms':>8} {'warm ms':>8}")
    for page, query in (
        ("overview", {}),
        ("actors", {}),
        ("actors", {"grain": "day", "pick": "actor-0", "at": "2023-03-06"}),
        ("themes", {}),
        ("article", {"id": "0000000000000010"}),
        ("search", {"q": "Lage"}),
        ("ingest", {}),
        ("sql", {"run": "1"}),
        ("review", {}),
    ):
        cold, warm = _render(page, query)
        label = page + (" " + ",".join(f"{k}={v}" for k, v in query.items()) if query else "")
        print(f"{label[:32]:<32} {cold:8.0f} {warm:8.0f}", flush=True)


def _render(page: str, query: dict[str, str]) -> tuple[float, float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    app = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
    st.cache_data.clear()
    at = AppTest.from_file(str(app), default_timeout=120)
    at.switch_page(f"pages/{page}.py")
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path, help="DuckDB file to (re)create")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--actors", type=int, default=2_000)
    parser.add_argument("--fts", action="store_true", help="also build the full-text index")
    parser.add_argument("--measure", action="store_true", help="time the dashboard's queries and pages")
    parser.add_argument("--keep", action="store_true", help="reuse an existing file instead of regenerating")
    args = parser.parse_args()
    if not (args.keep and args.target.exists()):
        generate(args.target, args.articles, args.mentions, args.actors)
    if args.fts:
        from warehouse.search import rebuild_index

        started = time.perf_counter()
        rebuild_index(args.target)
        print(f"{'fts index':<16} {time.perf_counter() - started:6.1f} s")
    if args.measure:
        measure(args.target)


if __name__ == "__main__":
    main()
