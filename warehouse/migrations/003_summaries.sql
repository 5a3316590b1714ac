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
