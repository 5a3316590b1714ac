"""Fixtures of the reliability suite: one Prefect API shared by every child process."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def prefect_api(prefect_harness) -> str:
    """The URL of the session's Prefect test server, for `lagebild` child processes.

    Sharing it spares each child the start of its own ephemeral server (~10 s).
    """
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    assert url, "the Prefect test harness did not set an API URL"
    return str(url)
