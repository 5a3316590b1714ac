-- 006: long-running maintenance (search index catch-up and rebuild, compaction, checkpoints, summary
-- rebuilds): one row per job, written when it starts (status 'running') and updated when it ends.
-- Full-text search moved to the index folder beside the warehouse (warehouse/search_index.py): the
-- old in-database fts index is dropped.

CREATE TABLE maintenance_log (
    task        VARCHAR NOT NULL,           -- e.g. 'search index catch-up'
    pid         INTEGER NOT NULL,           -- the process that ran it
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    seconds     DOUBLE,
    status      VARCHAR NOT NULL,           -- running | done | failed
    detail      VARCHAR
);

DROP SCHEMA IF EXISTS fts_main_articles CASCADE;
