-- 020: the signals of migration 008 for a period: table macros that read only the days they need.
-- The views computed every actor's trailing baseline over every day of actor_day before a query kept one
-- day or week of it: the Lage page's rising actors of a day took 1.05 s and its new actors 0.69 s at
-- 100,000 generated articles (2026-12-07), and the page recomputes them after every batch. The macros take
-- the first and last day (week: its Monday) of the buckets asked for and read the baseline's window before
-- them (28 days; 8 weeks), the new actors the 56 days before it. The views
-- keep their names and rows: they are the macros over all days.
--   SELECT * FROM actor_signals_day_in(DATE '2024-03-01', DATE '2024-03-07') WHERE rising ORDER BY z DESC;

CREATE MACRO actor_signals_day_in(from_day, to_day) AS TABLE
WITH counts AS (
    SELECT published_date AS day, actor_id, sum(articles) AS articles
    FROM actor_day WHERE NOT is_copy AND date_precision <> 'month'
                     AND published_date BETWEEN from_day - INTERVAL 28 DAY AND to_day
    GROUP BY ALL),
start AS (SELECT min(published_date) AS first_day FROM article_day WHERE date_precision <> 'month'),
windowed AS (
    SELECT day, actor_id, articles,
           coalesce(sum(articles) OVER (PARTITION BY actor_id ORDER BY day
               RANGE BETWEEN INTERVAL 28 DAYS PRECEDING AND INTERVAL 1 DAY PRECEDING), 0) AS before,
           least(28, date_diff('day', (SELECT first_day FROM start), day)) AS days
    FROM counts)
SELECT t.day, t.actor_id, a.name, a.kind, a.origin, t.articles,
       CASE WHEN t.days > 0 THEN t.before / t.days END AS baseline,
       CASE WHEN t.days > 0 THEN (t.articles - t.before / t.days) / sqrt(t.before / t.days + 1) END AS z,
       coalesce(t.days > 0 AND t.articles >= 5
                AND (t.articles - t.before / t.days) / sqrt(t.before / t.days + 1) >= 3, false) AS rising
FROM windowed t JOIN actors a USING (actor_id)
WHERE t.day BETWEEN from_day AND to_day;

CREATE MACRO actor_signals_week_in(from_week, to_week) AS TABLE
WITH counts AS (
    SELECT date_trunc('week', published_date)::DATE AS week, actor_id, sum(articles) AS articles
    FROM actor_day WHERE NOT is_copy AND date_precision <> 'month'
                     AND published_date >= from_week - INTERVAL 56 DAY
                     AND published_date < to_week + INTERVAL 7 DAY
    GROUP BY ALL),
start AS (SELECT date_trunc('week', min(published_date))::DATE AS first_week FROM article_day
          WHERE date_precision <> 'month'),
windowed AS (
    SELECT week, actor_id, articles,
           coalesce(sum(articles) OVER (PARTITION BY actor_id ORDER BY week
               RANGE BETWEEN INTERVAL 56 DAYS PRECEDING AND INTERVAL 7 DAYS PRECEDING), 0) AS before,
           least(8, date_diff('week', (SELECT first_week FROM start), week)) AS weeks
    FROM counts)
SELECT t.week, t.actor_id, a.name, a.kind, a.origin, t.articles,
       CASE WHEN t.weeks > 0 THEN t.before / t.weeks END AS baseline,
       CASE WHEN t.weeks > 0 THEN (t.articles - t.before / t.weeks) / sqrt(t.before / t.weeks + 1) END AS z,
       coalesce(t.weeks > 0 AND t.articles >= 5
                AND (t.articles - t.before / t.weeks) / sqrt(t.before / t.weeks + 1) >= 3, false) AS rising
FROM windowed t JOIN actors a USING (actor_id)
WHERE t.week BETWEEN from_week AND to_week;

-- the themes' counts from theme_day, as in the views of migration 009
CREATE MACRO theme_signals_day_in(from_day, to_day) AS TABLE
WITH counts AS (
    SELECT d.published_date AS day, d.theme_id, th.label, sum(d.articles) AS articles
    FROM theme_day d JOIN themes th USING (theme_id)
    WHERE NOT d.is_copy AND d.date_precision <> 'month'
      AND d.published_date BETWEEN from_day - INTERVAL 28 DAY AND to_day
    GROUP BY ALL),
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
FROM windowed
WHERE day BETWEEN from_day AND to_day;

CREATE MACRO theme_signals_week_in(from_week, to_week) AS TABLE
WITH counts AS (
    SELECT date_trunc('week', d.published_date)::DATE AS week, d.theme_id, th.label, sum(d.articles) AS articles
    FROM theme_day d JOIN themes th USING (theme_id)
    WHERE NOT d.is_copy AND d.date_precision <> 'month'
      AND d.published_date >= from_week - INTERVAL 56 DAY AND d.published_date < to_week + INTERVAL 7 DAY
    GROUP BY ALL),
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
FROM windowed
WHERE week BETWEEN from_week AND to_week;

-- new actors of a period: the actors mentioned in it, their days from 56 days before it on (a day with a
-- mention in the 56 days before it is not new), and for the days left, the last day seen before those
CREATE MACRO new_actors_in(from_day, to_day) AS TABLE
WITH present AS (
    SELECT DISTINCT actor_key FROM actor_day
    WHERE NOT is_copy AND published_date BETWEEN from_day AND to_day),
days AS (
    SELECT actor_id, actor_key, published_date AS day, sum(articles) AS articles
    FROM actor_day WHERE NOT is_copy AND published_date BETWEEN from_day - INTERVAL 56 DAY AND to_day
                     AND actor_key IN (SELECT actor_key FROM present)
    GROUP BY ALL),
gaps AS (
    SELECT actor_id, actor_key, day, articles, lag(day) OVER (PARTITION BY actor_id ORDER BY day) AS recent_day
    FROM days),
fresh AS (
    SELECT * FROM gaps
    WHERE day BETWEEN from_day AND to_day AND (recent_day IS NULL OR date_diff('day', recent_day, day) >= 56)),
earlier AS (
    SELECT actor_key, max(published_date) AS last_day FROM actor_day
    WHERE NOT is_copy AND published_date < from_day - INTERVAL 56 DAY
      AND actor_key IN (SELECT actor_key FROM fresh WHERE recent_day IS NULL)
    GROUP BY ALL)
SELECT f.day, f.actor_id, a.name, a.kind, a.origin, f.articles, coalesce(f.recent_day, e.last_day) AS previous_day,
       CASE WHEN coalesce(f.recent_day, e.last_day) IS NULL THEN 'first' ELSE 'returning' END AS novelty
FROM fresh f LEFT JOIN earlier e USING (actor_key) JOIN actors a USING (actor_id);

CREATE OR REPLACE VIEW actor_signals_day AS
SELECT * FROM actor_signals_day_in(DATE '-infinity', DATE 'infinity');
CREATE OR REPLACE VIEW actor_signals_week AS
SELECT * FROM actor_signals_week_in(DATE '-infinity', DATE 'infinity');
CREATE OR REPLACE VIEW theme_signals_day AS
SELECT * FROM theme_signals_day_in(DATE '-infinity', DATE 'infinity');
CREATE OR REPLACE VIEW theme_signals_week AS
SELECT * FROM theme_signals_week_in(DATE '-infinity', DATE 'infinity');
CREATE OR REPLACE VIEW new_actors AS
SELECT * FROM new_actors_in(DATE '-infinity', DATE 'infinity');
