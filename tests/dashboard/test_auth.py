"""Optional dashboard password."""

from __future__ import annotations

from dash_helpers import open_app, texts


def test_password_required_when_set(with_data, monkeypatch):
    monkeypatch.setenv("LAGEBILD_DASHBOARD_PASSWORD", "geheim")
    at = open_app()
    assert not at.metric and at.text_input
    at.text_input[0].input("falsch")
    at.button[0].click().run()
    assert "Wrong password" in texts(at) and not at.metric
    at.text_input[0].input("geheim")
    at.button[0].click().run()
    assert [t.value for t in at.title] == ["Lage"]  # the front page


def test_no_password_by_default(with_data):
    assert [t.value for t in open_app().title] == ["Lage"]
