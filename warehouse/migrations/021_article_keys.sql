-- 021: every article gets a number, articles.article_key, in the order it was loaded, and the rows of its
-- sentences, mentions, themes and quotes carry it. Article ids are hashes: a read of one article's rows by
-- id (the Article reader, a drill-down's sentences) compared every id of a table, 14 M mentions at 650,000
-- generated articles (~100 ms). The load step appends an article's rows together and numbers articles in
-- the order it loads them, so each block of rows holds a narrow range of numbers: DuckDB compares a block's
-- least and greatest number with the one asked for and reads only the block that holds it. An index on
-- article_id would do the same, but DuckDB rewrites an index whole at every checkpoint, and one broke the
-- recovery after a killed load (docs/performance.md, 2026-12-07).

ALTER TABLE articles ADD COLUMN article_key BIGINT;  -- 1 for the first article loaded; the load step numbers new ones
UPDATE articles SET article_key = k.n
FROM (SELECT article_id, row_number() OVER (ORDER BY ingested_at, article_id) AS n FROM articles) k
WHERE articles.article_id = k.article_id;

ALTER TABLE sentences ADD COLUMN article_key BIGINT;  -- articles.article_key of article_id
UPDATE sentences SET article_key = a.article_key FROM articles a WHERE a.article_id = sentences.article_id;

-- a mention carries its actor's number too (actor_keys, migration 018): a drill-down asks for a few actors
-- among 14 M mentions, and compares numbers faster than ids (country-de at 100,000 generated articles:
-- 21 ms by id, 7 ms by number). Every mentioned actor has a number already (018, then the load step).
INSERT INTO actor_keys
SELECT actor_id, (SELECT coalesce(max(actor_key), 0) FROM actor_keys) + row_number() OVER (ORDER BY actor_id)
FROM (SELECT DISTINCT actor_id FROM mentions) m
WHERE NOT EXISTS (SELECT 1 FROM actor_keys k WHERE k.actor_id = m.actor_id);
ALTER TABLE mentions ADD COLUMN article_key BIGINT;
ALTER TABLE mentions ADD COLUMN actor_key INTEGER;  -- actor_keys.actor_key of actor_id
UPDATE mentions SET article_key = a.article_key, actor_key = k.actor_key FROM articles a, actor_keys k
WHERE a.article_id = mentions.article_id AND k.actor_id = mentions.actor_id;

ALTER TABLE article_themes ADD COLUMN article_key BIGINT;
UPDATE article_themes SET article_key = a.article_key FROM articles a WHERE a.article_id = article_themes.article_id;

ALTER TABLE sentence_themes ADD COLUMN article_key BIGINT;
UPDATE sentence_themes SET article_key = a.article_key FROM articles a WHERE a.article_id = sentence_themes.article_id;

ALTER TABLE quotes ADD COLUMN article_key BIGINT;
UPDATE quotes SET article_key = a.article_key FROM articles a WHERE a.article_id = quotes.article_id;
