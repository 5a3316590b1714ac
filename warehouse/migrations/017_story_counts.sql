-- 017: a story's row is kept by what each batch adds to it, instead of being rewritten from all of its
-- members. story_actors and story_themes hold each story's counts per actor and per theme; stories gains
-- title_from, the member whose title it carries. A batch adds its new members to these and to the rows of
-- the stories they join or merge (warehouse/stories.py, `add_to_stories`). Rewriting a story from its
-- members took 4.5 s of every load transaction at 1,000,000 generated articles, whose stories include one
-- of 781,205 members. The stories table is copied; the counts are filled from the member rows (014).

CREATE TABLE story_actors (
    story_id  VARCHAR NOT NULL,
    actor_id  VARCHAR NOT NULL,
    mentions  BIGINT NOT NULL,        -- the members' mentions of the actor, prefix matches left out
    "role"    VARCHAR,                -- its role at its latest mention with a role (the greatest on a tie)
    role_day  DATE                    -- the published_date of that mention
);
INSERT INTO story_actors
SELECT story_id, actor_id, sum(mentions), arg_max("role", (published_date, "role")),
       max(published_date) FILTER (WHERE "role" IS NOT NULL)
FROM (SELECT story_id, published_date, unnest(actors, recursive := true) FROM story_articles)
GROUP BY ALL ORDER BY story_id, actor_id;

CREATE TABLE story_themes (
    story_id  VARCHAR NOT NULL,
    theme_id  VARCHAR NOT NULL,
    articles  BIGINT NOT NULL         -- members carrying the theme
);
INSERT INTO story_themes
SELECT story_id, theme_id, count(*) FROM (SELECT story_id, unnest(themes) AS theme_id FROM story_articles)
GROUP BY ALL ORDER BY story_id, theme_id;

CREATE TABLE stories_counted (
    story_id    VARCHAR NOT NULL,
    title       VARCHAR NOT NULL,   -- the title of its first original report
    first_seen  DATE NOT NULL,
    last_seen   DATE NOT NULL,
    articles    INTEGER NOT NULL,   -- all members, syndicated copies included
    copies      INTEGER NOT NULL,   -- members that are near-identical copies of another
    sources     VARCHAR[] NOT NULL, -- the distinct sources (or source files when no source is given)
    top_actors  STRUCT(actor_id VARCHAR, name VARCHAR, kind VARCHAR, role VARCHAR, mentions INTEGER)[] NOT NULL,
    themes      VARCHAR[] NOT NULL, -- theme ids, most frequent first
    title_from  STRUCT(is_copy BOOLEAN, published_date DATE, article_id VARCHAR) NOT NULL  -- the member the title is of
);
INSERT INTO stories_counted
WITH top_actors AS (
    SELECT story_id, list({'actor_id': actor_id, 'name': a.name, 'kind': a.kind, 'role': s."role",
                           'mentions': s.mentions::INTEGER} ORDER BY s.mentions DESC, actor_id)[1:5] AS actors
    FROM story_actors s JOIN actors a USING (actor_id) GROUP BY ALL),
top_themes AS (
    SELECT story_id, list(theme_id ORDER BY articles DESC, theme_id)[1:3] AS themes FROM story_themes GROUP BY ALL)
SELECT s.story_id,
       arg_min(s.title, {'is_copy': s.duplicate_of IS NOT NULL, 'published_date': s.published_date,
                         'article_id': s.article_id}),
       min(s.first_day), max(s.last_day), count(*)::INTEGER,
       (count(*) FILTER (WHERE s.duplicate_of IS NOT NULL))::INTEGER,
       list(DISTINCT s.source ORDER BY s.source),
       coalesce(any_value(ta.actors), []), coalesce(any_value(tt.themes), []),
       min({'is_copy': s.duplicate_of IS NOT NULL, 'published_date': s.published_date, 'article_id': s.article_id})
FROM story_articles s LEFT JOIN top_actors ta USING (story_id) LEFT JOIN top_themes tt USING (story_id)
GROUP BY s.story_id;
DROP TABLE stories;
ALTER TABLE stories_counted RENAME TO stories;
