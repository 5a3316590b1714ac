"""Ad hoc read-only SQL over the warehouse (locked down: no files, no extensions, no writes)."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from dashboard import context, state, widgets
from warehouse.console import QueryError, run_query, schema
from warehouse.db import WarehouseBusy, WarehouseMissing

EXAMPLE = """SELECT name, kind, count(*) AS mentions
FROM mention_sentences
WHERE duplicate_of IS NULL
GROUP BY ALL ORDER BY mentions DESC LIMIT 20"""
ROW_LIMIT = 10_000


def schema_panel(target: str) -> None:
    st.subheader("Schema")
    try:
        cols = schema(target)
    except (WarehouseBusy, WarehouseMissing) as exc:
        st.caption(str(exc))
        return
    for (table, kind), group in cols.groupby(["table_name", "table_type"], sort=False):
        with st.expander(f"{table} ({'view' if kind == 'VIEW' else 'table'})"):
            st.dataframe(group[["column_name", "data_type"]], hide_index=True, width="stretch")


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return buf.getvalue()


def run(target: str, sql: str) -> None:
    try:
        result = run_query(target, sql, row_limit=ROW_LIMIT, timeout=30.0, lock_timeout=15.0)
    except QueryError as exc:
        st.error(str(exc))
        return
    except (WarehouseBusy, WarehouseMissing) as exc:
        st.warning(str(exc))
        return
    frame = result.frame
    note = f" (stopped at {ROW_LIMIT:,} rows)" if result.truncated else ""
    st.caption(f"{len(frame):,} rows{note}")
    st.dataframe(frame, hide_index=True, width="stretch")
    cols = st.columns([1, 1, 6])
    cols[0].download_button(
        "CSV",
        frame.to_csv(index=False).encode("utf-8"),
        "query.csv",
        "text/csv",
        on_click="ignore",
        icon=":material/download:",
    )
    cols[1].download_button(
        "Parquet",
        lambda: parquet_bytes(frame),
        "query.parquet",
        "application/vnd.apache.parquet",
        on_click="ignore",
        icon=":material/download:",
    )


def render() -> None:
    st.title("SQL")
    st.caption("Read-only SQL over the warehouse. Host files, extensions and settings are out of reach.")
    if not widgets.guard():
        return
    target = context.warehouse()
    left, right = st.columns([3, 1])
    with right:
        schema_panel(target)
    with left:
        auto = state.param("run") == "1"
        st.session_state.setdefault("w_sql", state.param("sql", EXAMPLE))
        sql = st.text_area("Query", key="w_sql", height=180)
        go = st.button("Run", type="primary", icon=":material/play_arrow:")
        state.publish({"sql": sql if sql != EXAMPLE else "", "run": "1" if auto or go else ""})
        if go or auto:
            run(target, sql)
