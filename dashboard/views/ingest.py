"""Ingest: recent flow runs, per-file outcomes, rejected files, and an upload into the inbox."""

from __future__ import annotations

import streamlit as st

from dashboard import context, data, upload, widgets
from dashboard.views.overview import backlog

STATUSES = ("all", "loaded", "duplicate", "rejected")


def tables(status: str) -> None:
    st.metric("Inbox backlog", f"{backlog():,} files waiting")
    st.subheader("Recent runs")
    runs = data.ingest_runs(20)
    if runs.empty:
        st.caption("No runs yet.")
    else:
        st.dataframe(runs, hide_index=True, width="stretch")
    st.subheader("Files")
    files = data.ingest_files(None if status == "all" else status, 500)
    if files.empty:
        st.caption("No files recorded.")
    else:
        st.dataframe(files, hide_index=True, width="stretch")
    maintenance()
    rejected = data.ingest_files("rejected", 200)
    st.subheader(f"Rejected ({len(rejected)})")
    if rejected.empty:
        st.caption("No rejected files.")
    else:
        st.dataframe(
            rejected[["at", "file", "line", "reason", "destination"]], hide_index=True, width="stretch"
        )


def maintenance() -> None:
    """Long jobs beside the batches (search index catch-up and rebuild, compaction), running ones first."""
    st.subheader("Maintenance")
    jobs = data.status().maintenance
    if jobs.empty:
        st.caption("No maintenance has run yet (search index catch-up or rebuild, compaction).")
        return
    for job in jobs[jobs["status"] == "running"].itertuples():
        st.info(f"Running: {job.task} since {job.started_at:%H:%M:%S} (PID {job.pid}).")
    st.dataframe(jobs, hide_index=True, width="stretch")


def uploader() -> None:
    s = context.settings()
    st.subheader("Upload articles")
    st.caption(
        f"Accepted: {', '.join(upload.ALLOWED)}; .txt up to {s.max_file_mb:g} MB, "
        f".jsonl up to {s.max_jsonl_mb:g} MB. Files land in the inbox and are picked up by the watcher."
    )
    with st.form("upload", clear_on_submit=True):
        files = st.file_uploader(
            "Article files", accept_multiple_files=True, type=[t.lstrip(".") for t in upload.ALLOWED]
        )
        sent = st.form_submit_button("Save to inbox")
    if not sent:
        return
    if not files:
        st.warning("Choose at least one file.")
        return
    for f in files:
        out = upload.save(s.inbox, f.name, f.getvalue(), s.max_file_bytes, s.max_jsonl_bytes)
        (st.success if out.saved else st.error)(out.message)


def render() -> None:
    st.title("Ingest")
    widgets.live_toggle()
    uploader()
    if not widgets.guard():
        return
    status = st.radio("Show files", STATUSES, horizontal=True, key="w_ingest_status")
    widgets.live(tables)(status)
