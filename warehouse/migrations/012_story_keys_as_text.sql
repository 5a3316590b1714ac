-- 012: story_articles.keys as one string, the keys sorted and separated by spaces ('g:genf p:scholz
-- t:diplomatie w:titel'), instead of a list. The load step reads the keys of every stored article that
-- shares a key with its batch: at 100,000 articles, ~3,000 rows for a transaction of 100 articles took
-- ~0.1 s from the list column and ~0.03 s from a string (DuckDB decodes a list column's values for every
-- row of the vectors it reads). string_split(keys, ' ') gives the list. The table is copied.

CREATE TABLE story_articles_text (
    story_id   VARCHAR NOT NULL,   -- the article id of the story's earliest member when it was formed
    article_id VARCHAR NOT NULL,
    first_day  DATE NOT NULL,
    last_day   DATE NOT NULL,
    keys       VARCHAR NOT NULL    -- sorted, separated by spaces: p: person, o: organisation, g: place, t: theme, w: title word
);
INSERT INTO story_articles_text
SELECT story_id, article_id, first_day, last_day, array_to_string(list_sort(keys), ' ') FROM story_articles;
DROP TABLE story_articles;
ALTER TABLE story_articles_text RENAME TO story_articles;
