"""Stories in SQL (migrations 008, 010, 012, 014, 015, 017): the features the clustering needs, its placements,
and the story rows.

The load step calls `assign_stories` inside its transaction, after the articles, their enrichment and
their overlaps are inserted; reprocessing calls `rebuild_stories`. The clustering itself is
`lagebild.stories` (no SQL). `story_keys` holds each article's `looked_up` keys of `story_articles`
(one row per key), written and cleared with it here, so that `members_near` finds the stored articles
sharing a key by equality. A story's row in `stories` is kept by what each batch adds to it
(`add_to_stories`): it holds its counts per actor and per theme; a change to stored members recounts their
stories from all of their members (`refresh_story_rows`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import pyarrow as pa

from lagebild import stories
from lagebild.stories import Assignment, StoryArticle
from warehouse.db import drop_scratch

REBUILD_CHUNK = 5000
TOP_ACTORS = 5
TOP_THEMES = 3
STORY_KEY_COLUMNS = ("key", "article_id", "first_day", "last_day")


def key_day(key: str, day: str, by_month: str) -> str:
    """SQL of `story_keys.key_day` (migration 015) for these SQL expressions of a key, a day and whether the
    article is dated to its month: md5, so that the number stays the same across DuckDB versions."""
    return f"(md5_number_lower(({key}) || ' ' || ({day})::VARCHAR || ' ' || ({by_month})::VARCHAR) >> 1)::BIGINT"


def keys_text(keys: Iterable[str]) -> str:
    """`story_articles.keys` (migration 012): the keys sorted, separated by spaces (a key holds none:
    `stories.keys_of`)."""
    return " ".join(sorted(keys))


def keys_from(text: str) -> frozenset[str]:
    return frozenset(text.split())


def looked_up(keys: Iterable[str]) -> list[str]:
    """The keys a stored article is found by (`story_keys`): a link needs a person, organisation or title word."""
    return sorted(k for k in keys if k[0] in stories.STRONG)


STORED = {t: t for t in ("articles", "mentions", "article_themes")}  # the tables `features` reads, by their names


def features(con: Any, article_ids: Sequence[str], tables: Mapping[str, str] = STORED) -> list[StoryArticle]:
    """What the clustering compares of these stored articles (title, actors, themes, dates, original).
    `tables`: where their rows of `articles`, `mentions` and `article_themes` are (the load step's staged
    tables hold exactly a batch's: reading them there spares a scan of every stored mention)."""
    if not article_ids:
        return []
    rows = con.execute(
        f"""SELECT ar.article_id, ar.published_date, ar.date_precision, ar.title, ar.duplicate_of,
                  (SELECT list(DISTINCT [a.kind, m.actor_id]) FROM {tables["mentions"]} m JOIN actors a USING (actor_id)
                   WHERE m.article_id = ar.article_id AND m.method <> 'prefix'),
                  (SELECT list(t.theme_id) FROM {tables["article_themes"]} t WHERE t.article_id = ar.article_id)
           FROM {tables["articles"]} ar WHERE ar.article_id IN (SELECT unnest(?))""",
        [list(article_ids)],
    ).fetchall()
    out = []
    for aid, day, precision, title, original, actors, themes in rows:
        first, last = stories.date_span(day, precision)
        keys = stories.keys_of(title, [(k, a) for k, a in actors or ()], themes or ())
        out.append(StoryArticle(aid, first, last, keys, original))
    return out


def members_near(con: Any, arts: Sequence[StoryArticle],
                 links: Iterable[tuple[str, str]] = ()) -> list[tuple[str, StoryArticle]]:
    """(story id, article) of the stored articles that the clustering links to `arts`, plus, for each of
    their stories, its earliest member near in time, which decides the id a merged story keeps.
    `stories.assign` gives the same result as with every stored article near in time.

    The stored articles near in time are those whose date span lies within WINDOW_DAYS of the date span
    of any of `arts` (a month-dated article spans its whole month, as in `stories.gap_days`). Of these,
    only the ones linked to one of `arts` are read in full: by what they name (`stories.keys_linked`,
    decided here for each pair that shares a key within the window, so that the rows clustered stay few
    however many articles share a common key), or as the other side of one of `links` (recorded overlaps,
    as (id of one of `arts`, other id) pairs), an original, or a copy of one of `arts`. Such a partner is
    read only when it lies within WINDOW_DAYS of the article it is linked to, which it cannot link to
    otherwise (`stories.linked`): the partners far in time, which text re-used over months or years
    brings in growing numbers, are not read, nor are their stories.

    Articles sharing a key are found in `story_keys` by equality on (key, day), as one number (`key_day`): a
    stored article dated to a day lies within a window when its day is one of the window's days; one dated
    to its month spans that whole month (`stories.date_span`), so it lies within a window when its month is
    one the window touches. (A range condition per window instead compares each stored row with every
    window of its key, and a common key has many.) Two (key, day) pairs of the same number only add a
    candidate that `_linked_by_keys` and the window then judge by the real keys and dates.
    """
    if not arts:
        return []
    wide = stories.WINDOW_DAYS
    spans: list[tuple[date, date]] = []  # the days within WINDOW_DAYS of `arts`, as disjoint sorted spans
    for lo, hi in sorted((a.first - timedelta(days=wide), a.last + timedelta(days=wide)) for a in arts):
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], hi))
        else:
            spans.append((lo, hi))
    pairs = sorted({*links, *((a.article_id, a.duplicate_of) for a in arts if a.duplicate_of)})
    hit = _linked_by_keys(arts, _sharing_a_key(con, arts, spans[0][0], spans[-1][1]))
    rows = con.execute(
        f"""WITH mine AS (SELECT unnest($ids::VARCHAR[]) AS new_id, unnest($first::DATE[]) AS first,
                                unnest($last::DATE[]) AS last),
                pairs AS (SELECT unnest($new::VARCHAR[]) AS new_id, unnest($other::VARCHAR[]) AS article_id
                          UNION ALL SELECT duplicate_of, article_id FROM story_articles
                          WHERE duplicate_of IN (SELECT unnest($ids::VARCHAR[]))),
                near AS (SELECT story_id, article_id FROM story_articles
                         WHERE article_id IN (SELECT unnest($hit::VARCHAR[]))
                         UNION SELECT sa.story_id, sa.article_id FROM pairs p
                         JOIN mine n USING (new_id) JOIN story_articles sa ON sa.article_id = p.article_id
                         WHERE greatest(0, n.first - sa.last_day, sa.first_day - n.last) <= {wide}),
                spans AS (SELECT unnest($lo::DATE[]) AS lo, unnest($hi::DATE[]) AS hi),
                members AS (SELECT sa.story_id, sa.article_id, sa.first_day, sa.last_day, sa.keys, sa.duplicate_of,
                                   sa.article_id IN (SELECT article_id FROM near) AS wanted,
                                   row_number() OVER (PARTITION BY sa.story_id
                                                      ORDER BY sa.first_day, sa.article_id) AS nth
                            FROM story_articles sa WHERE sa.story_id IN (SELECT story_id FROM near)
                            AND EXISTS (SELECT 1 FROM spans w WHERE sa.first_day <= w.hi AND sa.last_day >= w.lo))
           SELECT story_id, article_id, first_day, last_day, keys, duplicate_of FROM members
           WHERE wanted OR nth = 1""",
        {"hit": hit, "ids": [a.article_id for a in arts], "first": [a.first for a in arts],
         "last": [a.last for a in arts], "new": [p[0] for p in pairs], "other": [p[1] for p in pairs],
         "lo": [lo for lo, _ in spans], "hi": [hi for _, hi in spans]},
    ).fetchall()
    return [(story, StoryArticle(aid, first, last, keys_from(keys), original))
            for story, aid, first, last, keys, original in rows]


def _sharing_a_key(con: Any, arts: Sequence[StoryArticle], lo: date,
                   hi: date) -> list[tuple[str, str, list[str]]]:
    """(stored article id, its keys, the ids of `arts` it shares a looked-up key with inside their window)
    for the stored articles dated between `lo` and `hi` (the window of the whole batch)."""
    wide = stories.WINDOW_DAYS
    probe = [(a.article_id, key, a.first - timedelta(days=wide), a.last + timedelta(days=wide))
             for a in arts for key in looked_up(a.keys)]
    con.register("_story_probe", pa.table({"article_id": pa.array([p[0] for p in probe], pa.string()),
                                           "key": pa.array([p[1] for p in probe], pa.string()),
                                           "lo": pa.array([p[2] for p in probe], pa.date32()),
                                           "hi": pa.array([p[3] for p in probe], pa.date32())}))
    con.register("_story_new", pa.table({"article_id": pa.array([a.article_id for a in arts], pa.string()),
                                         "first": pa.array([a.first for a in arts], pa.date32()),
                                         "last": pa.array([a.last for a in arts], pa.date32())}))
    try:
        return con.execute(
            f"""WITH days AS (SELECT article_id, key, lo + unnest(range((hi - lo) + 1))::INTEGER AS day
                              FROM _story_probe),
                    probe AS (SELECT article_id, {key_day("key", "day", "false")} AS key_day FROM days
                              UNION SELECT article_id, {key_day("key", "date_trunc('month', day)::DATE", "true")}
                              FROM days),
                    sharing AS (SELECT DISTINCT p.article_id AS new_id, k.article_id FROM story_keys k JOIN probe p
                                ON p.key_day = k.key_day WHERE k.first_day <= $hi AND k.last_day >= $lo)
               SELECT sa.article_id, any_value(sa.keys), list(s.new_id)
               FROM sharing s JOIN _story_new n ON n.article_id = s.new_id
               JOIN story_articles sa ON sa.article_id = s.article_id
               WHERE greatest(0, n.first - sa.last_day, sa.first_day - n.last) <= {wide}
               GROUP BY sa.article_id""",
            {"lo": lo, "hi": hi},
        ).fetchall()
    finally:
        con.unregister("_story_probe")
        con.unregister("_story_new")


def _linked_by_keys(arts: Sequence[StoryArticle], sharing: Iterable[tuple[str, str, list[str]]]) -> list[str]:
    """The stored article ids among `sharing` whose keys link them to one of the `arts` they share a key
    with (each key set weighed once)."""
    mine = {a.article_id: (a.keys, stories.keys_weight(a.keys)) for a in arts}
    hit = []
    for aid, keys, news in sharing:
        theirs = keys_from(keys)
        weight = stories.keys_weight(theirs)
        if any(stories.keys_linked(mine[n][0], theirs, mine[n][1], weight) for n in news):
            hit.append(aid)
    return sorted(hit)


def overlaps_of(con: Any, article_ids: Sequence[str]) -> dict[tuple[str, str], float]:
    """Recorded passage overlaps that involve these articles."""
    rows = con.execute(
        """SELECT article_id, other_id, similarity FROM "overlaps"
           WHERE article_id IN (SELECT unnest(?)) OR other_id IN (SELECT unnest(?))""",
        [list(article_ids), list(article_ids)],
    ).fetchall()
    return {(r[0], r[1]): float(r[2]) for r in rows}


def assign_stories(con: Any, article_ids: Sequence[str], tables: Mapping[str, str] = STORED) -> Assignment:
    """Place newly stored articles into stories (joining, starting or merging them) and add them to those
    stories' rows. `tables`: where their rows are (`features`)."""
    arts = features(con, article_ids, tables)
    if not arts:
        return Assignment()
    overlaps = overlaps_of(con, article_ids)
    mine = set(article_ids)
    partners = {(a, b) for pair in overlaps for a, b in (pair, pair[::-1]) if a in mine and b not in mine}
    result = stories.assign(arts, members_near(con, arts, partners), overlaps)
    if result.merged:  # one pass over story_articles for all merges (the targets are final: never merged away)
        olds, news = zip(*sorted(result.merged.items()), strict=True)
        con.execute("""UPDATE story_articles SET story_id = m.new_id
                       FROM (SELECT unnest(?::VARCHAR[]) AS old_id, unnest(?::VARCHAR[]) AS new_id) m
                       WHERE story_articles.story_id = m.old_id""", [list(olds), list(news)])
    add_to_stories(con, [(result.story_of[a.article_id], a) for a in arts], result.merged, tables)
    add_keys(con, arts)
    return result


def _member_columns(tables: Mapping[str, str], wanted: str) -> str:
    """SQL of (article_id, title, published_date, duplicate_of, source, actors, themes) for the articles whose
    ids `wanted` (a SELECT of ours) gives, from `tables` (`features`): what a member row carries (migration 014)."""
    return f"""
        WITH actor_rows AS (
            SELECT article_id, list_sort(list({{'actor_id': actor_id, 'role': "role", 'mentions': n}})) AS actors
            FROM (SELECT m.article_id, m.actor_id, max(m."role") AS "role", count(*)::INTEGER AS n
                  FROM {tables["mentions"]} m WHERE m.article_id IN ({wanted}) AND m."method" <> 'prefix'
                  GROUP BY ALL) GROUP BY ALL),
        theme_rows AS (SELECT t.article_id, list_sort(list(t.theme_id)) AS themes
                       FROM {tables["article_themes"]} t WHERE t.article_id IN ({wanted}) GROUP BY ALL)
        SELECT ar.article_id, ar.title, ar.published_date, ar.duplicate_of,
               coalesce(ar.source, ar.source_file) AS source, coalesce(x.actors, []) AS actors,
               coalesce(t.themes, []) AS themes
        FROM {tables["articles"]} ar LEFT JOIN actor_rows x USING (article_id) LEFT JOIN theme_rows t USING (article_id)
        WHERE ar.article_id IN ({wanted})"""


def add_to_stories(con: Any, placed: Sequence[tuple[str, StoryArticle]], merged: Mapping[str, str],
                   tables: Mapping[str, str] = STORED) -> None:
    """Add these (story id, article) placements to their stories, after `merged` (absorbed story -> the story
    it joined) was applied to `story_articles`: insert their member rows, each with what its story's row is
    made of (migration 014: the article's title, date, original and source, its actors, with mentions per
    actor and prefix matches left out, and its themes, read from `tables`, see `features`), and rewrite the
    rows of their stories from their stored rows (the merged stories' too) and what the new members add
    (migration 017). No stored member is read: the cost follows the batch and the number of stories (one
    scan of `stories`), not how many members they have."""
    if not placed:
        return
    con.register("_placed", pa.table({
        "story_id": pa.array([s for s, _ in placed], pa.string()),
        "article_id": pa.array([a.article_id for _, a in placed], pa.string()),
        "first_day": pa.array([a.first for _, a in placed], pa.date32()),
        "last_day": pa.array([a.last for _, a in placed], pa.date32()),
        "keys": pa.array([keys_text(a.keys) for _, a in placed], pa.string())}))
    try:
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _new_members AS
            SELECT p.story_id, p.article_id, p.first_day, p.last_day, p.keys, c.title, c.published_date,
                   c.duplicate_of, c.source, c.actors, c.themes
            FROM _placed p JOIN ({_member_columns(tables, "SELECT article_id FROM _placed")}) c USING (article_id)""")
    finally:
        con.unregister("_placed")
    try:
        con.execute("INSERT INTO story_articles SELECT * FROM _new_members")
        stored = sorted({s for s, _ in placed} | {*merged, *merged.values()})
        old = [r[0] for r in con.execute("SELECT rowid FROM stories WHERE story_id IN (SELECT unnest(?::VARCHAR[]))",
                                         [stored]).fetchall()]  # rowids hold within the transaction
        con.execute(STORY_ROWS.format(parts=ADDED_PARTS), [list(merged), list(merged.values()), old])
        con.execute("DELETE FROM stories WHERE rowid IN (SELECT unnest(?::BIGINT[]))", [old])
    finally:
        drop_scratch(con, "_new_members")


def refresh_members(con: Any, article_ids: Sequence[str] | None = None) -> None:
    """Rewrite what the member rows of these articles (of every article without ids) carry of them from the
    stored rows, and their stories' rows: after their enrichment changed (`Warehouse.replace_enrichments`)
    or any other change to their rows (`summaries.refresh_summaries`)."""
    if article_ids is not None and not article_ids:
        return
    con.execute("CREATE OR REPLACE TEMP TABLE _member_ids AS SELECT article_id FROM story_articles"
                + ("" if article_ids is None else " WHERE article_id IN (SELECT unnest(?::VARCHAR[]))"),
                [] if article_ids is None else [list(article_ids)])
    try:
        con.execute(f"""
            UPDATE story_articles SET title = c.title, published_date = c.published_date,
                   duplicate_of = c.duplicate_of, source = c.source, actors = c.actors, themes = c.themes
            FROM ({_member_columns(STORED, "SELECT article_id FROM _member_ids")}) c
            WHERE story_articles.article_id = c.article_id""")
        touched = [r[0] for r in con.execute("SELECT DISTINCT story_id FROM story_articles "
                                             "WHERE article_id IN (SELECT article_id FROM _member_ids)").fetchall()]
        refresh_story_rows(con, sorted(touched))
    finally:
        drop_scratch(con, "_member_ids")


def add_keys(con: Any, arts: Sequence[StoryArticle]) -> None:
    """Insert the `story_keys` rows of these articles: one per key they are looked up by (`looked_up`)."""
    rows = [(key, a.article_id, a.first, a.last) for a in arts for key in looked_up(a.keys)]
    if not rows:
        return
    con.register("_new_keys", pa.table({c: pa.array([r[i] for r in rows], pa.date32() if "day" in c else pa.string())
                                        for i, c in enumerate(STORY_KEY_COLUMNS)}))
    try:
        con.execute(f"""INSERT INTO story_keys ("key", article_id, first_day, last_day, key_day)
                        SELECT "key", article_id, first_day, last_day,
                               {key_day('"key"', "first_day", "first_day < last_day")} FROM _new_keys""")
    finally:
        con.unregister("_new_keys")


def rebuild_stories(con: Any) -> int:
    """Cluster every stored article again, in date order and in chunks; returns the number of stories."""
    clear_stories(con)
    ids = [r[0] for r in con.execute("SELECT article_id FROM articles ORDER BY published_date, article_id").fetchall()]
    for start in range(0, len(ids), REBUILD_CHUNK):
        assign_stories(con, ids[start:start + REBUILD_CHUNK])
    row = con.execute("SELECT count(*) FROM stories").fetchone()
    return int(row[0]) if row else 0


def clear_stories(con: Any) -> None:
    """Remove every story, its members and their keys (before clustering all articles again)."""
    for table in ("story_keys", "story_articles", "stories"):
        con.execute(f"DELETE FROM {table}")  # noqa: S608 (our table names)


def refresh_story_rows(con: Any, story_ids: Sequence[str]) -> None:
    """Rewrite the `stories` rows of these story ids from all of their members (gone stories lose their row)."""
    if not story_ids:
        return
    con.execute("DELETE FROM stories WHERE story_id IN (SELECT unnest(?::VARCHAR[]))", [list(story_ids)])
    con.execute(STORY_ROWS.format(parts=MEMBER_PARTS), [list(story_ids)])


# What a story's row is made of, one row per part: (story_id, title, title_from, first_seen, last_seen, articles,
# copies, sources, actor_counts, theme_counts), as in `stories`. A member is such a part:
_MEMBER_PART = """
    SELECT story_id, title, {'is_copy': duplicate_of IS NOT NULL, 'published_date': published_date::VARCHAR,
                             'article_id': article_id},
           first_day, last_day, 1, (duplicate_of IS NOT NULL)::INTEGER, [source],
           [{'actor_id': x.actor_id, 'mentions': x.mentions, 'role': x."role",
             'role_day': CASE WHEN x."role" IS NOT NULL THEN published_date::VARCHAR END} FOR x IN actors],
           [{'theme_id': t, 'articles': 1} FOR t IN themes]"""
# the stored rows of a batch's stories (by their rowids, the third ?), merged ones under the story they joined (the
# first ? the merged ids, the second the ids they joined), and its new members (_new_members)
ADDED_PARTS = f"""
    SELECT coalesce(m.new_id, s.story_id), s.title, s.title_from, s.first_seen, s.last_seen, s.articles, s.copies,
           s.sources, s.actor_counts, s.theme_counts
    FROM stories s LEFT JOIN (SELECT unnest(?::VARCHAR[]) AS old_id, unnest(?::VARCHAR[]) AS new_id) m
         ON m.old_id = s.story_id
    WHERE s.rowid IN (SELECT unnest(?::BIGINT[]))
    UNION ALL {_MEMBER_PART} FROM _new_members"""
# every member of the stories (?)
MEMBER_PARTS = f"{_MEMBER_PART} FROM story_articles WHERE story_id IN (SELECT unnest(?::VARCHAR[]))"

# The rows of stories from their parts (migration 017): the counts add up, the role of an actor is the one
# of its latest mention with a role (the greatest on a tie).
STORY_ROWS = f"""
INSERT INTO stories (story_id, title, first_seen, last_seen, articles, copies, sources, top_actors, themes,
                     title_from, actor_counts, theme_counts)
WITH parts (story_id, title, title_from, first_seen, last_seen, articles, copies, sources, actor_counts,
            theme_counts) AS ({{parts}}),
actor_counts AS (
    SELECT story_id, actor_id, sum(mentions) AS mentions, arg_max("role", (role_day, "role")) AS "role",
           max(role_day) AS role_day
    FROM (SELECT story_id, unnest(actor_counts, recursive := true) FROM parts) GROUP BY ALL),
actor_lists AS (
    SELECT story_id,
           list_sort(list({{{{'actor_id': c.actor_id, 'mentions': c.mentions, 'role': c."role",
                             'role_day': c.role_day}}}})) AS counts,
           (list({{{{'actor_id': c.actor_id, 'name': a.name, 'kind': a.kind, 'role': c."role",
                   'mentions': c.mentions::INTEGER}}}} ORDER BY c.mentions DESC, c.actor_id)
                FILTER (WHERE a.actor_id IS NOT NULL))[1:{TOP_ACTORS}] AS top
    FROM actor_counts c LEFT JOIN actors a USING (actor_id) GROUP BY ALL),
theme_lists AS (
    SELECT story_id, list_sort(list({{{{'theme_id': theme_id, 'articles': articles}}}})) AS counts,
           list(theme_id ORDER BY articles DESC, theme_id)[1:{TOP_THEMES}] AS top
    FROM (SELECT story_id, theme_id, sum(articles) AS articles
          FROM (SELECT story_id, unnest(theme_counts, recursive := true) FROM parts) GROUP BY ALL)
    GROUP BY ALL)
SELECT p.story_id, arg_min(p.title, p.title_from), min(p.first_seen), max(p.last_seen), sum(p.articles)::INTEGER,
       sum(p.copies)::INTEGER, list_sort(list_distinct(flatten(list(p.sources)))),
       coalesce(any_value(al.top), []), coalesce(any_value(tl.top), []), min(p.title_from),
       coalesce(any_value(al.counts), []), coalesce(any_value(tl.counts), [])
FROM parts p LEFT JOIN actor_lists al USING (story_id) LEFT JOIN theme_lists tl USING (story_id)
GROUP BY p.story_id
"""
