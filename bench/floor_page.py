"""The browser's floor for bench/browser.py: a title and one 10-point Altair chart, nothing else.

Served by the same Streamlit with the dashboard's options, it shows what a page with a chart costs in the
browser before any of the dashboard's own work (its queries, widgets and larger charts)."""

import altair as alt
import pandas as pd
import streamlit as st

st.set_page_config(page_title="floor", layout="wide")
st.title("Floor")
points = pd.DataFrame({"x": range(10), "y": [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]})
st.altair_chart(alt.Chart(points).mark_line().encode(x="x:Q", y="y:Q"), width="stretch")
