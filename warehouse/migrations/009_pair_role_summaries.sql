-- 009: the last dashboard questions that read raw mention rows get summary tables, kept like those of
-- 003 and 005 by warehouse/summaries.py inside the load (and reprocess) transaction:
-- co-occurring actor pairs per month (the co-occurrence chart) and mention roles per actor and day
-- (the role filter on the actor charts, the Lage page's new roles). The theme signal views read
-- theme_day instead of the raw theme rows. Every count adds up across rows (an article has one
-- date; an actor holds one role on an article's date), so a batch's counts merge into them.

CREATE TABLE actor_pair_month (
    "month"   DATE NOT NULL,              -- first day of the month of published_date
    is_copy   BOOLEAN NOT NULL,           -- duplicate_of IS NOT NULL
    actor_a   VARCHAR NOT NULL,           -- actor_a < actor_b: each pair once
    actor_b   VARCHAR NOT NULL,
    articles  BIGINT NOT NULL             -- articles mentioning both
);

CREATE TABLE actor_role_day (
    published_date DATE NOT NULL,
    date_precision VARCHAR NOT NULL,
    is_copy        BOOLEAN NOT NULL,
    actor_id       VARCHAR NOT NULL,
    role           VARCHAR NOT NULL,      -- mentions with a role only
    mentions       BIGINT NOT NULL,
    articles       BIGINT NOT NULL        -- articles mentioning the actor in that role
);

-- a warehouse migrated from an earlier version already holds articles: fill the tables for them
INSERT INTO actor_pair_month
SELECT date_trunc('month', ar.published_date)::DATE, ar.duplicate_of IS NOT NULL, x.actor_id, y.actor_id, count(*)
FROM (SELECT DISTINCT article_id, actor_id FROM mentions) x
JOIN (SELECT DISTINCT article_id, actor_id FROM mentions) y ON x.article_id = y.article_id AND x.actor_id < y.actor_id
JOIN articles ar ON ar.article_id = x.article_id GROUP BY ALL
ORDER BY 3, 4, 1, 2;  -- stored in the order of the pair: a read of some actors' pairs skips the rest

INSERT INTO actor_role_day
SELECT ar.published_date, ar.date_precision, ar.duplicate_of IS NOT NULL, m.actor_id, m.role, count(*),
       count(DISTINCT m.article_id)
FROM mentions m JOIN articles ar USING (article_id) WHERE m.role IS NOT NULL GROUP BY ALL;

-- the same views as in 008, read from the summaries
CREATE OR REPLACE VIEW theme_signals_day AS
WITH counts AS (
    SELECT d.published_date AS day, d.theme_id, th.label, sum(d.articles) AS articles
    FROM theme_day d JOIN themes th USING (theme_id)
    WHERE NOT d.is_copy AND d.date_precision <> 'month' GROUP BY ALL),
start AS (SELECT min(published_date) AS first_day FROM article_day WHERE date_precision <> 'month'),
windowed AS (
    SELECT day, theme_id, label, articles,
           coalesce(sum(articles) OVER (PARTITION BY theme_id ORDER BY day
               RANGE BETWEEN INTERVAL 28 DAYS PRECEDING AND INTERVAL 1 DAY PRECEDING), 0) AS before,
           least(28, date_diff('day', (SELECT first_day FROM start), day)) AS days
    FROM counts)
SELECT day, theme_id, label, articles,
       CASE WHEN days > 0 THEN before / days END AS baseline,
       CASE WHEN days > 0 THEN (articles - before / days) / sqrt(before / days + 1) END AS z,
       coalesce(days > 0 AND articles >= 5 AND (articles - before / days) / sqrt(before / days + 1) >= 3,
                false) AS rising
FROM windowed;

CREATE OR REPLACE VIEW theme_signals_week AS
WITH counts AS (
    SELECT date_trunc('week', d.published_date)::DATE AS week, d.theme_id, th.label, sum(d.articles) AS articles
    FROM theme_day d JOIN themes th USING (theme_id)
    WHERE NOT d.is_copy AND d.date_precision <> 'month' GROUP BY ALL),
start AS (SELECT date_trunc('week', min(published_date))::DATE AS first_week FROM article_day
          WHERE date_precision <> 'month'),
windowed AS (
    SELECT week, theme_id, label, articles,
           coalesce(sum(articles) OVER (PARTITION BY theme_id ORDER BY week
               RANGE BETWEEN INTERVAL 56 DAYS PRECEDING AND INTERVAL 7 DAYS PRECEDING), 0) AS before,
           least(8, date_diff('week', (SELECT first_week FROM start), week)) AS weeks
    FROM counts)
SELECT week, theme_id, label, articles,
       CASE WHEN weeks > 0 THEN before / weeks END AS baseline,
       CASE WHEN weeks > 0 THEN (articles - before / weeks) / sqrt(before / weeks + 1) END AS z,
       coalesce(weeks > 0 AND articles >= 5 AND (articles - before / weeks) / sqrt(before / weeks + 1) >= 3,
                false) AS rising
FROM windowed;

CREATE OR REPLACE VIEW new_roles AS
WITH firsts AS (
    SELECT actor_id, role, min(published_date) AS day
    FROM actor_role_day WHERE NOT is_copy GROUP BY ALL),
ordered AS (
    SELECT actor_id, role, day, lag(role) OVER (PARTITION BY actor_id ORDER BY day, role) AS previous_role
    FROM firsts)
SELECT o.day, o.actor_id, a.name, a.kind, o.role, o.previous_role
FROM ordered o JOIN actors a USING (actor_id)
WHERE o.previous_role IS NOT NULL;
