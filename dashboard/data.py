"""Cached access to warehouse.queries: keyed on the warehouse file's stamp, short TTL as a backstop."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import context
from warehouse import queries, search

TTL_SECONDS = 60


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=512)
def _cached(name: str, target: str, stamp: tuple[int, ...], *args: Any) -> Any:
    if name == "search":
        return search.search(target, *args)
    return getattr(queries, name)(target, *args)


def get(name: str, *args: Any) -> Any:
    """queries.<name>(warehouse, *args), cached until the warehouse changes."""
    target = context.warehouse()
    return _cached(name, target, context.stamp(target), *args)
