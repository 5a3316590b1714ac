"""Lagebild dashboard entry point: `streamlit run dashboard/app.py` (or `lagebild dashboard`)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import auth, navigation, widgets  # noqa: E402
from warehouse import kept_reader  # noqa: E402

kept_reader.enable()  # the dashboard's reads share one open connection until a writer wants the file

st.set_page_config(page_title="Lagebild", page_icon=":material/newspaper:", layout="wide")
if auth.allowed():
    widgets.run_page(navigation.pages())
