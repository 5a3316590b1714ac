"""The dashboard's only cache: one `st.cache_data` per warehouse query, keyed on the warehouse's change stamp.

Each function here answers one question for the warehouse in the settings. Its result is kept until
a writer commits (the stamp changes) and at most TTL_SECONDS, as a backstop.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any, Concatenate, ParamSpec, TypeVar

import pandas as pd
import streamlit as st

from dashboard import context
from warehouse import search as wh_search
from warehouse.queries import drill, lage, listings, pairs, series
from warehouse.queries.filters import Drill, Filters
from warehouse.status import Status, build_status

TTL_SECONDS = 60
ENTRIES = 64  # per query
Stamp = tuple[int, ...]
P = ParamSpec("P")
R = TypeVar("R")


def _per_stamp(query: Callable[Concatenate[str, Stamp, P], R]) -> Callable[P, R]:
    """Cache `query(warehouse, stamp, …)` and call it for the current warehouse and its stamp."""
    cached = st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=ENTRIES)(query)

    @functools.wraps(query)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        target = context.warehouse()
        return cached(target, context.stamp(target), *args, **kwargs)

    return call


@_per_stamp
def status(target: str, stamp: Stamp) -> Status:
    """Counts, the last run and the 20 newest rejected files."""
    return build_status(target, runs=1, rejected=20, timeout=15.0)


@_per_stamp
def filter_options(target: str, stamp: Stamp) -> dict[str, Any]:
    return series.filter_options(target)


@_per_stamp
def article_totals(target: str, stamp: Stamp, grain: str, f: Filters) -> pd.DataFrame:
    return series.article_totals(target, grain, f)


@_per_stamp
def month_only(target: str, stamp: Stamp, f: Filters) -> int:
    return series.month_only(target, f)


@_per_stamp
def top_actors(target: str, stamp: Stamp, f: Filters, n: int) -> pd.DataFrame:
    return series.top_actors(target, f, n)


@_per_stamp
def actor_series(target: str, stamp: Stamp, grain: str, f: Filters, top_n: int) -> pd.DataFrame:
    return series.actor_series(target, grain, f, top_n)


@_per_stamp
def theme_series(target: str, stamp: Stamp, grain: str, f: Filters) -> pd.DataFrame:
    return series.theme_series(target, grain, f)


@_per_stamp
def actor_theme_matrix(target: str, stamp: Stamp, f: Filters, top_n: int) -> pd.DataFrame:
    return pairs.actor_theme_matrix(target, f, top_n)


@_per_stamp
def cooccurrence(target: str, stamp: Stamp, f: Filters, top_n: int) -> pd.DataFrame:
    return pairs.cooccurrence(target, f, top_n)


@_per_stamp
def drill_sentences(target: str, stamp: Stamp, d: Drill, f: Filters, limit: int, page: int = 0) -> pd.DataFrame:
    """Page `page` (0 = first) of `limit` sentences, and one more if a next page exists."""
    return drill.drill_sentences(target, d, f, limit + 1, page * limit)


@_per_stamp
def articles_in_period(target: str, stamp: Stamp, d: Drill, f: Filters, limit: int = 100,
                       page: int = 0) -> pd.DataFrame:
    """Page `page` of `limit` stories of one bucket, and one more if a next page exists."""
    return drill.articles_in_period(target, d, f, limit + 1, page * limit)


@_per_stamp
def article_detail(target: str, stamp: Stamp, article_id: str) -> dict[str, Any] | None:
    return drill.article_detail(target, article_id)


@_per_stamp
def recent_articles(target: str, stamp: Stamp, limit: int) -> pd.DataFrame:
    return listings.recent_articles(target, limit)


@_per_stamp
def ingest_runs(target: str, stamp: Stamp, limit: int) -> pd.DataFrame:
    return listings.ingest_runs(target, limit)


@_per_stamp
def ingest_files(target: str, stamp: Stamp, status: str | None, limit: int) -> pd.DataFrame:
    return listings.ingest_files(target, status, limit)


@_per_stamp
def discovered_actors(target: str, stamp: Stamp, limit: int, name: str) -> pd.DataFrame:
    return listings.discovered_actors(target, limit, name)


@_per_stamp
def discovered_count(target: str, stamp: Stamp) -> int:
    return listings.discovered_count(target)


@_per_stamp
def _search(target: str, stamp: Stamp, index_stamp: int, text: str, limit: int,
            duplicates: bool) -> tuple[pd.DataFrame, str]:
    return wh_search.search(target, text, limit, duplicates)


def search(text: str, limit: int, duplicates: bool) -> tuple[pd.DataFrame, str]:
    """Articles matching `text`, best first, and the method used ('fts' or 'ilike'); the search index
    commits after the warehouse, so its own stamp is part of the key."""
    return _search(wh_search.index_stamp(context.warehouse()), text, limit, duplicates)


# The situation picture (Lage page and brief): warehouse/queries/lage.py
@_per_stamp
def lage_latest_day(target: str, stamp: Stamp) -> date | None:
    return lage.latest_day(target)


@_per_stamp
def lage_stories(target: str, stamp: Stamp, p: lage.Period, limit: int) -> pd.DataFrame:
    return lage.top_stories(target, p, limit)


@_per_stamp
def lage_rising(target: str, stamp: Stamp, what: str, p: lage.Period, limit: int) -> pd.DataFrame:
    return lage.rising(target, what, p, limit)


@_per_stamp
def lage_sparklines(target: str, stamp: Stamp, what: str, ids: tuple[str, ...], p: lage.Period) -> pd.DataFrame:
    return lage.sparklines(target, what, list(ids), p)


@_per_stamp
def lage_new_actors(target: str, stamp: Stamp, p: lage.Period) -> pd.DataFrame:
    return lage.new_actors(target, p)


@_per_stamp
def lage_new_roles(target: str, stamp: Stamp, p: lage.Period) -> pd.DataFrame:
    return lage.new_roles(target, p)


@_per_stamp
def lage_story(target: str, stamp: Stamp, story_id: str) -> pd.DataFrame:
    return lage.story_members(target, story_id)
