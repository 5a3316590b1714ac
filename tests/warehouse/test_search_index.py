"""warehouse/search_index.py and warehouse/search.py: the tantivy index beside the warehouse follows each
committed run, catches up after a crash between the two commits, and answers while a writer holds the file."""

from __future__ import annotations

from pathlib import Path

from wh_helpers import batch_of

from helpers import hold_read_write
from warehouse import Warehouse, search_index
from warehouse.search import search


def test_a_committed_run_becomes_searchable_with_german_stemming(warehouse: Warehouse, seed_articles,
                                                                 seed_enrichments, seed_themes):
    assert search(warehouse.target, "Truppen")[1] == "ilike"  # no index yet: substring search
    warehouse.commit_batch(batch_of("run-1", seed_articles, seed_enrichments, seed_themes))
    assert search_index.index_runs(warehouse.target, ["run-1"]) == len(seed_articles)
    found, method = search(warehouse.target, "Truppe")  # the singular finds "Truppen"
    assert method == "fts"
    assert found["title"].str.contains("russische Truppen").any()
    assert found["snippet"].str.contains("Truppen").all()
    assert found["score"].is_monotonic_decreasing
    # query syntax and stray quotes are read as words, never an error
    assert len(search(warehouse.target, 'Truppen: (NATO "')[0]) >= len(found)


def test_catch_up_adds_runs_missing_after_a_crash_and_drops_runs_the_warehouse_lost(
        warehouse: Warehouse, seed_articles, seed_enrichments, seed_themes):
    warehouse.commit_batch(batch_of("run-1", seed_articles[:2], seed_enrichments[:2], seed_themes))
    search_index.index_runs(warehouse.target, ["run-1"])
    # run-2 is committed in the warehouse, but the process died before indexing it
    warehouse.commit_batch(batch_of("run-2", seed_articles[2:], seed_enrichments[2:], seed_themes))
    assert not search_index.in_step(warehouse.target)
    done = search_index.catch_up(warehouse.target)
    assert (done.indexed, done.removed_runs, done.documents) == (len(seed_articles) - 2, 0, len(seed_articles))
    assert search_index.in_step(warehouse.target)
    assert search_index.catch_up(warehouse.target).indexed == 0  # in step: nothing to do
    with warehouse.transaction() as con:  # e.g. a warehouse restored from an older copy
        con.execute("DELETE FROM articles WHERE run_id = 'run-1'")
    assert search_index.catch_up(warehouse.target).removed_runs == 1
    assert search_index.open_index(warehouse.target).searcher().num_docs == len(seed_articles) - 2


def test_copies_are_left_out_unless_asked_for_and_a_rebuild_gives_the_same_answers(
        warehouse: Warehouse, seed_articles, seed_enrichments, seed_themes):
    warehouse.commit_batch(batch_of("run-1", seed_articles, seed_enrichments, seed_themes))
    with warehouse.transaction() as con:  # mark one article a syndicated copy of another
        con.execute("UPDATE articles SET duplicate_of = ? WHERE article_id = ?",
                    [seed_articles[0].article_id, seed_articles[1].article_id])
    search_index.rebuild(warehouse.target)
    stories = search(warehouse.target, "Blinken")[0]
    everything = search(warehouse.target, "Blinken", include_duplicates=True)[0]
    assert seed_articles[1].article_id not in set(stories["article_id"])
    copy = everything[everything["article_id"] == seed_articles[1].article_id]
    assert copy["duplicate_of"].tolist() == [seed_articles[0].article_id]
    assert search_index.rebuild(warehouse.target) == len(seed_articles)
    assert search(warehouse.target, "Blinken")[0]["article_id"].tolist() == stories["article_id"].tolist()


def test_search_answers_while_another_process_holds_the_warehouse_for_writing(
        warehouse: Warehouse, seed_articles, seed_enrichments, seed_themes):
    warehouse.commit_batch(batch_of("run-1", seed_articles, seed_enrichments, seed_themes))
    search_index.index_runs(warehouse.target, ["run-1"])
    holder = hold_read_write(Path(warehouse.target), 60)
    try:
        found, method = search(warehouse.target, "Lawrow")
        assert method == "fts" and len(found) > 0
    finally:
        holder.kill()
        holder.wait()
