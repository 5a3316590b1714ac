"""Themes over time (stacked, share, streamgraph), actor × theme heatmap, actor co-occurrence."""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import charts, data, state, widgets
from warehouse.queries.filters import Drill, Filters

MODES = {"absolute": "Stacked (articles)", "share": "Share", "stream": "Streamgraph"}
DRILL_LIMIT = 80


def label(series, theme_id: str) -> str:
    found = series.loc[series["theme_id"] == theme_id, "label"]
    return str(found.iloc[0]) if len(found) else theme_id


def timeline(f: Filters, grain: str, mode: str) -> None:
    series = data.theme_series(grain, f)
    if series.empty:
        st.info("No themes match these filters.")
        return
    points = widgets.show_chart(
        charts.theme_areas(series, grain, mode), series, "themes_chart", f"themes_{grain}_{mode}"
    )
    if grain != "month" and (n := data.month_only(f)):
        st.caption(f"{n} articles dated only to their month appear at month granularity only.")
    pick = widgets.remember_pick("themes", points, None)
    if pick and pick.get("theme_id"):
        start = date.fromisoformat(pick["key"])
        drill = Drill(theme_id=pick["theme_id"], start=start, grain=grain)
        df = data.drill_sentences(drill, f, DRILL_LIMIT)
        widgets.show_sentences(
            df, f"{label(series, pick['theme_id'])} {widgets.period_label(start, grain)}", DRILL_LIMIT
        )


def matrices(f: Filters, top_n: int) -> None:
    left, right = st.columns(2)
    with left:
        st.subheader("Actor × theme")
        at = data.actor_theme_matrix(f, top_n)
        p1 = (
            widgets.show_chart(charts.actor_theme_heatmap(at), at, "actor_theme", "actor_theme")
            if not at.empty
            else []
        )
    with right:
        st.subheader("Co-occurrence")
        co = data.cooccurrence(f, top_n)
        p2 = (
            widgets.show_chart(charts.cooccurrence_heatmap(co), co, "cooc", "cooccurrence")
            if not co.empty
            else []
        )
    st.caption("Counts are articles in the selected period; click a cell for the sentences behind it.")
    pick = widgets.remember_pick("actor_theme", p1, None)
    if pick and pick.get("actor_id"):
        drill = Drill(actor_id=pick["actor_id"], theme_id=pick["theme_id"])
        df = data.drill_sentences(drill, f, DRILL_LIMIT)
        widgets.show_sentences(df, f"{pick['actor_id']} × {pick['theme_id']}", DRILL_LIMIT)
    pair = widgets.remember_pick("cooc", p2, None)
    if pair and pair.get("actor_a"):
        drill = Drill(actor_id=pair["actor_a"], other_id=pair["actor_b"])
        df = data.drill_sentences(drill, f, DRILL_LIMIT)
        widgets.show_sentences(df, f"{pair['actor_a']} with {pair['actor_b']}", DRILL_LIMIT)


def body(f: Filters, grain: str, mode: str, top_n: int, url: dict) -> None:
    timeline(f, grain, mode)
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
        grain = state.choice("Granularity", "grain", list(state.GRAINS), "week")
    with cols[1]:
        mode = state.choice("View", "mode", list(MODES), "absolute", format_func=lambda m: MODES[m])
    with st.sidebar:
        st.session_state.setdefault("w_top_t", 12)
        top_n = int(st.slider("Actors in the matrices", 3, 30, key="w_top_t"))
    url = {**state.filter_params(f), "grain": grain, "mode": mode}
    widgets.live(body)(f, grain, mode, top_n, url)
