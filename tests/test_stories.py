"""lagebild/stories.py: which articles link, how stories form, merge and ignore the arrival order."""

from __future__ import annotations

import itertools
from datetime import date

from lagebild import stories
from lagebild.stories import StoryArticle


def art(aid: str, day: int, *keys: str, duplicate_of: str | None = None, month: int = 3) -> StoryArticle:
    d = date(2024, month, day)
    return StoryArticle(aid, d, d, frozenset(keys), duplicate_of)


def partition(assignment: stories.Assignment) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for a, s in assignment.story_of.items():
        groups.setdefault(s, set()).add(a)
    return {frozenset(g) for g in groups.values()}


def test_keys_come_from_title_words_actors_and_themes():
    keys = stories.keys_of("Lawrow trifft Blinken in Genf", [("person", "sergej-lawrow"), ("country", "ch")],
                           ["diplomacy"])
    assert {"p:sergej-lawrow", "g:ch", "t:diplomacy", "w:lawrow", "w:trifft", "w:blinke"} <= keys
    assert "w:in" not in keys and stories.title_words("und der Streit") == {"streit"}


def test_shared_persons_link_articles_in_the_window_and_places_alone_do_not():
    a = art("a", 1, "p:lawrow", "p:blinken", "g:ch", "w:treffe")
    assert stories.linked(a, art("b", 3, "p:lawrow", "p:blinken", "w:genf"))
    assert not stories.linked(a, art("c", 3, "g:ch", "p:someone", "o:fifa", "w:fussba"))
    assert not stories.linked(a, art("d", 1 + stories.WINDOW_DAYS + 1, "p:lawrow", "p:blinken"))


def test_copies_and_shared_passages_link_whatever_their_keys():
    a = art("a", 1, "w:eins")
    assert stories.linked(a, art("b", 2, "w:zwei", duplicate_of="a"))
    assert stories.linked(a, art("c", 2, "w:drei"), overlap=0.2)


def test_month_dated_articles_span_their_month():
    first, last = stories.date_span(date(2024, 2, 1), "month")
    assert (first, last) == (date(2024, 2, 1), date(2024, 2, 29))
    feb = StoryArticle("m", first, last, frozenset({"p:x", "p:y"}))
    assert stories.gap_days(feb, art("d", 27, "p:x", month=2)) == 0
    assert stories.linked(feb, art("d", 27, "p:x", "p:y", month=2))


def test_a_new_article_joins_a_stored_story_or_starts_one():
    stored = [("s1", art("a", 1, "p:x", "p:y"))]
    result = stories.assign([art("b", 2, "p:x", "p:y"), art("c", 2, "p:z", "o:q")], stored)
    assert result.story_of == {"b": "s1", "c": "c"} and result.merged == {}


def test_an_article_linking_two_stories_merges_them_into_the_earlier():
    stored = [("s1", art("a", 1, "p:x", "p:y")), ("s2", art("b", 4, "p:u", "p:v"))]
    result = stories.assign([art("c", 3, "p:x", "p:y", "p:u", "p:v")], stored)
    assert result.story_of == {"c": "s1"} and result.merged == {"s2": "s1"}


def test_the_grouping_does_not_depend_on_the_arrival_order():
    arts = [art("a", 1, "p:x", "p:y"), art("b", 5, "p:u", "p:v"), art("c", 3, "p:x", "p:y", "p:u", "p:v"),
            art("d", 20, "p:x", "p:y"), art("e", 2, "w:other", duplicate_of="a")]
    expected = {frozenset("abce"), frozenset("d")}
    for order in itertools.permutations(arts):
        stored: list[tuple[str, StoryArticle]] = []
        story_of: dict[str, str] = {}
        for one in order:  # one article per batch, as a watcher would see them
            result = stories.assign([one], stored)
            story_of = {a: result.merged.get(s, s) for a, s in story_of.items()} | result.story_of
            stored = [(result.merged.get(s, s), a) for s, a in stored] + [(result.story_of[one.article_id], one)]
        assert partition(stories.Assignment(story_of)) == expected


def test_keys_hold_no_whitespace_so_the_stored_string_gives_them_back():
    """story_articles.keys is the keys separated by spaces (migration 012)."""
    from warehouse.stories import keys_from, keys_text

    keys = stories.keys_of("Gipfel in Genf", [("person", "olaf scholz"), ("place", "genf")], ["diplomatie", "a\tb"])
    assert not any(ch.isspace() for key in keys for ch in key)
    assert {"p:olaf_scholz", "g:genf", "t:a_b", "t:diplomatie"} <= keys
    assert keys_from(keys_text(keys)) == keys and keys_text(keys) == " ".join(sorted(keys))
