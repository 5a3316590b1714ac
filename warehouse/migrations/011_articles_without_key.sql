-- 011: articles without its PRIMARY KEY. DuckDB rewrote the key's whole index at every checkpoint in
-- which articles had changed: ~1 s at 100,000 articles for a load of any size, and growing with the
-- table, where the other tables' checkpoints cost what the load added. One article per id is kept by
-- the load step instead (it inserts only ids it does not hold, and the "articles once" data check
-- runs in its transaction), as it always was on DuckLake, which has no keys. The table is copied as it is.

CREATE TABLE articles_unkeyed (
    article_id     VARCHAR NOT NULL,         -- sha256 of the normalised text, 16 hex digits; one row per id
    published_date DATE NOT NULL,            -- first of the month when date_precision = 'month'
    date_precision VARCHAR NOT NULL CHECK (date_precision IN ('month', 'day', 'minute')),
    published_at   TIMESTAMP,                -- set when the text carries a time stamp
    title          VARCHAR NOT NULL,
    body           VARCHAR NOT NULL,         -- title line, blank line, body paragraphs
    source_file    VARCHAR NOT NULL,         -- the file name as dropped, relative to the inbox
    source_line    INTEGER,                  -- line number inside a .jsonl file
    source         VARCHAR,
    url            VARCHAR,
    word_count     INTEGER NOT NULL,
    duplicate_of   VARCHAR,                  -- near-identical earlier article (syndication)
    ingested_at    TIMESTAMP NOT NULL,
    run_id         VARCHAR,
    enrich_version VARCHAR
);
INSERT INTO articles_unkeyed SELECT * FROM articles;
DROP TABLE articles;
ALTER TABLE articles_unkeyed RENAME TO articles;
