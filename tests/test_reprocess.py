"""flows/reprocess.py: re-enrichment after the review overlay changes, idempotent."""

from __future__ import annotations

import duckdb
import pytest

from helpers import drop

pytestmark = pytest.mark.usefixtures("prefect_harness")


def rows(settings, sql, params=None):
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_merging_a_discovered_name_then_reprocessing_moves_its_mentions(settings, seed_files):
    from flows.ingest import ingest_files
    from flows.reprocess import reprocess
    from lagebild.enrich.review import merge
    from warehouse.db import initialise

    initialise(settings.warehouse)
    ingest_files([str(p) for p in drop(settings, *seed_files)], settings)
    assert reprocess(settings).articles == 0  # everything is current
    [(disc_id, name, count)] = rows(settings, """
        SELECT m.actor_id, a.name, count(*) FROM mentions m JOIN actors a USING (actor_id)
        WHERE a.origin = 'discovered' GROUP BY ALL ORDER BY 3 DESC, 1 LIMIT 1""")
    before_version = rows(settings, "SELECT DISTINCT enrich_version FROM articles")
    total_before = rows(settings, "SELECT count(*) FROM mentions")[0][0]

    merge(settings.overlay, name, "country-ru")  # an analyst's review decision (deliberately odd)
    report = reprocess(settings)
    assert report.articles == 5 and report.version not in {v for (v,) in before_version}
    assert rows(settings, "SELECT count(*) FROM mentions WHERE actor_id = ?", [disc_id])[0][0] == 0
    assert rows(settings, "SELECT DISTINCT enrich_version FROM articles") == [(report.version,)]
    snapshot = rows(settings, "SELECT article_id, actor_id, start_char, end_char FROM mentions ORDER BY ALL")
    assert len(snapshot) >= total_before - count

    again = reprocess(settings)  # idempotent: nothing outdated, nothing changes
    assert again.articles == 0
    assert rows(settings, "SELECT article_id, actor_id, start_char, end_char FROM mentions ORDER BY ALL") == snapshot
    everything = reprocess(settings, everything=True)
    assert everything.articles == 5
    assert rows(settings, "SELECT article_id, actor_id, start_char, end_char FROM mentions ORDER BY ALL") == snapshot
    # the summary tables follow the re-enrichment
    assert rows(settings, "SELECT sum(mentions) FROM actor_day")[0][0] == len(snapshot)
