-- 004: the MinHash signature of each article as enriched (per enrich_version), so that the
-- near-duplicate check of a new batch compares against stored signatures instead of reading
-- and re-hashing the bodies of every candidate article.

CREATE TABLE article_signatures (
    article_id     VARCHAR NOT NULL,
    enrich_version VARCHAR NOT NULL,
    signature      UBIGINT[] NOT NULL
);
