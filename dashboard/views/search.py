"""Full-text search (the tantivy index with German stemming, ILIKE before it exists); results open the reader."""

from __future__ import annotations

import html

import streamlit as st

from dashboard import data, marking, state, widgets

LIMIT = 50


def results(query: str, dups: bool) -> None:
    found, method = data.search(query, LIMIT, dups)
    how = (
        "full-text index, German stemming"
        if method == "fts"
        else "substring match (the full-text index is not built yet)"
    )
    st.caption(f"{len(found)} articles ({how}).")
    if found.empty:
        st.info("Nothing found.")
        return
    blocks = [marking.STYLE]
    for r in found.itertuples():
        date = widgets.date_label(r.published_date, r.date_precision)
        blocks.append(
            f'<div class="lb-meta">{date} · score {r.score:.2f}</div>'
            f"<div>{widgets.article_link(r.article_id, r.title)}</div>"
            f'<div class="lb-text lb-sent">{html.escape(r.snippet)}</div>'
        )
    st.html("\n".join(blocks))
    widgets.reader_picker(found, "search_open")


def render() -> None:
    st.title("Search")
    if not widgets.guard():
        return
    st.session_state.setdefault("w_q", state.param("q"))
    query = st.text_input("Search the articles", key="w_q", placeholder="z. B. Sanktionen Gas")
    st.session_state.setdefault("w_sdups", state.param("dups") == "1")
    dups = st.toggle("Include syndicated copies", key="w_sdups")
    state.publish({"q": query, "dups": "1" if dups else ""})
    if query.strip():
        widgets.safely(results)(query, dups)
