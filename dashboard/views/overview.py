"""Overview: counts, newest article, last run, inbox backlog, rejected files, articles over time."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import charts, context, data, state, widgets
from lagebild.inbox import scan
from warehouse.queries import Drill, Filters


def backlog() -> int:
    inbox = context.settings().inbox
    return len(scan(inbox)) if inbox.exists() else 0


def metrics(info: dict[str, Any]) -> None:
    stories = int(info["articles"]) - int(info["duplicates"])
    row = st.columns(4)
    row[0].metric(
        "Articles",
        f"{int(info['articles']):,}",
        help=f"{stories:,} stories; {int(info['duplicates']):,} syndicated copies",
    )
    row[1].metric("Actors", f"{int(info['actors']):,}")
    row[2].metric("Mentions", f"{int(info['mentions']):,}")
    row[3].metric("Themes", f"{int(info['themes']):,}")
    row = st.columns(4)
    newest = info["newest"]
    row[0].metric("Newest article", "–" if pd.isna(newest) else pd.Timestamp(newest).strftime("%d.%m.%Y"))
    run = info["last_run"]
    status = run["status"] if run else "none yet"
    row[1].metric(
        "Last ingest run",
        status,
        help=None
        if not run
        else f"{run['run_id']}: {run['files']} files, {run['loaded']} loaded, "
        f"{run['duplicates']} duplicate, {run['rejected']} rejected",
    )
    row[2].metric("Inbox backlog", f"{backlog():,} files")
    row[3].metric("Rejected files", f"{int(info['rejected']):,}")


def rejected(info: dict[str, Any]) -> None:
    frame = info["rejected_files"]
    if frame.empty:
        return
    with st.expander(f"Rejected files ({int(info['rejected'])})", expanded=False):
        st.dataframe(frame, hide_index=True, width="stretch")
        st.page_link("pages/ingest.py", label="All outcomes on the Ingest page", icon=":material/inbox:")


def body(grain: str) -> None:
    info = data.get("overview")
    metrics(info)
    rejected(info)
    if int(info["articles"]) == 0:
        st.info(
            "The warehouse is empty. Drop .txt or .jsonl articles into the inbox "
            "(or upload them on the Ingest page); they appear here within seconds."
        )
        return
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Articles over time")
        totals = data.get("article_totals", grain, Filters())
        points = widgets.show_chart(charts.articles_bars(totals, grain), totals, "ov_articles", "articles")
        if grain != "month" and (n := data.get("month_only", Filters())):
            st.caption(f"{n} articles dated only to their month are counted at month granularity only.")
    with right:
        st.subheader("Most mentioned actors")
        top = data.get("top_actors", Filters(), 10)
        actor_points = widgets.show_chart(charts.top_actor_bars(top), top, "ov_actors", "top_actors")
    drill(points, actor_points, grain)
    st.subheader("Newest articles")
    recent = data.get("recent_articles", 10)
    widgets.table(recent)
    widgets.reader_picker(recent, "ov_recent")


def drill(points: list[dict], actor_points: list[dict], grain: str) -> None:
    if points:
        start = date.fromisoformat(points[0]["key"])
        found = data.get("articles_in_period", Drill(start=start, grain=grain), Filters())
        st.markdown(f"#### Drill-down: articles {widgets.period_label(start, grain)}")
        widgets.table(found)
        widgets.reader_picker(found, "ov_drill_articles")
    if actor_points:
        aid = actor_points[0]["actor_id"]
        df = data.get("drill_sentences", Drill(actor_id=aid), Filters(), 60)
        widgets.show_sentences(df, f"mentions of {aid}", 60)


def render() -> None:
    st.title("Lagebild")
    st.caption("Who is mentioned and what is discussed in the ingested German news, live.")
    widgets.live_toggle()
    if not widgets.guard():
        return
    with st.sidebar:
        grain = state.choice("Granularity", "grain", list(state.GRAINS), "week")
    state.publish({"grain": grain})
    widgets.live(body)(grain)
