"""Review of discovered actors: promote, merge into a registry actor, ignore; then reprocess."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import context, data, widgets
from lagebild.enrich import review

KINDS = ("person", "organisation", "country", "place", "group")
SHOWN = 500  # discovered actors listed at once, the most mentioned (or found by name) first


def suggested_id(actor_id: str, name: str) -> str:
    base = actor_id.removeprefix("disc-") or name
    return re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")


def actions(row: pd.Series, registry: pd.DataFrame, overlay: Path) -> None:
    """Promote / merge / ignore forms for one discovered actor."""
    promote, merge, ignore = st.tabs(["Promote", "Merge into…", "Ignore"])
    with promote, st.form(f"promote_{row.actor_id}"):
        new_id = st.text_input("Registry id", suggested_id(row["actor_id"], row["name"]))
        name = st.text_input("Name", row["name"])
        kind = st.selectbox("Kind", KINDS, index=KINDS.index(row["kind"]) if row["kind"] in KINDS else 0)
        country = st.text_input("Country (ISO code)", "")
        role = st.text_input("Role", row["role"] if isinstance(row["role"], str) else "")
        if st.form_submit_button("Promote to the registry"):
            review.promote(overlay, new_id, name, kind, country or None, role or None, aliases=[row["name"]])
            st.success(f"{name} promoted as {new_id}. Reprocess to apply.")
    with merge, st.form(f"merge_{row.actor_id}"):
        names = dict(zip(registry["actor_id"], registry["name"], strict=False))
        target = st.selectbox("Registry actor", list(names), format_func=lambda a: f"{names[a]} ({a})")
        if st.form_submit_button("Merge as an alias"):
            review.merge(overlay, row["name"], target)
            st.success(
                f"{row['name']} recorded as an alias of {names.get(target, target)}. Reprocess to apply."
            )
    with ignore:
        if st.button("Ignore this name from now on", key=f"ignore_{row.actor_id}"):
            review.ignore(overlay, row.actor_id)
            st.success(f"{row['name']} will not be reported again.")


def reprocess_button() -> None:
    s = context.settings()
    log = s.data_dir / "reprocess.log"
    if st.button(
        "Reprocess articles",
        type="primary",
        icon=":material/sync:",
        help="Re-enrich stored articles with the reviewed registry (runs `lagebild reprocess`).",
    ):
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("wb") as out:
            subprocess.Popen(
                [sys.executable, "-m", "cli", "reprocess", "--data-dir", str(s.data_dir)],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        st.info("Reprocessing started; the charts update when it has finished.")
    if log.exists():
        with st.expander("Last reprocess output"):
            st.code(log.read_text(encoding="utf-8", errors="replace")[-4000:] or "(running…)")


def render() -> None:
    st.title("Review discovered actors")
    st.caption(
        "Names the enrichment found that are not in the registry. Decisions go to the registry "
        "overlay file and take effect after reprocessing."
    )
    if not widgets.guard():
        return
    total = data.discovered_count()
    reprocess_button()
    if not total:
        st.info("No discovered actors.")
        return
    name = st.text_input("Find a discovered actor", key="w_review_find", placeholder="part of a name").strip()
    found = data.discovered_actors(SHOWN, name)
    if found.empty:
        st.info(f"No discovered actor's name holds “{name}”.")
        return
    which = f"whose name holds “{name}”" if name else "discovered"
    st.caption(f"The {len(found):,} most mentioned {which} of {total:,} discovered actors." if len(found) == SHOWN
               else f"{len(found):,} of {total:,} discovered actors.")
    st.dataframe(found, hide_index=True, width="stretch")
    labels = dict(zip(found["actor_id"], found["name"], strict=False))
    pick = st.selectbox("Actor to review", list(labels), format_func=lambda a: labels[a])
    opts = data.filter_options()["actors"]
    registry = opts[opts["origin"] == "registry"]
    actions(found[found["actor_id"] == pick].iloc[0], registry, context.settings().overlay)
