"""Actors over time: top-N or chosen actors, day/week/month, absolute or normalised, drill-down."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from dashboard import charts, data, quote_data, state, widgets
from dashboard.views.quotes import show_quotes
from warehouse.queries.filters import Drill, Filters

DRILL_LIMIT = 100
STATEMENTS = 10


def body(f: Filters, grain: str, measure: str, top_n: int, url: dict[str, Any]) -> None:
    series = data.actor_series(grain, f, top_n)
    if series.empty:
        st.info("No mentions match these filters.")
        state.publish(url)
        return
    points = widgets.show_chart(
        charts.actor_lines(series, grain, measure), series, "actors_chart", f"actors_{grain}_{measure}"
    )
    if grain != "month" and (n := data.month_only(f)):
        st.caption(
            f"{n} articles dated only to their month are not drawn at {grain} granularity "
            "(never as if on the 1st); switch to month to include them."
        )
    if not f.duplicates:
        st.caption("Syndicated copies count once (switch under More filters in the sidebar).")
    at = state.url_date(url.get("at"))
    seed = {"key": at.isoformat() if at else None, "actor_id": url.get("pick")} if url.get("pick") else None
    pick = widgets.remember_pick("actors", points, seed)
    if pick and pick.get("actor_id"):
        start = date.fromisoformat(pick["key"]) if pick.get("key") else None
        drill = Drill(actor_id=pick["actor_id"], start=start, grain=grain)
        name = series.loc[series["actor_id"] == pick["actor_id"], "name"]
        label = name.iloc[0] if len(name) else pick["actor_id"]
        when = " " + widgets.period_label(start, grain) if start else ""
        widgets.sentence_pages(f"{label}{when}", DRILL_LIMIT,
                               lambda page: data.drill_sentences(drill, f, DRILL_LIMIT, page))
        url = {**url, "pick": pick["actor_id"], "at": pick.get("key")}
    else:
        st.caption("Click a point to list the sentences behind it.")
        url = {k: v for k, v in url.items() if k not in ("pick", "at")}
    latest_statements(f.actors or ((pick["actor_id"],) if pick and pick.get("actor_id") else ()))
    state.publish(url)


def latest_statements(actor_ids: tuple[str, ...]) -> None:
    """The newest quotes of the chosen (or clicked) actors."""
    if actor_ids:
        show_quotes(quote_data.latest_statements(actor_ids, STATEMENTS), "Latest statements", STATEMENTS)


def render() -> None:
    st.title("Actors over time")
    widgets.live_toggle()
    if not widgets.guard():
        return
    opts = data.filter_options()
    f = state.filters(opts)
    grain, measure = state.grain_and_measure(state.default_grain(f.start, f.end))
    with st.sidebar:
        top = state.param("top", "5")
        st.session_state.setdefault("w_top", int(top) if top.isdigit() and 0 < int(top) <= 20 else 5)
        top_n = int(st.slider("Top N actors (when none chosen)", 1, 20, key="w_top"))
    url = {
        **state.filter_params(f),
        "grain": grain,
        "measure": measure,
        "top": str(top_n),
        "pick": state.param("pick"),
        "at": state.param("at"),
    }
    widgets.live(body)(f, grain, measure, top_n, url)
