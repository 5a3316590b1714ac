"""Cached quote queries for the dashboard, on the same change-stamp cache as dashboard/data.py."""

from __future__ import annotations

import pandas as pd

from dashboard.data import Stamp, _per_stamp
from warehouse.queries import quotes
from warehouse.queries.quotes import QuoteFilters


@_per_stamp
def options(target: str, stamp: Stamp) -> dict[str, pd.DataFrame]:
    return quotes.quote_options(target)


@_per_stamp
def quote_list(target: str, stamp: Stamp, f: QuoteFilters, limit: int) -> pd.DataFrame:
    return quotes.quote_list(target, f, limit)


@_per_stamp
def speaker_series(target: str, stamp: Stamp, f: QuoteFilters, grain: str, top_n: int) -> pd.DataFrame:
    return quotes.speaker_series(target, f, grain, top_n)


@_per_stamp
def speaker_target_matrix(target: str, stamp: Stamp, f: QuoteFilters, top_n: int) -> pd.DataFrame:
    return quotes.speaker_target_matrix(target, f, top_n)


@_per_stamp
def latest_statements(target: str, stamp: Stamp, actor_ids: tuple[str, ...], limit: int) -> pd.DataFrame:
    return quotes.latest_statements(target, list(actor_ids), limit)
