"""Themes over time (stacked, share, streamgraph), actor × theme heatmap, actor co-occurrence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import charts, data, state, widgets
from warehouse.queries.filters import Drill, Filters

MODES = {"absolute": "Stacked (articles)", "share": "Share", "stream": "Streamgraph"}
DRILL_LIMIT = 80


def label(series: pd.DataFrame, theme_id: str) -> str:
    found = series.loc[series["theme_id"] == theme_id, "label"]
    return str(found.iloc[0]) if len(found) else theme_id


def timeline(f: Filters, grain: str, mode: str, url: dict[str, Any]) -> dict[str, Any]:
    """The themes chart and the drill-down of its picked band; returns `url` with the pick (theme, bucket) in
    it, so a link to the page opens the same sentences."""
    series = data.theme_series(grain, f)
    if series.empty:
        st.info("No themes match these filters.")
        return url
    points = widgets.show_chart(
        charts.theme_areas(series, grain, mode), series, "themes_chart", f"themes_{grain}_{mode}"
    )
    if grain != "month" and (n := data.month_only(f)):
        st.caption(f"{n} articles dated only to their month appear at month granularity only.")
    seed = {"key": url["at"], "theme_id": url["pick"]} if url.get("pick") and state.url_date(url.get("at")) else None
    pick = widgets.remember_pick("themes", points, seed)
    if pick and pick.get("theme_id"):
        start = date.fromisoformat(pick["key"])
        drill = Drill(theme_id=pick["theme_id"], start=start, grain=grain)
        widgets.sentence_pages(f"{label(series, pick['theme_id'])} {widgets.period_label(start, grain)}",
                               DRILL_LIMIT, lambda page: data.drill_sentences(drill, f, DRILL_LIMIT, page))
        return {**url, "pick": pick["theme_id"], "at": pick["key"]}
    st.caption("Click inside a theme's band to list the sentences behind it.")
    return {k: v for k, v in url.items() if k not in ("pick", "at")}


def heatmap(title: str, load: Callable[[], pd.DataFrame], chart: Callable[[pd.DataFrame], alt.Chart], key: str,
            name: str) -> list[widgets.Point]:
    """A titled clickable heatmap (nothing drawn for an empty frame); returns the picked cells."""
    st.subheader(title)
    frame = load()
    return widgets.show_chart(chart(frame), frame, key, name) if not frame.empty else []


def matrices(f: Filters, top_n: int) -> None:
    left, right = st.columns(2)
    with left:
        p1 = heatmap("Actor × theme", lambda: data.actor_theme_matrix(f, top_n), charts.actor_theme_heatmap,
                     "actor_theme", "actor_theme")
    with right:
        p2 = heatmap("Co-occurrence", lambda: data.cooccurrence(f, top_n), charts.cooccurrence_heatmap, "cooc",
                     "cooccurrence")
    st.caption("Counts are articles in the months of the selected period (a month counts whole); "
               "click a cell for the sentences behind it.")
    pick = widgets.remember_pick("actor_theme", p1, None)
    if pick and pick.get("actor_id"):
        cell = Drill(actor_id=pick["actor_id"], theme_id=pick["theme_id"])
        widgets.sentence_pages(f"{pick['actor_id']} × {pick['theme_id']}", DRILL_LIMIT,
                               lambda page: data.drill_sentences(cell, f, DRILL_LIMIT, page))
    pair = widgets.remember_pick("cooc", p2, None)
    if pair and pair.get("actor_a"):
        both = Drill(actor_id=pair["actor_a"], other_id=pair["actor_b"])
        widgets.sentence_pages(f"{pair['actor_a']} with {pair['actor_b']}", DRILL_LIMIT,
                               lambda page: data.drill_sentences(both, f, DRILL_LIMIT, page))


def body(f: Filters, grain: str, mode: str, top_n: int, url: dict[str, Any]) -> None:
    url = timeline(f, grain, mode, url)
    matrices(f, top_n)
    state.publish(url)


def render() -> None:
    st.title("Themes over time")
    widgets.live_toggle()
    if not widgets.guard():
        return
    opts = data.filter_options()
    f = state.filters(opts)
    cols = st.columns(2)
    with cols[0]:
        grain = state.choice("Granularity", "grain", list(state.GRAINS), state.default_grain(f.start, f.end))
    with cols[1]:
        mode = state.choice("View", "mode", list(MODES), "absolute", format_func=lambda m: MODES[m])
    with st.sidebar:
        st.session_state.setdefault("w_top_t", 12)
        top_n = int(st.slider("Actors in the matrices", 3, 30, key="w_top_t"))
    url = {**state.filter_params(f), "grain": grain, "mode": mode, "pick": state.param("pick"),
           "at": state.param("at")}
    widgets.live(body)(f, grain, mode, top_n, url)
