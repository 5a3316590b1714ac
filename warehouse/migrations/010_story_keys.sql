-- 010: the keys the story clustering looks stored articles up by (persons, organisations and title words,
-- lagebild.stories.STRONG), one row per article and key. The load step finds the stored articles that
-- share a key with a batch by equality on this table instead of unnesting the keys of every
-- story_articles row. warehouse/stories.py writes and clears it together with story_articles.

CREATE TABLE story_keys (
    "key"      VARCHAR NOT NULL,   -- one of story_articles.keys: 'p:' person, 'o:' organisation, 'w:' title word
    article_id VARCHAR NOT NULL,
    first_day  DATE NOT NULL,      -- the article's date span, as in story_articles
    last_day   DATE NOT NULL
);

-- a warehouse migrated from an earlier version already holds stories: fill the table for their articles
INSERT INTO story_keys
SELECT "key", article_id, first_day, last_day
FROM (SELECT unnest(keys) AS "key", article_id, first_day, last_day FROM story_articles)
WHERE "key"[1] IN ('p', 'o', 'w');
