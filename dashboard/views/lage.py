"""Lage: the situation picture of a day or week — top stories, rising actors and themes, new actors and roles."""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import charts, data, state, widgets
from warehouse.queries.filters import Drill, Filters
from warehouse.queries.lage import Period

SENTENCES = 60


def pick_period(latest: date) -> Period:
    """Day or week and its date from the sidebar (and the URL); the newest day by default."""
    with st.sidebar:
        grain = state.choice("Period", "lage_grain", ["day", "week"], "week")
        chosen = st.date_input("Date", value=state.url_date(state.param("on")) or latest, key="lage_on")
    day = chosen if isinstance(chosen, date) else latest
    state.publish({"lage_grain": grain, "on": day.isoformat(), "story": state.param("story"),
                   "lage_actor": state.param("lage_actor"), "lage_theme": state.param("lage_theme")})
    return Period.of(day, grain)


def stories(p: Period) -> None:
    """The period's top stories; a selected row (or `story` in the URL) lists the story's articles."""
    st.subheader(f"Top stories {widgets.period_label(p.start, p.grain)}")
    top = data.lage_stories(p, 10)
    if top.empty:
        st.caption("No stories in this period.")
    else:
        event = st.dataframe(top[["title", "articles_in_period", "articles", "first_seen", "last_seen", "actors",
                                  "themes"]], hide_index=True, width="stretch", on_select="rerun",
                             selection_mode="single-row", key="lage_stories")
        rows = event.selection.rows if hasattr(event, "selection") else []
        if rows:
            st.query_params["story"] = str(top.iloc[rows[0]]["story_id"])
    if chosen := state.param("story"):
        story(chosen)


def story(story_id: str) -> None:
    members = data.lage_story(story_id)
    if members.empty:
        return
    first = members.iloc[0]
    st.markdown(f"#### Story: {first['title']}")
    st.caption(f"{len(members)} articles from {widgets.date_label(first['published_date'], first['date_precision'])}"
               " on. Open one in the reader:")
    widgets.table(members)
    widgets.reader_picker(members, "lage_story_open")


def rising(p: Period, what: str, title: str) -> None:
    st.subheader(title)
    top = data.lage_rising(what, p, 8)
    if top.empty:
        st.caption("Nothing rises above its baseline (z ≥ 3 with at least 5 articles) in this period.")
        return
    spark = data.lage_sparklines(what, tuple(top["id"]), p).merge(top[["id", "name"]], on="id")
    points = widgets.show_chart(charts.sparklines(spark, p.grain), top, f"lage_{what}_spark", f"rising_{what}s")
    st.dataframe(top, hide_index=True, width="stretch")
    if points:
        st.query_params["lage_actor" if what == "actor" else "lage_theme"] = str(points[0]["id"])


def actor_drill(actor_id: str, p: Period) -> None:
    """Links to the actor's chart and lists the sentences that mention it in the period."""
    st.page_link("page_scripts/actors.py", label="Open the actor's chart", query_params={"actor": actor_id},
                 icon=":material/show_chart:")
    widgets.sentence_pages(f"mentions of {actor_id} {widgets.period_label(p.start, p.grain)}", SENTENCES,
                           lambda page: data.drill_sentences(Drill(actor_id=actor_id),
                                                             Filters(start=p.start, end=p.end), SENTENCES, page))


def newcomers(p: Period) -> None:
    left, right = st.columns(2)
    with left:
        st.subheader("New actors")
        new = data.lage_new_actors(p)
        if new.empty:
            st.caption("No actor appears for the first time (or after eight weeks) in this period.")
        else:
            event = st.dataframe(new, hide_index=True, width="stretch", on_select="rerun",
                                 selection_mode="single-row", key="lage_new")
            rows = event.selection.rows if hasattr(event, "selection") else []
            if rows:
                st.query_params["lage_actor"] = str(new.iloc[rows[0]]["id"])
    with right:
        st.subheader("New roles")
        roles = data.lage_new_roles(p)
        if roles.empty:
            st.caption("No actor is mentioned with a new office in this period.")
        else:
            st.dataframe(roles, hide_index=True, width="stretch")


def body(p: Period) -> None:
    stories(p)
    left, right = st.columns(2)
    with left:
        rising(p, "actor", "Rising actors")
    with right:
        rising(p, "theme", "Rising themes")
    newcomers(p)
    if theme := state.param("lage_theme"):
        st.page_link("page_scripts/themes.py", label=f"Open the chart of theme {theme}", query_params={"theme": theme},
                     icon=":material/category:")
    if actor := state.param("lage_actor"):
        actor_drill(actor, p)


def render() -> None:
    st.title("Lage")
    st.caption("What happened, what is rising, who is new: the situation picture of a day or a week.")
    widgets.live_toggle()
    if not widgets.guard():
        return
    latest = data.lage_latest_day()
    if latest is None:
        st.info("The warehouse holds no articles dated to the day yet. Drop .txt or .jsonl articles into the "
                "inbox (or upload them on the Ingest page); the picture fills within seconds.")
        return
    widgets.live(body)(pick_period(latest))
