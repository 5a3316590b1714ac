-- 013: the Discovered actors list from summaries instead of every mention row (3.5 s at 678,000 articles).
-- actor_methods counts each actor's mentions by how they were found (a summary kept like role_count by
-- warehouse/summaries.py); actor_first_mentions holds each actor's first mention, the one with the smallest
-- (article_id, start_char), with its sentence's text as the example (warehouse/first_mentions.py keeps it).

CREATE TABLE actor_methods (
    actor_id  VARCHAR NOT NULL,
    "method"  VARCHAR NOT NULL,           -- mentions.method
    mentions  BIGINT NOT NULL
);

CREATE TABLE actor_first_mentions (
    actor_id    VARCHAR NOT NULL,         -- one row per actor with a mention
    article_id  VARCHAR NOT NULL,
    start_char  INTEGER NOT NULL,
    sentence    INTEGER NOT NULL,
    example     VARCHAR                   -- the sentence's text, at most 300 characters
);

-- a warehouse migrated from an earlier version already holds mentions: fill the tables for them
INSERT INTO actor_methods SELECT actor_id, "method", count(*) FROM mentions GROUP BY ALL;

INSERT INTO actor_first_mentions
WITH firsts AS (
    SELECT actor_id, arg_min(article_id, (article_id, start_char)) AS article_id,
           arg_min(start_char, (article_id, start_char)) AS start_char,
           arg_min(sentence, (article_id, start_char)) AS sentence
    FROM mentions GROUP BY actor_id)
SELECT f.actor_id, f.article_id, f.start_char, f.sentence,
       substr(ar.body, s.start_char + 1, least(s.end_char - s.start_char, 300))
FROM firsts f LEFT JOIN sentences s ON s.article_id = f.article_id AND s.sentence = f.sentence
LEFT JOIN articles ar ON ar.article_id = f.article_id;
