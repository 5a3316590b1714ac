"""warehouse/stories.py: the load step groups the seeds into stories; the story rows; rebuilding gives the same."""

from __future__ import annotations

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


def test_rebuilding_gives_the_same_grouping(warehouse, seed_articles, seed_enrichments, seed_themes):
    warehouse.commit_batch(batch_of("r", seed_articles, seed_enrichments, seed_themes))
    before = story_files(warehouse)
    assert warehouse.rebuild_stories() == 2
    after = story_files(warehouse)
    assert sorted(before) == sorted(after)
    assert {k: before[k] == before["000"] for k in before} == {k: after[k] == after["000"] for k in after}
