"""Quotes: who said what about whom — filters, quotes per speaker over time, speaker × target, the quotes."""

from __future__ import annotations

import html
import urllib.parse
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import data, quote_charts, quote_data, state, widgets
from warehouse.queries.quotes import QuoteFilters

LIST_LIMIT = 100


def quote_link(article_id: str, sentence: Any, label: str) -> str:
    """A link to the Article reader with the quote's sentence highlighted."""
    query = {"id": article_id}
    if sentence is not None and not pd.isna(sentence):
        query["s"] = str(int(sentence))
    href = "article?" + urllib.parse.urlencode(query)
    return f'<a href="{html.escape(href)}" target="_self">{html.escape(label)}</a>'


def show_quotes(df: pd.DataFrame, heading: str, limit: int) -> None:
    """The quotes as a list: date, speaker, cue, the quote, its targets, a link to the sentence."""
    st.markdown(f"#### {heading}")
    if df.empty:
        st.caption("No quotes match.")
        return
    more = " (newest shown)" if len(df) >= limit else ""
    st.caption(f"{len(df)} quotes{more}. Click a title to read the quote in its article.")
    rows = []
    for r in df.itertuples():
        about = f" · about {html.escape(str(r.targets))}" if isinstance(r.targets, str) and r.targets else ""
        rows.append(
            f'<div class="lb-sent"><div class="lb-meta">{widgets.date_label(r.date, r.date_precision)} · '
            f"<b>{html.escape(str(r.speaker))}</b> ({html.escape(str(r.cue))}, {html.escape(str(r.kind))}){about}"
            f" · {quote_link(str(r.article_id), r.sentence, str(r.title))}</div>"
            f'<div class="lb-text"><span class="q">{html.escape(str(r.quote))}</span></div></div>'
        )
    st.html(widgets.marking.STYLE + "\n".join(rows))


def sidebar(opts: dict[str, pd.DataFrame], fopts: dict[str, Any]) -> QuoteFilters:
    """Period, speaker, target and theme filters in the sidebar, search text above; bound to the URL."""
    themes = dict(zip(fopts["themes"]["theme_id"], fopts["themes"]["label"], strict=False))
    with st.sidebar:
        st.subheader("Filters")
        rng = state.period(fopts["first"], fopts["last"], "Period")
        find = state.find_actor()
        chosen = state.actor_picker("Speaker", "speaker", opts["speakers"], find)
        about = state.actor_picker("Target (spoken about)", "target", opts["targets"], find)
        picked_themes = state.multi("Theme", "theme", list(themes), themes)
    state._seed("w_qtext", state.param("q"))
    text = st.text_input("Search inside quotes", key="w_qtext", placeholder="z. B. Sanktionen", max_chars=200)
    return QuoteFilters(start=rng[0] if rng else None, end=rng[1] if len(rng) > 1 else None,
                        speakers=tuple(chosen), targets=tuple(about), themes=tuple(picked_themes), text=text or "")


def url_params(qf: QuoteFilters, grain: str) -> dict[str, Any]:
    """The query parameters that reproduce the view."""
    out: dict[str, Any] = {"from": qf.start.isoformat() if qf.start else None,
                           "to": qf.end.isoformat() if qf.end else None, "q": qf.text, "grain": grain}
    for key, values in (("speaker", qf.speakers), ("target", qf.targets), ("theme", qf.themes)):
        out[key] = list(values)
    return out


def body(qf: QuoteFilters, grain: str, url: dict[str, Any]) -> None:
    series = quote_data.speaker_series(qf, grain, 8)
    if series.empty:
        st.info("No quotes with a known speaker match these filters.")
    else:
        st.subheader("Quotes per speaker")
        widgets.show_chart(quote_charts.speaker_lines(series, grain), series, "quotes_chart", f"quotes_{grain}")
    matrix = quote_data.speaker_target_matrix(qf, 12)
    if not matrix.empty:
        st.subheader("Speaker × target")
        widgets.show_chart(quote_charts.speaker_target_heatmap(matrix), matrix, "quote_pairs", "speaker_target")
        st.caption("Quotes of a speaker (row) that mention an actor (column).")
    show_quotes(quote_data.quote_list(qf, LIST_LIMIT), "Quotes", LIST_LIMIT)
    state.publish(url)


def render() -> None:
    st.title("Quotes")
    widgets.live_toggle()
    if not widgets.guard():
        return
    qf = sidebar(quote_data.options(), data.filter_options())
    grain = state.choice("Granularity", "grain", list(state.GRAINS), "month")
    widgets.live(body)(qf, grain, url_params(qf, grain))
