"""warehouse/store.py: the Warehouse object — transactions across connections, failed runs, reprocessing rows."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from wh_helpers import batch_of

from warehouse import Warehouse
from warehouse.data_checks import DataCheckFailed
from warehouse.load import RunRow


def test_an_error_inside_a_transaction_leaves_nothing_for_the_next_connection(warehouse: Warehouse):
    with pytest.raises(RuntimeError, match="stop"), warehouse.transaction() as con:
        con.execute("INSERT INTO themes VALUES ('t', 'T')")
        raise RuntimeError("stop")
    with warehouse.connect(read_only=True) as con:
        assert con.execute("SELECT count(*) FROM themes").fetchone() == (0,)


def test_a_failed_run_keeps_the_counts_it_committed(warehouse, seed_articles, seed_enrichments, seed_themes):
    warehouse.commit_batch(batch_of("run-1", seed_articles[:2], seed_enrichments[:2], seed_themes))
    warehouse.record_failed_run(RunRow("run-1", None, datetime(2026, 1, 1), "failed", message="boom"))
    warehouse.record_failed_run(RunRow("run-2", None, datetime(2026, 1, 1), "failed", message="early"))
    with warehouse.connect(read_only=True) as con:
        assert con.execute("SELECT run_id, status, loaded, message FROM ingest_runs ORDER BY run_id").fetchall() == [
            ("run-1", "failed", 2, "boom"), ("run-2", "failed", 0, "early")]


def test_replacing_enrichments_swaps_the_rows_and_stamps_the_version(warehouse, seed_articles, seed_enrichments,
                                                                     seed_themes):
    warehouse.commit_batch(batch_of("run-1", seed_articles, seed_enrichments, seed_themes))
    assert warehouse.outdated_ids("v-next") == sorted(a.article_id for a in seed_articles)
    first = seed_enrichments[0]
    fewer = dataclasses.replace(first, mentions=first.mentions[:1], enrich_version="v-next")
    warehouse.replace_enrichments([fewer], seed_themes)
    assert warehouse.outdated_ids("v-next") == sorted(a.article_id for a in seed_articles[1:])
    with warehouse.connect(read_only=True) as con:
        assert con.execute("SELECT count(*) FROM mentions WHERE article_id = ?", [first.article_id]).fetchone() == (1,)
        assert con.execute("SELECT sum(mentions) FROM article_day").fetchone()[0] == 1 + sum(
            len(e.mentions) for e in seed_enrichments[1:])
    assert [a.article_id for a in warehouse.load_articles([first.article_id])] == [first.article_id]
    assert warehouse.count_articles() == 5


def test_replacing_enrichments_with_bad_rows_changes_nothing(warehouse, seed_articles, seed_enrichments,
                                                             seed_themes):
    warehouse.commit_batch(batch_of("run-1", seed_articles, seed_enrichments, seed_themes))
    first = seed_enrichments[0]
    bad = dataclasses.replace(first, themes=(dataclasses.replace(first.themes[0], theme_id="erfunden"),))
    with pytest.raises(DataCheckFailed, match="known themes"):
        warehouse.replace_enrichments([bad], seed_themes)
    with warehouse.connect(read_only=True) as con:
        assert con.execute("SELECT count(*) FROM mentions WHERE article_id = ?", [first.article_id]).fetchone() == (
            len(first.mentions),)
