-- 015: story_keys gains key_day, one 63-bit number for (key, day, dated to its month or not), by which the
-- load step finds the stored articles sharing a key with its batch. That join compared a string and a date
-- for every row of story_keys (~14 rows per article): one number is ~3 times faster to scan and match (on
-- 14 M rows, one thread: 0.37 s against 0.14 s). The day is the article's first_day (its month's first day
-- when it is dated to its month). md5 keeps the number the same across DuckDB versions; the expression is
-- warehouse/stories.py's KEY_DAY. The table is copied.

CREATE TABLE story_keys_hashed (
    "key"      VARCHAR NOT NULL,   -- one of story_articles.keys: 'p:' person, 'o:' organisation, 'w:' title word
    article_id VARCHAR NOT NULL,
    first_day  DATE NOT NULL,      -- the article's date span, as in story_articles
    last_day   DATE NOT NULL,
    key_day    BIGINT NOT NULL     -- KEY_DAY of ("key", first_day, first_day < last_day)
);
INSERT INTO story_keys_hashed
SELECT "key", article_id, first_day, last_day,
       (md5_number_lower("key" || ' ' || first_day::VARCHAR || ' ' || (first_day < last_day)::VARCHAR) >> 1)::BIGINT
FROM story_keys;
DROP TABLE story_keys;
ALTER TABLE story_keys_hashed RENAME TO story_keys;
