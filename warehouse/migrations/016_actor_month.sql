-- 016: actor_month, each actor's mentions and articles per month, for the questions over whole months
-- (the most mentioned actors, the month series, the filter's actor list, the discovered actors): at
-- 1,000,000 generated articles actor_day holds ~10 M rows, a long tail of actors over thousands of days,
-- and summing all of it took longer than a dashboard may. Kept like actor_day by warehouse/summaries.py
-- (appended by the load step, folded when idle). A month counts whole, month-dated articles included,
-- as in actor_theme_month.

CREATE TABLE actor_month (
    "month"   DATE NOT NULL,              -- first day of the month of published_date
    is_copy   BOOLEAN NOT NULL,           -- duplicate_of IS NOT NULL
    actor_id  VARCHAR NOT NULL,
    mentions  BIGINT NOT NULL,
    articles  BIGINT NOT NULL             -- articles mentioning the actor
);

-- a warehouse migrated from an earlier version already holds articles: fill it from actor_day
INSERT INTO actor_month
SELECT date_trunc('month', published_date)::DATE AS "month", is_copy, actor_id, sum(mentions), sum(articles)
FROM actor_day GROUP BY ALL HAVING sum(mentions) <> 0 OR sum(articles) <> 0
ORDER BY "month", is_copy, actor_id;
