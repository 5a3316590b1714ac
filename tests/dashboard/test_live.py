"""Live refresh when another process holds the warehouse: the page says so and tries again by itself."""

from __future__ import annotations

from dash_helpers import open_app, texts

from dashboard.widgets import SEEN
from helpers import hold_read_write
from warehouse.queries import read


def test_a_page_that_met_a_held_warehouse_says_who_holds_it_and_tries_again(with_empty, monkeypatch):
    """A process holding the file read-write (a DuckDB CLI, a notebook) outlasts the dashboard's read timeout:
    the page names it instead of showing a traceback (here the read of the page's filter choices, before its
    live body); once the holder lets go, the page reads the warehouse again."""
    monkeypatch.setattr(read, "READ_TIMEOUT", 1.0)
    holder = hold_read_write(with_empty, 60)
    try:
        at = open_app("overview")
        page = texts(at)
        assert f"PID {holder.pid}" in page and "This view retries by itself." in page, page
        assert not at.exception
        assert SEEN not in at.session_state or at.session_state[SEEN] == ()  # no stamp: the next tick reruns
    finally:
        holder.kill()
        holder.wait()
    at.run()
    assert not at.exception and "retries by itself" not in texts(at)
    assert at.session_state[SEEN] not in ((), None)  # the live body ran on the warehouse's current stamp
