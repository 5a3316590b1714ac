"""Stories in SQL (migration 008): the features the clustering needs, its placements, and the story rows.

The load step calls `assign_stories` inside its transaction, after the articles, their enrichment and
their overlaps are inserted; reprocessing calls `rebuild_stories`. The clustering itself is
`lagebild.stories` (no SQL).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lagebild import stories
from lagebild.stories import Assignment, StoryArticle
from warehouse.load import insert_rows

REBUILD_CHUNK = 5000
TOP_ACTORS = 5
TOP_THEMES = 3
STORY_ARTICLE_COLUMNS = ("story_id", "article_id", "first_day", "last_day", "keys")


def features(con: Any, article_ids: Sequence[str]) -> list[StoryArticle]:
    """What the clustering compares of these stored articles (title, actors, themes, dates, original)."""
    if not article_ids:
        return []
    rows = con.execute(
        """SELECT ar.article_id, ar.published_date, ar.date_precision, ar.title, ar.duplicate_of,
                  (SELECT list(DISTINCT [a.kind, m.actor_id]) FROM mentions m JOIN actors a USING (actor_id)
                   WHERE m.article_id = ar.article_id AND m.method <> 'prefix'),
                  (SELECT list(t.theme_id) FROM article_themes t WHERE t.article_id = ar.article_id)
           FROM articles ar WHERE ar.article_id IN (SELECT unnest(?))""",
        [list(article_ids)],
    ).fetchall()
    out = []
    for aid, day, precision, title, original, actors, themes in rows:
        first, last = stories.date_span(day, precision)
        keys = stories.keys_of(title, [(k, a) for k, a in actors or ()], themes or ())
        out.append(StoryArticle(aid, first, last, keys, original))
    return out


def members_near(con: Any, arts: Sequence[StoryArticle]) -> list[tuple[str, StoryArticle]]:
    """(story id, article) of the stored articles within the window of any of `arts`."""
    days = sorted({d for a in arts for d in (a.first, a.last)})
    if not days:
        return []
    rows = con.execute(
        f"""SELECT DISTINCT sa.story_id, sa.article_id, sa.first_day, sa.last_day, sa.keys, ar.duplicate_of
            FROM story_articles sa JOIN articles ar USING (article_id)
            JOIN (SELECT unnest(?::DATE[]) AS day) d
              ON sa.first_day <= d.day + {stories.WINDOW_DAYS} AND sa.last_day >= d.day - {stories.WINDOW_DAYS}""",
        [days],
    ).fetchall()
    return [(r[0], StoryArticle(r[1], r[2], r[3], frozenset(r[4]), r[5])) for r in rows]


def overlaps_of(con: Any, article_ids: Sequence[str]) -> dict[tuple[str, str], float]:
    """Recorded passage overlaps that involve these articles."""
    rows = con.execute(
        """SELECT article_id, other_id, similarity FROM "overlaps"
           WHERE article_id IN (SELECT unnest(?)) OR other_id IN (SELECT unnest(?))""",
        [list(article_ids), list(article_ids)],
    ).fetchall()
    return {(r[0], r[1]): float(r[2]) for r in rows}


def assign_stories(con: Any, article_ids: Sequence[str]) -> Assignment:
    """Place newly stored articles into stories (joining, starting or merging them) and rewrite those stories."""
    arts = features(con, article_ids)
    if not arts:
        return Assignment()
    result = stories.assign(arts, members_near(con, arts), overlaps_of(con, article_ids))
    for old, new in sorted(result.merged.items()):
        con.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?", [new, old])
    insert_rows(con, "story_articles", [
        dict(zip(STORY_ARTICLE_COLUMNS, (result.story_of[a.article_id], a.article_id, a.first, a.last,
                                         sorted(a.keys)), strict=True)) for a in arts], STORY_ARTICLE_COLUMNS)
    refresh_story_rows(con, sorted({*result.story_of.values(), *result.merged}))
    return result


def rebuild_stories(con: Any) -> int:
    """Cluster every stored article again, in date order and in chunks; returns the number of stories."""
    con.execute("DELETE FROM story_articles")
    con.execute("DELETE FROM stories")
    ids = [r[0] for r in con.execute("SELECT article_id FROM articles ORDER BY published_date, article_id").fetchall()]
    for start in range(0, len(ids), REBUILD_CHUNK):
        assign_stories(con, ids[start:start + REBUILD_CHUNK])
    row = con.execute("SELECT count(*) FROM stories").fetchone()
    return int(row[0]) if row else 0


def refresh_story_rows(con: Any, story_ids: Sequence[str]) -> None:
    """Rewrite the `stories` rows of these story ids from their members (gone stories lose their row)."""
    if not story_ids:
        return
    con.execute("DELETE FROM stories WHERE story_id IN (SELECT unnest(?))", [list(story_ids)])
    con.execute(STORY_ROWS, [list(story_ids)])


STORY_ROWS = f"""
INSERT INTO stories
WITH members AS (
    SELECT sa.story_id, sa.first_day, sa.last_day, ar.article_id, ar.title, ar.published_date, ar.duplicate_of,
           coalesce(ar.source, ar.source_file) AS source
    FROM story_articles sa JOIN articles ar USING (article_id) WHERE sa.story_id IN (SELECT unnest(?))),
actor_counts AS (
    SELECT s.story_id, m.actor_id, any_value(a.name) AS name, any_value(a.kind) AS kind,
           arg_max(m.role, s.published_date) AS role, count(*) AS mentions
    FROM members s JOIN mentions m USING (article_id) JOIN actors a USING (actor_id)
    WHERE m.method <> 'prefix' GROUP BY ALL),
top_actors AS (
    SELECT story_id, list({{'actor_id': actor_id, 'name': name, 'kind': kind, 'role': role,
                            'mentions': mentions::INTEGER}} ORDER BY mentions DESC, actor_id)[1:{TOP_ACTORS}] AS actors
    FROM actor_counts GROUP BY ALL),
theme_counts AS (
    SELECT s.story_id, t.theme_id, count(*) AS n
    FROM members s JOIN article_themes t USING (article_id) GROUP BY ALL),
top_themes AS (
    SELECT story_id, list(theme_id ORDER BY n DESC, theme_id)[1:{TOP_THEMES}] AS themes
    FROM theme_counts GROUP BY ALL)
SELECT s.story_id,
       arg_min(s.title, (s.duplicate_of IS NOT NULL, s.published_date, s.article_id)),
       min(s.first_day), max(s.last_day), count(*)::INTEGER,
       (count(*) FILTER (WHERE s.duplicate_of IS NOT NULL))::INTEGER,
       list(DISTINCT s.source ORDER BY s.source),
       coalesce(any_value(ta.actors), []), coalesce(any_value(tt.themes), [])
FROM members s LEFT JOIN top_actors ta USING (story_id) LEFT JOIN top_themes tt USING (story_id)
GROUP BY s.story_id
"""
