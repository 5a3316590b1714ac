-- 017: a story's row is kept by what each batch adds to it, instead of being rewritten from all of its
-- members. stories gains the counts this needs: actor_counts (every actor of its members, with mentions and
-- the role of its latest mention with a role), theme_counts (members per theme) and title_from (the member
-- whose title it carries). A batch adds its new members to the rows of the stories they join or merge
-- (warehouse/stories.py, `add_to_stories`); reading every member took 4.5 s of every load transaction at
-- 1,000,000 generated articles, whose stories include one of 781,205 members. The table is copied and its
-- rows are counted from the member rows (014) as warehouse/stories.py's STORY_ROWS does. Dates inside the
-- nested columns are ISO text (YYYY-MM-DD, which sorts as the date): DuckLake fails to read a DATE inside a
-- STRUCT from the rows its catalog holds inline.

CREATE TABLE stories_counted (
    story_id     VARCHAR NOT NULL,
    title        VARCHAR NOT NULL,   -- the title of its first original report
    first_seen   DATE NOT NULL,
    last_seen    DATE NOT NULL,
    articles     INTEGER NOT NULL,   -- all members, syndicated copies included
    copies       INTEGER NOT NULL,   -- members that are near-identical copies of another
    sources      VARCHAR[] NOT NULL, -- the distinct sources (or source files when no source is given)
    top_actors   STRUCT(actor_id VARCHAR, name VARCHAR, kind VARCHAR, role VARCHAR, mentions INTEGER)[] NOT NULL,
    themes       VARCHAR[] NOT NULL, -- theme ids, most frequent first
    title_from   STRUCT(is_copy BOOLEAN, published_date VARCHAR, article_id VARCHAR) NOT NULL,  -- the earliest original
    actor_counts STRUCT(actor_id VARCHAR, mentions BIGINT, "role" VARCHAR, role_day VARCHAR)[] NOT NULL,  -- by actor_id
    theme_counts STRUCT(theme_id VARCHAR, articles BIGINT)[] NOT NULL  -- by theme_id
);
INSERT INTO stories_counted
WITH parts AS (
    SELECT story_id, title, {'is_copy': duplicate_of IS NOT NULL, 'published_date': published_date::VARCHAR,
                             'article_id': article_id} AS title_from,
           first_day, last_day, [source] AS sources,
           [{'actor_id': x.actor_id, 'mentions': x.mentions, 'role': x."role",
             'role_day': CASE WHEN x."role" IS NOT NULL THEN published_date::VARCHAR END} FOR x IN actors] AS actor_counts,
           [{'theme_id': t, 'articles': 1} FOR t IN themes] AS theme_counts, duplicate_of
    FROM story_articles),
actor_counts AS (
    SELECT story_id, actor_id, sum(mentions) AS mentions, arg_max("role", (role_day, "role")) AS "role",
           max(role_day) AS role_day
    FROM (SELECT story_id, unnest(actor_counts, recursive := true) FROM parts) GROUP BY ALL),
actor_lists AS (
    SELECT story_id,
           list_sort(list({'actor_id': c.actor_id, 'mentions': c.mentions, 'role': c."role",
                           'role_day': c.role_day})) AS counts,
           (list({'actor_id': c.actor_id, 'name': a.name, 'kind': a.kind, 'role': c."role",
                  'mentions': c.mentions::INTEGER} ORDER BY c.mentions DESC, c.actor_id)
               FILTER (WHERE a.actor_id IS NOT NULL))[1:5] AS top
    FROM actor_counts c LEFT JOIN actors a USING (actor_id) GROUP BY ALL),
theme_lists AS (
    SELECT story_id, list_sort(list({'theme_id': theme_id, 'articles': articles})) AS counts,
           list(theme_id ORDER BY articles DESC, theme_id)[1:3] AS top
    FROM (SELECT story_id, theme_id, sum(articles) AS articles
          FROM (SELECT story_id, unnest(theme_counts, recursive := true) FROM parts) GROUP BY ALL)
    GROUP BY ALL)
SELECT p.story_id, arg_min(p.title, p.title_from), min(p.first_day), max(p.last_day), count(*)::INTEGER,
       (count(*) FILTER (WHERE p.duplicate_of IS NOT NULL))::INTEGER, list_sort(list_distinct(flatten(list(p.sources)))),
       coalesce(any_value(al.top), []), coalesce(any_value(tl.top), []), min(p.title_from),
       coalesce(any_value(al.counts), []), coalesce(any_value(tl.counts), [])
FROM parts p LEFT JOIN actor_lists al USING (story_id) LEFT JOIN theme_lists tl USING (story_id)
GROUP BY p.story_id;
DROP TABLE stories;
ALTER TABLE stories_counted RENAME TO stories;
