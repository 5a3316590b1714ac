"""lagebild/settings.py: defaults, environment, flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.settings import Settings


def test_defaults_live_under_data():
    s = Settings.load(env={})
    assert s.inbox == Path("data/inbox") and s.warehouse == "data/lagebild.duckdb"
    assert s.max_file_bytes == 5 * 1024 * 1024


def test_environment_and_flags_override_in_order():
    env = {"LAGEBILD_DATA_DIR": "/srv/lb", "LAGEBILD_INBOX": "/drop", "LAGEBILD_BATCH_SIZE": "50"}
    s = Settings.load(env=env)
    assert s.archive == Path("/srv/lb/archive") and s.inbox == Path("/drop") and s.batch_size == 50
    assert Settings.load(env=env, batch_size=7, inbox=None).batch_size == 7


def test_bad_numbers_name_the_variable():
    with pytest.raises(ValueError, match="LAGEBILD_MAX_FILE_MB must be a number"):
        Settings.load(env={"LAGEBILD_MAX_FILE_MB": "five"})
