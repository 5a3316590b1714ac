-- 005: summary tables for the remaining dashboard questions, kept like those of 003 by
-- warehouse/summaries.py inside the load (and reprocess) transaction: themes per day, actor × theme
-- per month, mention roles. Every count adds up across rows
-- (an article has one date), so the load step merges the counts of a batch into them.

CREATE TABLE theme_day (
    published_date DATE NOT NULL,
    date_precision VARCHAR NOT NULL,
    is_copy        BOOLEAN NOT NULL,      -- duplicate_of IS NOT NULL
    theme_id       VARCHAR NOT NULL,
    articles       BIGINT NOT NULL        -- articles carrying the theme
);

CREATE TABLE actor_theme_month (
    "month"   DATE NOT NULL,              -- first day of the month of published_date
    is_copy   BOOLEAN NOT NULL,
    actor_id  VARCHAR NOT NULL,
    theme_id  VARCHAR NOT NULL,
    mentions  BIGINT NOT NULL,            -- mentions of the actor in articles carrying the theme
    articles  BIGINT NOT NULL             -- articles carrying the theme that mention the actor
);

CREATE TABLE role_count (
    role      VARCHAR NOT NULL,
    mentions  BIGINT NOT NULL
);

-- a warehouse migrated from an earlier version already holds articles: fill the tables for them
INSERT INTO theme_day
SELECT ar.published_date, ar.date_precision, ar.duplicate_of IS NOT NULL, t.theme_id, count(*)
FROM article_themes t JOIN articles ar USING (article_id) GROUP BY ALL;

INSERT INTO actor_theme_month
SELECT date_trunc('month', ar.published_date)::DATE, ar.duplicate_of IS NOT NULL, m.actor_id, t.theme_id,
       sum(m.n), count(*)
FROM (SELECT article_id, actor_id, count(*) AS n FROM mentions GROUP BY ALL) m
JOIN article_themes t USING (article_id) JOIN articles ar USING (article_id) GROUP BY ALL;

INSERT INTO role_count SELECT role, count(*) FROM mentions WHERE role IS NOT NULL GROUP BY ALL;
