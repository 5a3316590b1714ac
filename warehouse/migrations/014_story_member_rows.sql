-- 014: each member row of story_articles carries what its story's row is made of: the article's title,
-- date, original, source, its actors (mentions counted per actor, prefix matches left out, as the story's
-- top actors count them) and its themes. A story's row (warehouse/stories.py, STORY_ROWS) is then rewritten
-- from its members alone, instead of from every stored mention: at 250,000 articles that scan took
-- ~0.2 s of every load transaction, and it grows with the warehouse. An article's rows never change once
-- loaded (reprocessing clusters every article again), so the copies stay true. The table is copied.
-- The lists are sorted after aggregating (list_sort), not inside it: an ordered aggregate buffers every
-- row and ran out of memory at 1,000,000 articles (18.8 GB); sorted after, 14 s and 4.9 GB peak there.

CREATE TABLE story_articles_rows (
    story_id       VARCHAR NOT NULL,   -- the article id of the story's earliest member when it was formed
    article_id     VARCHAR NOT NULL,
    first_day      DATE NOT NULL,
    last_day       DATE NOT NULL,
    keys           VARCHAR NOT NULL,   -- sorted, separated by spaces: p: person, o: organisation, g: place, t: theme, w: title word
    title          VARCHAR,            -- articles.title
    published_date DATE,               -- articles.published_date
    duplicate_of   VARCHAR,            -- articles.duplicate_of
    source         VARCHAR,            -- articles.source, else articles.source_file
    actors         STRUCT(actor_id VARCHAR, "role" VARCHAR, mentions INTEGER)[] NOT NULL,  -- by actor_id
    themes         VARCHAR[] NOT NULL  -- the article's article_themes rows, by theme_id
);
INSERT INTO story_articles_rows
WITH actor_rows AS (
    SELECT article_id, list_sort(list({'actor_id': actor_id, 'role': "role", 'mentions': n})) AS actors
    FROM (SELECT article_id, actor_id, max("role") AS "role", count(*)::INTEGER AS n FROM mentions
          WHERE "method" <> 'prefix' GROUP BY ALL) GROUP BY ALL),
theme_rows AS (SELECT article_id, list_sort(list(theme_id)) AS themes FROM article_themes GROUP BY ALL)
SELECT sa.story_id, sa.article_id, sa.first_day, sa.last_day, sa.keys, ar.title, ar.published_date,
       ar.duplicate_of, coalesce(ar.source, ar.source_file), coalesce(x.actors, []), coalesce(t.themes, [])
FROM story_articles sa JOIN articles ar USING (article_id)
LEFT JOIN actor_rows x USING (article_id) LEFT JOIN theme_rows t USING (article_id);
DROP TABLE story_articles;
ALTER TABLE story_articles_rows RENAME TO story_articles;
