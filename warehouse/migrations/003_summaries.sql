-- 003: daily summary tables behind the dashboard's time series (kept by warehouse.queries.refresh_summaries,
-- which the load step calls inside its transaction). One row per day, precision, copy flag and actor/theme;
-- an article has exactly one date, so distinct-article counts add up across days.

CREATE TABLE actor_day (
    published_date DATE NOT NULL,
    date_precision VARCHAR NOT NULL,
    is_copy        BOOLEAN NOT NULL,      -- duplicate_of IS NOT NULL
    actor_id       VARCHAR NOT NULL,
    mentions       BIGINT NOT NULL,
    articles       BIGINT NOT NULL
);

CREATE TABLE article_day (
    published_date DATE NOT NULL,
    date_precision VARCHAR NOT NULL,
    is_copy        BOOLEAN NOT NULL,
    articles       BIGINT NOT NULL,
    mentions       BIGINT NOT NULL
);

-- a warehouse migrated from an earlier version already holds articles: fill the tables for them
INSERT INTO actor_day
SELECT ar.published_date, ar.date_precision, ar.duplicate_of IS NOT NULL, m.actor_id, count(*), count(DISTINCT m.article_id)
FROM mentions m JOIN articles ar USING (article_id) GROUP BY ALL;

INSERT INTO article_day
SELECT ar.published_date, ar.date_precision, ar.duplicate_of IS NOT NULL, count(*),
       sum((SELECT count(*) FROM mentions m WHERE m.article_id = ar.article_id))
FROM articles ar GROUP BY ALL;
