"""Article reader: the whole text with mentions, quotes and themed sentences marked."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard import data, marking, state, widgets

LEGEND = (
    '<div class="lb-text lb-meta"><mark class="m">registry actor</mark> '
    '<mark class="m disc">discovered actor</mark> <span class="q">quote</span> '
    '<span class="s t">themed sentence</span> <span class="lb-badge">theme</span></div>'
)


def header(art: dict[str, Any], detail: dict[str, Any]) -> None:
    st.header(art["title"])
    meta = [widgets.date_label(art["published_date"], art["date_precision"])]
    if art.get("published_at") is not None and not pd.isna(art.get("published_at")):
        meta.append(pd.Timestamp(art["published_at"]).strftime("%H:%M"))
    meta += [str(art[k]) for k in ("source",) if art.get(k)]
    meta.append(f"{int(art['word_count'])} words · file {art['source_file']}")
    st.caption(" · ".join(meta))
    if art.get("url"):
        st.markdown(f"[Original]({art['url']})")
    if art.get("duplicate_of"):
        st.warning(f"Syndicated copy of {art['duplicate_of']}: counted once, under the original.")
        st.page_link("page_scripts/article.py", label="Open the original", query_params={"id": art["duplicate_of"]})
    themes = detail["themes"]
    if not themes.empty:
        st.markdown(
            "**Themes:** "
            + ", ".join(f"{r.label or r.theme_id} ({r.score:.2f})" for r in themes.itertuples())
        )


def sidebar_tables(detail: dict[str, Any]) -> None:
    mentions = detail["mentions"]
    st.subheader("Actors")
    if mentions.empty:
        st.caption("No mentions.")
    else:
        counts = (
            mentions.groupby(["name", "kind"], as_index=False).size().sort_values("size", ascending=False)
        )
        st.dataframe(counts.rename(columns={"size": "mentions"}), hide_index=True, width="stretch")
    st.subheader("Quotes")
    quotes = detail["quotes"]
    if quotes.empty:
        st.caption("No quotes found.")
    else:
        st.dataframe(
            quotes[["speaker_text", "name", "cue", "quote", "kind"]], hide_index=True, width="stretch"
        )
    if not detail["related"].empty:
        st.subheader("Related")
        st.dataframe(detail["related"], hide_index=True, width="stretch")


def reader(article_id: str, focus: int | None = None) -> None:
    detail = data.article_detail(article_id)
    if detail is None:
        st.warning(f"No article with id {article_id!r}.")
        return
    art = detail["article"]
    header(art, detail)
    text_col, side = st.columns([3, 1.3])
    themes: dict[int, list[str]] = {}
    for r in detail["sentence_themes"].itertuples():
        themes.setdefault(int(r.sentence), []).append(str(r.label or r.theme_id))
    with text_col:
        st.html(
            marking.STYLE
            + LEGEND
            + marking.article_html(
                art["body"],
                detail["mentions"].to_dict("records"),
                detail["quotes"].to_dict("records"),
                detail["sentences"].to_dict("records"),
                themes,
                focus,
            )
        )
    with side:
        sidebar_tables(detail)


def render() -> None:
    st.title("Article reader")
    if not widgets.guard():
        return
    article_id = state.param("id")
    if not article_id:
        recent = data.recent_articles(50)
        if recent.empty:
            st.info("No articles yet.")
            return
        st.caption("Pick an article (or follow a link from a drill-down or the search).")
        widgets.reader_picker(recent, "article_pick")
        return
    sentence = state.param("s")
    widgets.safely(reader)(article_id, int(sentence) if sentence.isdigit() else None)
