-- 022: actor_mentions, one row per mention with its month, date, actor number, role, article number,
-- sentence and the sentence's bounds. The sentence drill-down (the sentences behind a clicked point of an
-- actor's series) reads it instead of every mention, sentence and article id. Its folded months are stored
-- by the actor's number, so a month's mentions of a few actors are a few runs of rows: at 500,000 generated
-- articles, loaded in random date order, the drill-down of one actor and one month read all 10.9 M mentions
-- (p95 171-183 ms). One row per mention (no list of spans per sentence), so that filling it here is a join
-- and a sort, which DuckDB can do within a memory limit.

CREATE TABLE actor_mentions (
    "month"        DATE NOT NULL,         -- first day of the month of published_date
    is_copy        BOOLEAN NOT NULL,      -- duplicate_of IS NOT NULL
    published_date DATE NOT NULL,
    date_precision VARCHAR NOT NULL,
    actor_key      INTEGER NOT NULL,      -- actor_keys.actor_key
    role           VARCHAR,               -- mentions.role (NULL: none)
    article_key    BIGINT NOT NULL,       -- articles.article_key (migration 021)
    sentence       INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL,      -- sentences.start_char and end_char: the drill-down cuts the text
    sentence_end   INTEGER NOT NULL,
    start_char     INTEGER NOT NULL,      -- the mention's span in articles.body: the drill-down's marks
    end_char       INTEGER NOT NULL,
    mentions       BIGINT NOT NULL        -- 1 (several rows of one key add up; a removal appends -1)
);
INSERT INTO actor_mentions
SELECT date_trunc('month', ar.published_date)::DATE, ar.duplicate_of IS NOT NULL, ar.published_date,
       ar.date_precision, m.actor_key, m.role, m.article_key, m.sentence, s.start_char, s.end_char,
       m.start_char, m.end_char, count(*)
FROM mentions m JOIN articles ar ON ar.article_key = m.article_key
JOIN sentences s ON s.article_key = m.article_key AND s.sentence = m.sentence
GROUP BY ALL
ORDER BY 1, 5, 3, 7, 8, 11;
