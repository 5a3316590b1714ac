"""Optional password for the dashboard: Settings.dashboard_password or the Streamlit secret `dashboard_password`."""

from __future__ import annotations

import hmac

import streamlit as st

from dashboard import context


def expected_password() -> str | None:
    value = context.settings().dashboard_password
    if value:
        return value
    try:
        secret = st.secrets.get("dashboard_password")
    except Exception:  # no secrets file: no password
        return None
    return str(secret) if secret else None


def allowed() -> bool:
    """True when no password is set or the session entered it; otherwise shows the login form."""
    wanted = expected_password()
    if not wanted or st.session_state.get("authenticated"):
        return True
    st.title("Lagebild")
    with st.form("login"):
        given = st.text_input("Password", type="password")
        if st.form_submit_button("Sign in"):
            if hmac.compare_digest(given.encode(), wanted.encode()):
                st.session_state["authenticated"] = True
                st.rerun()
            st.error("Wrong password.")
    return False
