-- 022: actor_sentences, one row per month, actor, role, article and sentence with the actor's mentions
-- there, their spans and the sentence's bounds. The sentence drill-down (the sentences behind a clicked
-- point of an actor's series) reads it instead of every mention, sentence and article id. Its folded months
-- are stored by the actor's number, so a month's sentences of a few actors are a few runs of rows: at
-- 650,000 generated articles, loaded in random date order, the drill-down of one actor and one month
-- scanned all 14 M mentions (210-250 ms).

CREATE TABLE actor_sentences (
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
    spans          STRUCT("start" INTEGER, "end" INTEGER)[] NOT NULL,  -- the mentions, by start: the marks
    mentions       BIGINT NOT NULL        -- the actor's mentions in that role in the sentence
);
INSERT INTO actor_sentences
SELECT date_trunc('month', ar.published_date)::DATE, ar.duplicate_of IS NOT NULL, ar.published_date,
       ar.date_precision, k.actor_key, m.role, ar.article_key, m.sentence, s.start_char, s.end_char,
       list({'start': m.start_char, 'end': m.end_char} ORDER BY m.start_char, m.end_char), count(*)
FROM mentions m JOIN articles ar USING (article_id) JOIN actor_keys k USING (actor_id)
JOIN sentences s ON s.article_id = m.article_id AND s.sentence = m.sentence
GROUP BY ALL
ORDER BY 1, 5, 3, 7, 8;
