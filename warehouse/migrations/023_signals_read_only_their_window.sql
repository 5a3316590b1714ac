-- 023: the signal macros of migration 020 read only the days of their window, and the rising actors and themes
-- of a period are computed for the candidates alone.
--
-- In 020 the window's first day was `from_day - INTERVAL 28 DAY`, a TIMESTAMP: DuckDB compared every
-- published_date cast to a timestamp, so it could not skip row groups by their min/max and read all of
-- actor_day (rising actors of one day: p50 37 ms at 100,000 articles, 142 ms at 1,000,000). A DATE minus an
-- integer is a DATE, and the scan reads the window alone.
--
-- An actor or theme rises only with at least 5 articles in its bucket. The *_rising_*_in macros take those
-- buckets first and sum the baseline of their actors (themes) alone, by a join on the window, instead of a
-- window function over every actor of the days read. They return the rows of *_signals_*_in(…) WHERE rising,
-- the same columns, the same values.
--   SELECT actor_id, name, articles, baseline, z FROM actor_rising_day_in(DATE '2024-03-01', DATE '2024-03-07');

CREATE OR REPLACE MACRO actor_signals_day_in(from_day, to_day) AS TABLE
WITH counts AS (
    SELECT published_date AS day, actor_id, sum(articles) AS articles
    FROM actor_day WHERE NOT is_copy AND date_precision <> 'month'
                     AND published_date BETWEEN from_day::DATE - 28 AND to_day
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

CREATE OR REPLACE MACRO actor_signals_week_in(from_week, to_week) AS TABLE
WITH counts AS (
    SELECT date_trunc('week', published_date)::DATE AS week, actor_id, sum(articles) AS articles
    FROM actor_day WHERE NOT is_copy AND date_precision <> 'month'
                     AND published_date >= from_week::DATE - 56
                     AND published_date < to_week::DATE + 7
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

CREATE OR REPLACE MACRO theme_signals_day_in(from_day, to_day) AS TABLE
WITH counts AS (
    SELECT d.published_date AS day, d.theme_id, th.label, sum(d.articles) AS articles
    FROM theme_day d JOIN themes th USING (theme_id)
    WHERE NOT d.is_copy AND d.date_precision <> 'month'
      AND d.published_date BETWEEN from_day::DATE - 28 AND to_day
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

CREATE OR REPLACE MACRO theme_signals_week_in(from_week, to_week) AS TABLE
WITH counts AS (
    SELECT date_trunc('week', d.published_date)::DATE AS week, d.theme_id, th.label, sum(d.articles) AS articles
    FROM theme_day d JOIN themes th USING (theme_id)
    WHERE NOT d.is_copy AND d.date_precision <> 'month'
      AND d.published_date >= from_week::DATE - 56 AND d.published_date < to_week::DATE + 7
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

-- new actors: the previous day of an actor's first day in the period is the last day of the 56 before it (one
-- aggregate), not a window function over every day of those 56 of every actor in the period
CREATE OR REPLACE MACRO new_actors_in(from_day, to_day) AS TABLE
WITH days AS (
    SELECT actor_id, actor_key, published_date AS day, sum(articles) AS articles
    FROM actor_day WHERE NOT is_copy AND published_date BETWEEN from_day AND to_day
    GROUP BY ALL),
before AS (
    SELECT actor_key, max(published_date) AS last_day FROM actor_day
    WHERE NOT is_copy AND published_date BETWEEN from_day::DATE - 56 AND from_day::DATE - 1
      AND actor_key IN (SELECT actor_key FROM days)
    GROUP BY ALL),
gaps AS (
    SELECT d.actor_id, d.actor_key, d.day, d.articles,
           coalesce(lag(d.day) OVER (PARTITION BY d.actor_id ORDER BY d.day), b.last_day) AS recent_day
    FROM days d LEFT JOIN before b USING (actor_key)),
fresh AS (
    SELECT * FROM gaps WHERE recent_day IS NULL OR date_diff('day', recent_day, day) >= 56),
earlier AS (
    SELECT actor_key, max(published_date) AS last_day FROM actor_day
    WHERE NOT is_copy AND published_date < from_day::DATE - 56
      AND actor_key IN (SELECT actor_key FROM fresh WHERE recent_day IS NULL)
    GROUP BY ALL)
SELECT f.day, f.actor_id, a.name, a.kind, a.origin, f.articles, coalesce(f.recent_day, e.last_day) AS previous_day,
       CASE WHEN coalesce(f.recent_day, e.last_day) IS NULL THEN 'first' ELSE 'returning' END AS novelty
FROM fresh f LEFT JOIN earlier e USING (actor_key) JOIN actors a USING (actor_id);

-- the rising rows alone: the buckets with at least 5 articles, then the baseline of their actors (themes)
CREATE MACRO actor_rising_day_in(from_day, to_day) AS TABLE
WITH candidates AS (
    SELECT published_date AS day, actor_id, sum(articles) AS articles
    FROM actor_day WHERE NOT is_copy AND date_precision <> 'month' AND published_date BETWEEN from_day AND to_day
    GROUP BY ALL HAVING sum(articles) >= 5),
start AS (SELECT min(published_date) AS first_day FROM article_day WHERE date_precision <> 'month'),
summed AS (
    SELECT c.day, c.actor_id, any_value(c.articles) AS articles, coalesce(sum(b.articles), 0) AS before,
           least(28, date_diff('day', (SELECT first_day FROM start), c.day)) AS days
    FROM candidates c LEFT JOIN actor_day b
         ON b.actor_id = c.actor_id AND b.published_date BETWEEN c.day - 28 AND c.day - 1
            AND NOT b.is_copy AND b.date_precision <> 'month'
            AND b.published_date BETWEEN from_day::DATE - 28 AND to_day
    GROUP BY c.day, c.actor_id),
scored AS (
    SELECT day, actor_id, articles, before / days AS baseline, (articles - before / days) / sqrt(before / days + 1) AS z
    FROM summed WHERE days > 0)
SELECT t.day, t.actor_id, a.name, a.kind, a.origin, t.articles, t.baseline, t.z, true AS rising
FROM scored t JOIN actors a USING (actor_id)
WHERE t.z >= 3;

CREATE MACRO actor_rising_week_in(from_week, to_week) AS TABLE
WITH candidates AS (
    SELECT date_trunc('week', published_date)::DATE AS week, actor_id, sum(articles) AS articles
    FROM actor_day WHERE NOT is_copy AND date_precision <> 'month'
                     AND published_date >= from_week AND published_date < to_week::DATE + 7
    GROUP BY ALL HAVING sum(articles) >= 5),
start AS (SELECT date_trunc('week', min(published_date))::DATE AS first_week FROM article_day
          WHERE date_precision <> 'month'),
summed AS (
    SELECT c.week, c.actor_id, any_value(c.articles) AS articles, coalesce(sum(b.articles), 0) AS before,
           least(8, date_diff('week', (SELECT first_week FROM start), c.week)) AS weeks
    FROM candidates c LEFT JOIN actor_day b
         ON b.actor_id = c.actor_id AND b.published_date BETWEEN c.week - 56 AND c.week - 1
            AND NOT b.is_copy AND b.date_precision <> 'month'
            AND b.published_date >= from_week::DATE - 56 AND b.published_date < to_week::DATE + 7
    GROUP BY c.week, c.actor_id),
scored AS (
    SELECT week, actor_id, articles, before / weeks AS baseline,
           (articles - before / weeks) / sqrt(before / weeks + 1) AS z
    FROM summed WHERE weeks > 0)
SELECT t.week, t.actor_id, a.name, a.kind, a.origin, t.articles, t.baseline, t.z, true AS rising
FROM scored t JOIN actors a USING (actor_id)
WHERE t.z >= 3;

CREATE MACRO theme_rising_day_in(from_day, to_day) AS TABLE
SELECT * FROM theme_signals_day_in(from_day, to_day) WHERE rising;

CREATE MACRO theme_rising_week_in(from_week, to_week) AS TABLE
SELECT * FROM theme_signals_week_in(from_week, to_week) WHERE rising;
