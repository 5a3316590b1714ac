"""warehouse/stories.py: the load step groups the seeds into stories; the story rows; rebuilding gives the same."""

from __future__ import annotations

import pytest
from summary_raw import mismatches
from wh_helpers import batch_of


def story_files(warehouse) -> dict[str, str]:
    with warehouse.connect(read_only=True) as con:
        return dict(con.execute("SELECT ar.source_file[:3], sa.story_id FROM story_articles sa "
                                "JOIN articles ar USING (article_id)").fetchall())


def test_seeds_form_the_geneva_story_and_one_other(warehouse, seed_articles, seed_enrichments, seed_themes):
    # one batch per article, in file order: stories form and merge as the articles arrive
    for i, (a, e) in enumerate(zip(seed_articles, seed_enrichments, strict=True)):
        warehouse.commit_batch(batch_of(f"r{i}", [a], [e], seed_themes))
    story = story_files(warehouse)
    assert story["000"] == story["001"] == story["002"] == story["004"] != story["003"]
    with warehouse.connect(read_only=True) as con:
        rows = con.execute("SELECT story_id, title, first_seen, last_seen, articles, copies, sources, top_actors, "
                           "themes FROM stories ORDER BY articles DESC").fetchall()
    assert len(rows) == 2 and [r[4] for r in rows] == [4, 1]
    geneva = rows[0]
    assert geneva[0] == story["000"] and geneva[5] == 0 and len(geneva[6]) == 4
    assert str(geneva[2]) == "2022-01-01" and str(geneva[3]) == "2022-01-31"  # month-dated members span January
    actors = {a["actor_id"]: a for a in geneva[7]}
    assert {"sergej-lawrow", "antony-blinken"} <= set(actors)
    assert actors["antony-blinken"]["role"]  # the office he held at the time
    assert geneva[8]  # themes, most frequent first
    with warehouse.connect(read_only=True) as con:  # each batch added to its story's row as a recount gives it
        assert {t: m for t, m in mismatches(con).items() if t.startswith("stor")} == {}


def test_rebuilding_gives_the_same_grouping(warehouse, seed_articles, seed_enrichments, seed_themes):
    warehouse.commit_batch(batch_of("r", seed_articles, seed_enrichments, seed_themes))
    before = story_files(warehouse)
    assert warehouse.rebuild_stories() == 2
    after = story_files(warehouse)
    assert sorted(before) == sorted(after)
    assert {k: before[k] == before["000"] for k in before} == {k: after[k] == after["000"] for k in after}


def dated(original, header: str, file: str, change: tuple[str, str] | None = None):
    """The original's text under another date header (`YYYY-MM` or `YYYY-MM-DD`), slightly changed if asked."""
    from lagebild.parse import parse_file

    body = original.body if change is None else original.body.replace(*change)
    return parse_file(file, f" date {header} {body}".encode()).articles[0]


@pytest.mark.parametrize(("stored_date", "new_date", "together"), [
    ("2024-03-15", "2024-03", True),  # mid-month: far from the month's first and last day
    ("2024-03", "2024-03-15", True),  # the same pair the other way round
    ("2024-03-07", "2024-03", True),  # the first day more than WINDOW_DAYS after the month's first day
    ("2024-04-05", "2024-03", True),  # WINDOW_DAYS after the month's last day
    ("2024-04-06", "2024-03", False),  # one day more: too far apart
])
def test_a_copy_dated_to_its_month_joins_the_story_of_its_original_in_a_later_batch(
        warehouse, tmp_path, seed_settings, seed_articles, seed_themes, stored_date, new_date, together):
    """A month-dated article spans its whole month: it links to a stored copy dated on any day of it (and
    WINDOW_DAYS around it), whether the copy came in the same batch or an earlier one."""
    from lagebild.resources import enrich_with_defaults
    from warehouse import Warehouse

    stored = dated(seed_articles[3], stored_date, "zuerst.txt")
    new = dated(seed_articles[3], new_date, "spaeter.txt", ("Rätselraten", "Raten"))
    assert {stored.date_precision, new.date_precision} == {"day", "month"}
    enrichments = enrich_with_defaults(seed_settings, [stored, new])
    warehouse.commit_batch(batch_of("r1", [stored], enrichments[:1], seed_themes))
    warehouse.commit_batch(batch_of("r2", [new], enrichments[1:], seed_themes, stored={stored.article_id}))
    at_once = Warehouse(tmp_path / "at-once.duckdb", lock_timeout=5)
    at_once.initialise()
    at_once.commit_batch(batch_of("r", [stored, new], enrichments, seed_themes))

    def same_story(wh) -> bool:
        story = story_files(wh)
        return story["zue"] == story["spa"]

    assert same_story(at_once) is together
    assert same_story(warehouse) is together


def keys_and_expected(warehouse) -> tuple[list[tuple], list[tuple]]:
    """story_keys, and what it should hold: the persons, organisations and title words of story_articles.keys."""
    from lagebild.stories import STRONG

    with warehouse.connect(read_only=True) as con:
        stored = con.execute('SELECT "key", article_id, first_day, last_day FROM story_keys').fetchall()
        every = con.execute("SELECT unnest(string_split(keys, ' ')), article_id, first_day, last_day "
                            "FROM story_articles").fetchall()
    assert {k[0] for k, *_ in every} - STRONG  # places and themes are compared, but nobody is found by them
    return sorted(stored), sorted(r for r in every if r[0][0] in STRONG)


def test_story_keys_follow_story_articles_through_loading_reprocessing_and_rebuilding(
        warehouse, seed_articles, seed_enrichments, seed_themes):
    from dataclasses import replace

    for i in range(3):  # one batch per article, then the rest in one: stories form, join and merge
        warehouse.commit_batch(batch_of(f"r{i}", seed_articles[i:i + 1], seed_enrichments[i:i + 1], seed_themes))
    warehouse.commit_batch(batch_of("r3", seed_articles[3:], seed_enrichments[3:], seed_themes))
    loaded, expected = keys_and_expected(warehouse)
    assert loaded == expected and len({r[1] for r in loaded}) == 5
    # reprocessing (flows/reprocess.py): one article loses its mentions, then every story is clustered again
    gone = seed_enrichments[0].article_id
    warehouse.replace_enrichments([replace(seed_enrichments[0], mentions=())], seed_themes)
    warehouse.rebuild_stories()
    reprocessed, expected = keys_and_expected(warehouse)
    assert reprocessed == expected
    assert {r[0] for r in reprocessed if r[1] == gone} < {r[0] for r in loaded if r[1] == gone}
    assert {r[0][0] for r in reprocessed if r[1] == gone} == {"w"}  # its title words are left
    warehouse.rebuild_stories()
    assert keys_and_expected(warehouse) == (reprocessed, reprocessed)


def _keys(*spec: str) -> frozenset[str]:
    return frozenset(spec)


_SHARED = ("p:a", "t:1", "t:2")  # 10 + 2 + 2 tenths: exactly MIN_SHARED


@pytest.mark.parametrize(("new_keys", "stored_keys", "expected"), [
    # shared weight exactly MIN_SHARED and exactly LINK_PERCENT % of the smaller set (14 of 40 tenths)
    (_keys(*_SHARED, "o:q", "o:r", "o:s", "t:3"), _keys(*_SHARED, "p:b", "p:c", "p:d", "p:e"), True),
    # one place more in the smaller set: 14 of 43 tenths, under 35 %
    (_keys(*_SHARED, "o:q", "o:r", "o:s", "t:3", "g:x"), _keys(*_SHARED, "p:b", "p:c", "p:d", "p:e"), False),
    # shared 13 tenths (under MIN_SHARED) although they are most of both sets
    (_keys("o:q", "g:x", "t:1"), _keys("o:q", "g:x", "t:1", "p:z"), False),
    # shared places and themes weigh enough, but hold no person, organisation or title word
    (_keys("g:1", "g:2", "g:3", "g:4", "g:5", "p:a"), _keys("g:1", "g:2", "g:3", "g:4", "g:5", "w:b"), False),
    # a key of another kind weighs OTHER_WEIGHT
    (_keys("p:a", "x:1", "w:q"), _keys("p:a", "x:1", "o:z"), True),
])
def test_a_stored_article_sharing_a_key_is_read_only_when_the_keys_link_it(warehouse, new_keys, stored_keys,
                                                                         expected):
    """`members_near` reads a stored article that shares a key with a new one only when what the two name
    links them (`stories.keys_linked`, exact at the thresholds)."""
    from datetime import date

    from lagebild.stories import StoryArticle, keys_linked
    from warehouse.stories import members_near

    assert keys_linked(new_keys, stored_keys) is expected
    day = date(2024, 3, 5)
    with warehouse.connect() as con:
        _store_one(con, day, stored_keys)
        found = members_near(con, [StoryArticle("new", day, day, new_keys)])
    assert [a.article_id for _, a in found] == (["old"] if expected else [])


def _store_one(con, day, keys, article_id: str = "old", story: str = "s-old") -> None:
    from lagebild.stories import StoryArticle
    from warehouse.stories import add_keys, add_to_stories

    con.execute("INSERT INTO articles (article_id, published_date, date_precision, title, body, source_file, "
                "word_count, ingested_at, run_id) VALUES (?, ?, 'day', 't', 'b', 'f', 1, now(), 'r')",
                [article_id, day])
    member = StoryArticle(article_id, day, day, frozenset(keys))
    add_to_stories(con, [(story, member)], {})
    add_keys(con, [member])


@pytest.mark.parametrize(("stored_day", "read"), [("2024-03-10", True), ("2024-03-11", False), ("2023-03-05", False)])
def test_a_partner_by_shared_passages_is_read_only_within_the_window_of_its_article(warehouse, stored_day, read):
    """A recorded overlap links two articles only within WINDOW_DAYS (`stories.linked`), so a partner far
    in time is not read, nor is its story: text re-used over months does not make the clustering's reads
    grow with the warehouse."""
    from datetime import date

    from lagebild.stories import StoryArticle
    from warehouse.stories import members_near

    day = date(2024, 3, 5)
    with warehouse.connect() as con:
        _store_one(con, date.fromisoformat(stored_day), frozenset())
        new = StoryArticle("new", day, day, frozenset())
        found = members_near(con, [new], [("new", "old")])
        unrelated = members_near(con, [new], [("other", "old")])  # linked to another article of no span here
    assert [a.article_id for _, a in found] == (["old"] if read else [])
    assert unrelated == []


def test_placing_an_article_reads_the_linked_members_and_the_earliest_one_near_in_time_not_the_whole_story(
        warehouse):
    """Of a touched story, only the members linked to the batch come back, plus the earliest member within
    the window (it decides the id a merged story keeps): a story of many members costs what it links."""
    from datetime import date, timedelta

    from lagebild.stories import StoryArticle
    from warehouse.stories import members_near

    day = date(2024, 3, 20)
    with warehouse.connect() as con:
        for n in range(40):  # one long story: a member every day from 2024-02-20 on
            _store_one(con, day - timedelta(days=29 - n), frozenset(), article_id=f"m{n:02d}", story="s-long")
        new = StoryArticle("new", day, day, frozenset())
        found = members_near(con, [new], [("new", "m29"), ("new", "m31")])
    # m29 is the new article's day, m31 two days later: both linked; m24 (day - 5) is the story's earliest
    # member within the window; the other 37 members are not read
    assert sorted(a.article_id for _, a in found) == ["m24", "m29", "m31"]
    assert {story for story, _ in found} == {"s-long"}


def test_stories_form_and_merge_batch_by_batch_on_ducklake(tmp_path, seed_articles, seed_enrichments, seed_themes):
    """The same batches on a DuckLake warehouse: a batch joining stored stories replaces their rows there too
    (a catalog's inlined rows once crashed DuckDB on a delete by rowid)."""
    from warehouse import Warehouse

    lake = Warehouse(f"ducklake:sqlite:{tmp_path}/catalog.sqlite", lock_timeout=5)
    lake.initialise()
    for i, (a, e) in enumerate(zip(seed_articles, seed_enrichments, strict=True)):
        lake.commit_batch(batch_of(f"r{i}", [a], [e], seed_themes))
    story = story_files(lake)
    assert story["000"] == story["001"] == story["002"] == story["004"] != story["003"]
    with lake.connect(read_only=True) as con:
        assert con.execute("SELECT count(*), max(articles) FROM stories").fetchone() == (2, 4)
        assert {t: m for t, m in mismatches(con).items() if t.startswith("stor")} == {}
