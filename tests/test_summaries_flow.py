"""The summary tables equal the counts of the raw rows after each kind of write the product makes:
ingest, a second batch, a file dropped again under its name with a changed text, `lagebild reprocess`
(after a review decision, then of everything). Real files, real enrichment, real Prefect flows."""

from __future__ import annotations

import duckdb
import pytest
from summary_raw import RAW, mismatches

from helpers import drop

pytestmark = pytest.mark.usefixtures("prefect_harness")


def check(settings) -> dict[str, int]:
    """No summary differs from its raw count; returns the rows of each summary table."""
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        assert mismatches(con) == {}
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in RAW}


def test_summaries_equal_the_raw_rows_after_ingest_a_second_batch_a_changed_file_and_reprocess(settings, seed_files):
    from flows.ingest import ingest_files
    from flows.reprocess import reprocess
    from lagebild.enrich.review import merge
    from warehouse.db import initialise

    initialise(settings.warehouse)
    ingest_files([str(p) for p in drop(settings, *seed_files[:3])], settings)
    first = check(settings)
    assert first["actor_pair_month"] > 0 and first["actor_day"] > 0

    ingest_files([str(p) for p in drop(settings, *seed_files[3:])], settings)
    second = check(settings)
    assert second["actor_pair_month"] > first["actor_pair_month"]

    changed = settings.inbox / seed_files[0].name  # the same file name with another text
    text = seed_files[0].read_text(encoding="utf-8")
    changed.write_text(text + "\n\nBundeskanzler Olaf Scholz und Emmanuel Macron äußerten sich am Abend.\n",
                       encoding="utf-8")
    ingest_files([str(changed)], settings)
    check(settings)
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles WHERE source_file = ?",
                           [seed_files[0].name]).fetchone()[0] == 2

    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        [(name,)] = con.execute("""SELECT a.name FROM mentions m JOIN actors a USING (actor_id)
                                   WHERE a.origin = 'discovered' GROUP BY ALL ORDER BY count(*) DESC, 1
                                   LIMIT 1""").fetchall()
    merge(settings.overlay, name, "country-ru")  # a review decision moves mentions to another actor
    assert reprocess(settings).articles > 0
    check(settings)
    assert reprocess(settings, everything=True).articles == 6
    check(settings)
