"""The page list: what the dashboard offers, grouped into analysing and managing."""

from __future__ import annotations

from typing import Any

import streamlit as st


def pages() -> Any:
    """Build the navigation (call once per run, from app.py)."""
    analyse = [
        st.Page("page_scripts/lage.py", title="Lage", icon=":material/radar:", url_path="lage", default=True),
        st.Page("page_scripts/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview"),
        st.Page("page_scripts/actors.py", title="Actors", icon=":material/groups:", url_path="actors"),
        st.Page("page_scripts/themes.py", title="Themes", icon=":material/category:", url_path="themes"),
        st.Page("page_scripts/quotes.py", title="Quotes", icon=":material/format_quote:", url_path="quotes"),
        st.Page("page_scripts/search.py", title="Search", icon=":material/search:", url_path="search"),
        st.Page("page_scripts/article.py", title="Article", icon=":material/article:", url_path="article"),
    ]
    manage = [
        st.Page("page_scripts/ingest.py", title="Ingest", icon=":material/inbox:", url_path="ingest"),
        st.Page("page_scripts/review.py", title="Review", icon=":material/rule:", url_path="review"),
        st.Page("page_scripts/sql.py", title="SQL", icon=":material/terminal:", url_path="sql"),
    ]
    return st.navigation({"Analyse": analyse, "Manage": manage})
