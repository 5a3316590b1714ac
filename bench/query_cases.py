"""The dashboard's queries with representative arguments taken from the warehouse itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from warehouse.db import connect

SEARCH = "Regierung Kritik"  # two common words of the corpora
# The cases that read raw rows (sentences, articles, files) or the search index instead of a summary table:
# the growth target for summary-backed queries does not apply to them.
RAW_ROWS = frozenset({"drill_sentences month", "articles_in_period", "article_detail", "recent_articles",
                      "ingest_files", "search"})


def picks(target: Path) -> dict[str, str]:
    """The most mentioned actor, the most frequent theme, a person, and one article with many mentions."""
    with connect(target, read_only=True, timeout=60) as con:
        def one(sql: str) -> str:
            row = con.execute(sql).fetchone()
            return str(row[0]) if row else ""

        return {
            "actor": one("SELECT actor_id FROM mentions GROUP BY ALL ORDER BY count(*) DESC, actor_id LIMIT 1"),
            "theme": one("SELECT theme_id FROM article_themes GROUP BY ALL ORDER BY count(*) DESC, theme_id LIMIT 1"),
            "article": one("SELECT article_id FROM mentions WHERE article_id IN (SELECT article_id FROM articles "
                           "WHERE published_date >= DATE '2024-03-01' LIMIT 200) "
                           "GROUP BY ALL ORDER BY count(*) DESC, article_id LIMIT 1"),
        }


def query_cases(target: Path) -> dict[str, Callable[[], object]]:
    """Name -> a call of one dashboard query (warehouse.queries, warehouse.status, warehouse.search)."""
    from warehouse.queries import drill, lage, listings, pairs, series
    from warehouse.queries.filters import Drill, Filters
    from warehouse.search import search
    from warehouse.status import build_status

    p = picks(target)
    f = Filters()
    month = Drill(actor_id=p["actor"], start=date(2024, 3, 1), grain="month")
    latest = lage.latest_day(target) or date(2024, 3, 1)
    day, week = lage.Period.of(latest, "day"), lage.Period.of(latest, "week")
    return {
        "overview": lambda: build_status(target, runs=1, rejected=20),
        "filter_options": lambda: series.filter_options(target),
        "article_totals week": lambda: series.article_totals(target, "week", f),
        "month_only": lambda: series.month_only(target, f),
        "top_actors": lambda: series.top_actors(target, f, 10),
        "actor_series week top5": lambda: series.actor_series(target, "week", f, 5),
        "actor_series day top5": lambda: series.actor_series(target, "day", f, 5),
        "actor_series month kind+theme": lambda: series.actor_series(
            target, "month", Filters(kinds=("person",), themes=(p["theme"],)), 5),
        "theme_series week": lambda: series.theme_series(target, "week", f),
        "theme_series month actor": lambda: series.theme_series(target, "month", Filters(actors=(p["actor"],))),
        "actor_theme_matrix": lambda: pairs.actor_theme_matrix(target, f, 12),
        "cooccurrence": lambda: pairs.cooccurrence(target, f, 12),
        "drill_sentences month": lambda: drill.drill_sentences(target, month, f, 100),
        "articles_in_period": lambda: drill.articles_in_period(
            target, Drill(start=date(2024, 3, 4), grain="week"), f),
        "article_detail": lambda: drill.article_detail(target, p["article"]),
        "lage rising day+week": lambda: (lage.rising(target, "actor", day, 8),
                                         lage.rising(target, "theme", week, 8)),
        "lage new_actors week": lambda: lage.new_actors(target, week),
        "recent_articles": lambda: listings.recent_articles(target, 20),
        "ingest_files": lambda: listings.ingest_files(target, None, 500),
        "discovered_actors": lambda: listings.discovered_actors(target, 500),
        "search": lambda: search(target, SEARCH, 50),
    }
