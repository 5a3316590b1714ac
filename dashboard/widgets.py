"""Building blocks the pages share: guard, live fragments, charts with downloads, drill-down lists."""

from __future__ import annotations

import html
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import context, marking
from dashboard.charts import PICK
from dashboard.marking import Row as Point
from warehouse import kept_reader
from warehouse.db import WarehouseBusy, WarehouseMissing

vl_convert: ModuleType | None
try:
    import vl_convert
except ImportError:  # exports then come from Streamlit's own chart toolbar (PNG) only
    vl_convert = None


def guard() -> bool:
    """False (with a message) when there is no warehouse to read yet."""
    if Path(context.warehouse()).exists():
        return True
    st.info(
        "No warehouse yet. Drop article files into the inbox (or run `lagebild ingest PATH`); "
        "this page fills in as soon as the first batch is loaded."
    )
    return False


def unavailable(exc: WarehouseBusy | WarehouseMissing) -> None:
    """The message for a warehouse that another process held for too long (naming it), or that is gone."""
    if isinstance(exc, WarehouseBusy):
        st.warning(f"{str(exc)[:1].upper()}{str(exc)[1:]}. This view retries by itself.")
    else:
        st.info("No warehouse yet: drop article files into the inbox.")


def safely(fn: Callable[..., None]) -> Callable[..., None]:
    """Show lock waits and a missing warehouse as messages instead of tracebacks."""

    def run(*args: Any, **kwargs: Any) -> None:
        try:
            fn(*args, **kwargs)
        except (WarehouseBusy, WarehouseMissing) as exc:
            unavailable(exc)

    run.__name__ = fn.__name__
    run.__qualname__ = fn.__qualname__
    return run


def refresh_every() -> float:
    """Seconds between live refresh ticks; 0 when refresh is off (by the analyst's toggle or the settings)."""
    return context.refresh_seconds() if st.session_state.get("live", True) else 0


SEEN = "_live_stamp"  # session state: the warehouse's change stamp when the live body last ran


def live(fn: Callable[..., None]) -> Callable[..., None]:
    """Run `fn` as a fragment (a click inside it reruns it alone) that is redrawn when the warehouse changes.

    While live refresh is on, a small fragment after it looks at the warehouse's change stamp every
    `refresh_seconds` and reruns the page only when a writer committed since `fn` last ran. An unchanged
    warehouse costs a file stat per tick: nothing is redrawn, re-serialised or re-sent to the browser. A body
    that met a held or missing warehouse is rerun at the first tick that finds it readable."""
    every = refresh_every()

    def stamped(*args: Any, **kwargs: Any) -> None:
        st.session_state[SEEN] = context.stamp(context.warehouse())
        try:
            fn(*args, **kwargs)
        except (WarehouseBusy, WarehouseMissing):
            st.session_state[SEEN] = ()  # no stamp: `watch` reruns once the file is readable
            raise

    stamped.__name__ = stamped.__qualname__ = fn.__name__
    body = st.fragment(safely(stamped))

    def watch() -> None:
        seen = st.session_state.get(SEEN)
        if seen == ():  # the body met a held or missing warehouse
            rerun_when_readable()
        elif seen is not None and context.stamp(context.warehouse()) != seen:
            st.rerun()

    def run(*args: Any, **kwargs: Any) -> None:
        body(*args, **kwargs)
        if every:
            st.fragment(watch, run_every=every)()

    return run


def run_page(page: Any) -> None:
    """Run the page the navigation chose. A read outside a live body (a page's filter choices) that meets a
    held or missing warehouse shows the same message as one inside it instead of a traceback, and, with live
    refresh on, the page runs again at the first tick that finds the warehouse readable."""
    try:
        page.run()
    except (WarehouseBusy, WarehouseMissing) as exc:
        unavailable(exc)
        every = refresh_every()
        if every:
            st.fragment(rerun_when_readable, run_every=every)()


def rerun_when_readable() -> None:
    """Rerun the page if the warehouse can be read now (one attempt that does not wait, through the connection
    the dashboard keeps, so that the rerun finds it open), else leave the page and its message as they are
    until the next tick: a rerun would wait for the lock again, without its message meanwhile."""
    try:
        with kept_reader.reading(context.warehouse(), timeout=0):
            pass
    except (WarehouseBusy, WarehouseMissing):
        return
    st.rerun()


def live_toggle() -> None:
    st.sidebar.toggle(
        "Live refresh",
        value=True,
        key="live",
        help=f"Re-read the warehouse every {context.refresh_seconds():g} s when it changed.",
    )


def show_chart(chart: Any, data: pd.DataFrame, key: str, name: str) -> list[Point]:
    """Render a clickable chart with CSV/SVG/PNG downloads; return the picked points."""
    event = st.altair_chart(chart, on_select="rerun", key=key, width="stretch")
    row = st.container(horizontal=True)
    row.download_button(
        "CSV",
        data.to_csv(index=False).encode("utf-8"),
        f"{name}.csv",
        "text/csv",
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
    )
    if vl_convert is not None:
        row.download_button(
            "SVG",
            lambda: vl_convert.vegalite_to_svg(chart.to_dict()).encode("utf-8"),
            f"{name}.svg",
            "image/svg+xml",
            key=f"{key}_svg",
            on_click="ignore",
            icon=":material/image:",
        )
        row.download_button(
            "PNG",
            lambda: vl_convert.vegalite_to_png(chart.to_dict(), scale=2),
            f"{name}.png",
            "image/png",
            key=f"{key}_png",
            on_click="ignore",
            icon=":material/image:",
        )
    return picked(event)


def picked(event: Any) -> list[Point]:
    """The selected points of an altair_chart event (empty when nothing is selected)."""
    try:
        return list(event.selection.get(PICK) or [])
    except AttributeError:
        return []


def remember_pick(key: str, points: list[Point], from_url: Point | None) -> Point | None:
    """The current drill-down: the clicked point, else the one from the URL until a click clears it."""
    state = f"pick_{key}"
    if state not in st.session_state:
        st.session_state[state] = from_url
    if points:
        st.session_state[state] = points[0]
    elif st.session_state.get(f"had_{key}"):
        st.session_state[state] = None
    st.session_state[f"had_{key}"] = bool(points)
    return st.session_state[state]


def article_link(article_id: str, title: str) -> str:
    href = "article?" + urllib.parse.urlencode({"id": article_id})
    return f'<a href="{html.escape(href)}" target="_self">{html.escape(title or article_id)}</a>'


def page_of(key: str) -> int:
    """The page (0 = first) of the drill-down list `key` the analyst is on; a new selection starts at 0."""
    return int(st.session_state.get(f"page_{key}", 0))


def _turn(key: str, page: int) -> None:
    st.session_state[f"page_{key}"] = max(page, 0)


def pager(key: str, page: int, more: bool) -> None:
    """Previous/next buttons under one page of a drill-down list (`more`: a next page exists)."""
    if page == 0 and not more:
        return
    row = st.container(horizontal=True)
    row.button("Previous", key=f"{key}_prev", disabled=page == 0, on_click=_turn, args=(key, page - 1),
               icon=":material/chevron_left:")
    row.button("Next", key=f"{key}_next", disabled=not more, on_click=_turn, args=(key, page + 1),
               icon=":material/chevron_right:")
    row.caption(f"Page {page + 1}")


def show_sentences(df: pd.DataFrame, heading: str, limit: int, page: int = 0) -> None:
    """Drill-down: one page of the sentences behind a number, grouped by article, mentions highlighted.

    `df` holds up to `limit` + 1 sentences from the page on (`data.drill_sentences`): the extra one only
    says that a next page exists. The page is `page_of(heading)`.
    """
    st.markdown(f"#### Drill-down: {heading}")
    if df.empty:
        st.caption("No sentences for this selection." if page == 0 else "No more sentences for this selection.")
        pager(heading, page, False)
        return
    more = len(df) > limit
    df = df.head(limit)
    n_articles = df["article_id"].nunique()
    first = page * limit + 1
    st.caption(f"Sentences {first}–{first + len(df) - 1} in {n_articles} articles, newest first"
               f"{'' if more or page else ' (all of them)'}. Click a title to open the reader.")
    blocks = [marking.STYLE]
    for aid, group in df.groupby("article_id", sort=False):
        first_row = group.iloc[0]
        date = _date_label(first_row["published_date"], first_row["date_precision"])
        blocks.append(f'<div class="lb-meta">{date} · {article_link(str(aid), str(first_row["title"]))}</div>')
        blocks += [marking.sentence_html(str(r.text), list(r.marks)) for r in group.itertuples()]
    st.html("\n".join(blocks))
    pager(heading, page, more)
    reader_picker(df.drop_duplicates("article_id"), key=f"open_{heading}")


def sentence_pages(heading: str, limit: int, load: Callable[[int], pd.DataFrame]) -> None:
    """The drill-down `heading`: the page the analyst is on, `load(page)` giving its sentences."""
    page = page_of(heading)
    show_sentences(load(page), heading, limit, page)


def show_articles(df: pd.DataFrame, key: str, limit: int, page: int = 0) -> None:
    """One page of a drill-down list of articles (`df`: up to `limit` + 1 rows, as `show_sentences`)."""
    more = len(df) > limit
    df = df.head(limit)
    if page or more:
        st.caption(f"Articles {page * limit + 1}–{page * limit + len(df)}, newest first.")
    table(df)
    pager(key, page, more)
    reader_picker(df, f"{key}_open")


def reader_picker(df: pd.DataFrame, key: str) -> None:
    """A select box + button that opens one of the listed articles in the reader."""
    if df.empty:
        return
    labels = dict(zip(df["article_id"], df["title"], strict=False))
    cols = st.columns([4, 1])
    aid = cols[0].selectbox(
        "Open in the reader",
        list(labels),
        format_func=lambda a: labels[a],
        key=key,
        label_visibility="collapsed",
    )
    if cols[1].button("Open article", key=f"{key}_go"):
        st.switch_page("page_scripts/article.py", query_params={"id": aid})


def _date_label(value: Any, precision: str) -> str:
    stamp = pd.Timestamp(value)
    return stamp.strftime("%B %Y (month only)") if precision == "month" else stamp.strftime("%d.%m.%Y")


def date_label(value: Any, precision: str) -> str:
    return _date_label(value, precision)


def period_label(start: Any, grain: str) -> str:
    """'on 21.01.2022', 'in the week of 17.01.2022', 'in January 2022'."""
    stamp = pd.Timestamp(start)
    if grain == "month":
        return stamp.strftime("in %B %Y")
    return stamp.strftime("in the week of %d.%m.%Y" if grain == "week" else "on %d.%m.%Y")


DATE_COLUMNS = {
    "published_date": st.column_config.DateColumn("date", format="DD.MM.YYYY"),
    "article_id": st.column_config.TextColumn("id"),
}


def table(df: pd.DataFrame) -> None:
    """A full-width data frame with dates shown as dates."""
    st.dataframe(df, hide_index=True, width="stretch", column_config=DATE_COLUMNS)
