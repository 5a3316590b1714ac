"""warehouse/batch_commit.py: one batch loaded in one transaction, on real DuckDB files and real enrichment."""

from __future__ import annotations

import dataclasses

import pytest
from wh_helpers import batch_of, sha

from lagebild.parse import parse_file
from warehouse.batch_commit import BatchPlanOutdated
from warehouse.data_checks import DataCheckFailed
from warehouse.load import LogRow


def count(warehouse, sql: str, params=None) -> int:
    with warehouse.connect(read_only=True) as con:
        return con.execute(sql, params or []).fetchone()[0]


def test_a_batch_stores_its_rows_logs_every_file_and_records_the_run(warehouse, seed_articles, seed_enrichments,
                                                                      seed_themes):
    added = warehouse.commit_batch(batch_of("run-1", seed_articles, seed_enrichments, seed_themes))
    assert added == 5
    assert count(warehouse, "SELECT count(*) FROM articles") == 5
    for table, attr in (("mentions", "mentions"), ("sentences", "sentences"), ("article_themes", "themes"),
                        ("quotes", "quotes"), ("sentence_themes", "sentence_themes")):
        assert count(warehouse, f"SELECT count(*) FROM {table}") == sum(len(getattr(e, attr)) for e in seed_enrichments)
    assert count(warehouse, "SELECT count(*) FROM article_signatures") == 5
    with warehouse.connect(read_only=True) as con:
        log = con.execute("SELECT file, status, destination FROM ingest_log ORDER BY file").fetchall()
        run = con.execute("SELECT status, files, loaded, duplicates, rejected, articles FROM ingest_runs").fetchall()
    assert log == [(a.source_file, "loaded", f"/archive/run-1/{a.source_file}")
                   for a in sorted(seed_articles, key=lambda a: a.source_file)]
    assert run == [("completed", 5, 5, 0, 0, 5)]


def test_exact_copies_are_stored_once_and_near_copies_point_at_their_original(
        warehouse, seed_settings, seed_articles, seed_enrichments, seed_themes):
    from lagebild.resources import enrich_with_defaults

    warehouse.commit_batch(batch_of("run-1", seed_articles, seed_enrichments, seed_themes))
    original = seed_articles[3]
    near = parse_file("leicht-geaendert.txt", (" date 2022-01 " + original.body.replace("Rätselraten", "Raten"))
                      .encode()).articles[0]
    same = dataclasses.replace(original, source_file="kopie.txt")
    batch = batch_of("run-2", [near, same], enrich_with_defaults(seed_settings, [near]), seed_themes,
                     stored={a.article_id for a in seed_articles})
    assert warehouse.commit_batch(batch) == 1
    with warehouse.connect(read_only=True) as con:
        assert con.execute("SELECT duplicate_of FROM articles WHERE article_id = ?",
                           [near.article_id]).fetchall() == [(original.article_id,)]
        assert con.execute('SELECT similarity FROM "overlaps" WHERE article_id = ? AND other_id = ?',
                           [near.article_id, original.article_id]).fetchone()[0] > 0.5
        assert con.execute("SELECT status FROM ingest_log WHERE file = 'kopie.txt'").fetchall() == [("duplicate",)]
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 6
        assert con.execute("SELECT files, loaded, duplicates, articles FROM ingest_runs WHERE run_id = 'run-2'"
                           ).fetchall() == [(2, 1, 1, 1)]


def test_summaries_equal_the_counts_of_the_raw_rows(warehouse, seed_articles, seed_enrichments, seed_themes):
    warehouse.commit_batch(batch_of("run-1", seed_articles[:3], seed_enrichments[:3], seed_themes))
    warehouse.commit_batch(batch_of("run-2", seed_articles[3:], seed_enrichments[3:], seed_themes))
    with warehouse.connect(read_only=True) as con:
        # the batches append to actor_day: rows of one key add up
        actor_day = con.execute("SELECT published_date, date_precision, is_copy, actor_id, sum(mentions), "
                                "sum(articles) FROM actor_day GROUP BY ALL ORDER BY ALL").fetchall()
        raw_actor_day = con.execute(
            """SELECT published_date, date_precision, duplicate_of IS NOT NULL, actor_id, count(*),
                      count(DISTINCT article_id)
               FROM mentions JOIN articles USING (article_id) GROUP BY ALL ORDER BY ALL""").fetchall()
        article_day = con.execute("SELECT * FROM article_day ORDER BY ALL").fetchall()
        raw_article_day = con.execute(
            """SELECT published_date, date_precision, duplicate_of IS NOT NULL, count(*),
                      sum((SELECT count(*) FROM mentions m WHERE m.article_id = a.article_id))
               FROM articles a GROUP BY ALL ORDER BY ALL""").fetchall()
    assert actor_day == raw_actor_day and len(actor_day) > 10
    assert article_day == raw_article_day and sum(r[3] for r in article_day) == 5


def test_a_plan_that_no_longer_fits_the_warehouse_writes_nothing(warehouse, seed_articles, seed_enrichments,
                                                                 seed_themes):
    warehouse.commit_batch(batch_of("run-1", seed_articles[:2], seed_enrichments[:2], seed_themes))
    stale = batch_of("run-2", seed_articles, seed_enrichments, seed_themes)  # planned as if nothing were stored
    with pytest.raises(BatchPlanOutdated, match="2 already stored"):
        warehouse.commit_batch(stale)
    assert count(warehouse, "SELECT count(*) FROM articles") == 2
    assert count(warehouse, "SELECT count(*) FROM ingest_log") == 2
    assert count(warehouse, "SELECT count(*) FROM ingest_runs WHERE run_id = 'run-2'") == 0


def test_a_failing_data_check_rolls_the_whole_batch_back(warehouse, seed_articles, seed_enrichments, seed_themes):
    broken = seed_enrichments[1]
    mention = dataclasses.replace(broken.mentions[0], end_char=len(seed_articles[1].body) + 5)
    enrichments = [*seed_enrichments[:1], dataclasses.replace(broken, mentions=(mention, *broken.mentions[1:])),
                   *seed_enrichments[2:]]
    with pytest.raises(DataCheckFailed) as caught:
        warehouse.commit_batch(batch_of("run-1", seed_articles, enrichments, seed_themes))
    assert caught.value.check == "offsets" and seed_articles[1].article_id in caught.value.example
    for table in ("articles", "mentions", "ingest_log", "ingest_runs", "actor_day", "article_bands"):
        assert count(warehouse, f"SELECT count(*) FROM {table}") == 0, table


def test_recall_finds_committed_files_their_bad_lines_and_stored_articles(warehouse, seed_articles,
                                                                          seed_enrichments, seed_themes):
    batch = batch_of("run-1", seed_articles[:2], seed_enrichments[:2], seed_themes)
    bad_line = LogRow("mix.jsonl", sha("mix"), "rejected", "invalid JSON", 3, None, "/rejected/mix.jsonl.bad-lines")
    whole = LogRow("mix.jsonl", sha("mix"), "loaded", None, None, seed_articles[1].article_id, "/archive/mix.jsonl")
    warehouse.commit_batch(dataclasses.replace(batch, log=[batch.log[0], bad_line, whole]))
    files = [(seed_articles[0].source_file, batch.log[0].sha256), ("mix.jsonl", sha("mix")), ("neu.txt", sha("neu"))]
    known = warehouse.recall(files, [a.article_id for a in seed_articles])
    assert sorted(known.recorded) == sorted([seed_articles[0].source_file, "mix.jsonl"])
    assert known.recorded["mix.jsonl"].row.destination == "/archive/mix.jsonl"
    assert known.recorded["mix.jsonl"].bad_lines_destination == "/rejected/mix.jsonl.bad-lines"
    assert known.recorded[seed_articles[0].source_file].bad_lines_destination is None
    assert known.articles == {a.article_id: a.source_file for a in seed_articles[:2]}


def test_articles_are_numbered_in_load_order_and_their_rows_carry_the_number(warehouse, seed_articles,
                                                                              seed_enrichments, seed_themes):
    """Migration 021: the Article reader and the drill-downs read an article's rows by its number."""
    by_id = {e.article_id: e for e in seed_enrichments}
    first, then = seed_articles[:3], seed_articles[3:]
    warehouse.commit_batch(batch_of("run-1", first, [by_id[a.article_id] for a in first], seed_themes))
    warehouse.commit_batch(batch_of("run-2", then, [by_id[a.article_id] for a in then], seed_themes,
                                    stored={a.article_id for a in first}))
    with warehouse.connect(read_only=True) as con:
        keys = dict(con.execute("SELECT article_id, article_key FROM articles").fetchall())
        for table in ("sentences", "mentions", "article_themes", "sentence_themes", "quotes"):
            rows = con.execute(f"SELECT article_id, article_key FROM {table}").fetchall()
            assert rows and all(keys[aid] == key for aid, key in rows), table
    assert sorted(keys.values()) == [1, 2, 3, 4, 5]
    assert max(keys[a.article_id] for a in first) < min(keys[a.article_id] for a in then)


def test_enrichment_rows_of_an_article_that_is_not_stored_are_refused(warehouse, seed_enrichments):
    from warehouse.load import insert_enrichments

    with warehouse.transaction() as con, pytest.raises(ValueError, match="insert the articles first"):
        insert_enrichments(con, seed_enrichments[:1])
