"""Overview: counts, newest article, last run, inbox backlog, rejected files, articles over time."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import charts, context, data, state, widgets
from lagebild.inbox import scan
from warehouse.queries.filters import Drill, Filters
from warehouse.status import Status

REJECTED_COLUMNS = ["file", "line", "reason", "at", "destination"]
ARTICLES = 100  # per page of a drill-down
SENTENCES = 60


def backlog() -> int:
    inbox = context.settings().inbox
    return len(scan(inbox)) if inbox.exists() else 0


def metrics(info: Status) -> None:
    articles, duplicates = info.counts["articles"], info.duplicates
    row = st.columns(4)
    row[0].metric(
        "Articles",
        f"{articles:,}",
        help=f"{articles - duplicates:,} stories; {duplicates:,} syndicated copies",
    )
    row[1].metric("Actors", f"{info.counts['actors']:,}")
    row[2].metric("Mentions", f"{info.counts['mentions']:,}")
    row[3].metric("Themes", f"{info.counts['themes']:,}")
    row = st.columns(4)
    newest = info.newest_article
    row[0].metric("Newest article", "–" if pd.isna(newest) else pd.Timestamp(newest).strftime("%d.%m.%Y"))
    run = info.runs.iloc[0].to_dict() if not info.runs.empty else None
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
    row[3].metric("Rejected files", f"{info.rejected_total:,}")


def rejected(info: Status) -> None:
    if info.rejected.empty:
        return
    with st.expander(f"Rejected files ({info.rejected_total})", expanded=False):
        st.dataframe(info.rejected[REJECTED_COLUMNS], hide_index=True, width="stretch")
        st.page_link("page_scripts/ingest.py", label="All outcomes on the Ingest page", icon=":material/inbox:")


def body(grain: str) -> None:
    info = data.status()
    metrics(info)
    rejected(info)
    if info.counts["articles"] == 0:
        st.info(
            "The warehouse is empty. Drop .txt or .jsonl articles into the inbox "
            "(or upload them on the Ingest page); they appear here within seconds."
        )
        return
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Articles over time")
        totals = data.article_totals(grain, Filters())
        points = widgets.show_chart(charts.articles_bars(totals, grain), totals, "ov_articles", "articles")
        if grain != "month" and (n := data.month_only(Filters())):
            st.caption(f"{n} articles dated only to their month are counted at month granularity only.")
    with right:
        st.subheader("Most mentioned actors")
        top = data.top_actors(Filters(), 10)
        actor_points = widgets.show_chart(charts.top_actor_bars(top), top, "ov_actors", "top_actors")
    drill(points, actor_points, grain)
    st.subheader("Newest articles")
    recent = data.recent_articles(10)
    widgets.table(recent)
    widgets.reader_picker(recent, "ov_recent")


def drill(points: list[widgets.Point], actor_points: list[widgets.Point], grain: str) -> None:
    if points:
        start = date.fromisoformat(points[0]["key"])
        heading = f"articles {widgets.period_label(start, grain)}"
        page = widgets.page_of(heading)
        found = data.articles_in_period(Drill(start=start, grain=grain), Filters(), ARTICLES, page)
        st.markdown(f"#### Drill-down: {heading}")
        widgets.show_articles(found, heading, ARTICLES, page)
    if actor_points:
        aid = actor_points[0]["actor_id"]
        widgets.sentence_pages(f"mentions of {aid}", SENTENCES,
                               lambda page: data.drill_sentences(Drill(actor_id=aid), Filters(), SENTENCES, page))


def render() -> None:
    st.title("Lagebild")
    st.caption("Who is mentioned and what is discussed in the ingested German news, live.")
    widgets.live_toggle()
    if not widgets.guard():
        return
    opts = data.filter_options()
    with st.sidebar:
        default = state.default_grain(opts["first"], opts["last"])
        grain = state.choice("Granularity", "grain", list(state.GRAINS), default)
    state.publish({"grain": grain})
    widgets.live(body)(grain)
