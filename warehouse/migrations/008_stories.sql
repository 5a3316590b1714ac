-- 008: stories (articles that report the same event, clustered by lagebild/stories.py in the load step)
-- and signals (what is rising, who is new, which roles are new).
--
-- The view that used to be called "stories" (articles without syndicated copies) is now "originals";
-- the *_per_* views read it as before.

DROP VIEW stories;
CREATE VIEW originals AS
SELECT * FROM articles WHERE duplicate_of IS NULL;

CREATE OR REPLACE VIEW articles_per_day AS
SELECT published_date AS day, count(*) AS articles
FROM originals WHERE date_precision <> 'month' GROUP BY ALL;

CREATE OR REPLACE VIEW articles_per_week AS
SELECT date_trunc('week', published_date)::DATE AS week, count(*) AS articles
FROM originals WHERE date_precision <> 'month' GROUP BY ALL;

CREATE OR REPLACE VIEW articles_per_month AS
SELECT date_trunc('month', published_date)::DATE AS month, count(*) AS articles
FROM originals GROUP BY ALL;

CREATE OR REPLACE VIEW mentions_per_day AS
SELECT s.published_date AS day, m.actor_id, a.name, a.kind,
       count(*) AS mentions, count(DISTINCT m.article_id) AS articles
FROM mentions m JOIN originals s USING (article_id) JOIN actors a USING (actor_id)
WHERE s.date_precision <> 'month' GROUP BY ALL;

CREATE OR REPLACE VIEW mentions_per_week AS
SELECT date_trunc('week', s.published_date)::DATE AS week, m.actor_id, a.name, a.kind,
       count(*) AS mentions, count(DISTINCT m.article_id) AS articles
FROM mentions m JOIN originals s USING (article_id) JOIN actors a USING (actor_id)
WHERE s.date_precision <> 'month' GROUP BY ALL;

CREATE OR REPLACE VIEW mentions_per_month AS
SELECT date_trunc('month', s.published_date)::DATE AS month, m.actor_id, a.name, a.kind,
       count(*) AS mentions, count(DISTINCT m.article_id) AS articles
FROM mentions m JOIN originals s USING (article_id) JOIN actors a USING (actor_id)
GROUP BY ALL;

CREATE OR REPLACE VIEW themes_per_day AS
SELECT s.published_date AS day, t.theme_id, th.label, count(*) AS articles, sum(t.score) AS score
FROM article_themes t JOIN originals s USING (article_id) JOIN themes th USING (theme_id)
WHERE s.date_precision <> 'month' GROUP BY ALL;

CREATE OR REPLACE VIEW themes_per_week AS
SELECT date_trunc('week', s.published_date)::DATE AS week, t.theme_id, th.label,
       count(*) AS articles, sum(t.score) AS score
FROM article_themes t JOIN originals s USING (article_id) JOIN themes th USING (theme_id)
WHERE s.date_precision <> 'month' GROUP BY ALL;

CREATE OR REPLACE VIEW themes_per_month AS
SELECT date_trunc('month', s.published_date)::DATE AS month, t.theme_id, th.label,
       count(*) AS articles, sum(t.score) AS score
FROM article_themes t JOIN originals s USING (article_id) JOIN themes th USING (theme_id)
GROUP BY ALL;

-- Each article's story, its date span (a month for articles dated only to their month) and the keys
-- the clustering compared (p: person, o: organisation, g: place or country, t: theme, w: title word).
CREATE TABLE story_articles (
    story_id   VARCHAR NOT NULL,   -- the article id of the story's earliest member when it was formed
    article_id VARCHAR NOT NULL,
    first_day  DATE NOT NULL,
    last_day   DATE NOT NULL,
    keys       VARCHAR[] NOT NULL
);

-- One row per story, rewritten whenever one of its articles is loaded or re-enriched.
CREATE TABLE stories (
    story_id    VARCHAR NOT NULL,
    title       VARCHAR NOT NULL,   -- the title of its first original report
    first_seen  DATE NOT NULL,
    last_seen   DATE NOT NULL,
    articles    INTEGER NOT NULL,   -- all members, syndicated copies included
    copies      INTEGER NOT NULL,   -- members that are near-identical copies of another
    sources     VARCHAR[] NOT NULL, -- the distinct sources (or source files when no source is given)
    top_actors  STRUCT(actor_id VARCHAR, name VARCHAR, kind VARCHAR, role VARCHAR, mentions INTEGER)[] NOT NULL,
    themes      VARCHAR[] NOT NULL  -- theme ids, most frequent first
);

-- Rising actors and themes: attention on a day (week) against the actor's own trailing baseline, the
-- mean over the previous 28 days (8 weeks) counting days without mentions as 0, or over the days since
-- the warehouse's first article when there are fewer. The score is a Poisson z-score,
--   z = (articles - baseline) / sqrt(baseline + 1),
-- so that 3 -> 9 articles (z = 3.0) ranks far below 300 -> 900 (z = 34.6); "rising" needs z >= 3 and at
-- least 5 articles. Copies are not counted; articles dated only to their month are left out.
CREATE VIEW actor_signals_day AS
WITH counts AS (
    SELECT published_date AS day, actor_id, sum(articles) AS articles
    FROM actor_day WHERE NOT is_copy AND date_precision <> 'month' GROUP BY ALL),
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
FROM windowed t JOIN actors a USING (actor_id);

CREATE VIEW actor_signals_week AS
WITH counts AS (
    SELECT date_trunc('week', published_date)::DATE AS week, actor_id, sum(articles) AS articles
    FROM actor_day WHERE NOT is_copy AND date_precision <> 'month' GROUP BY ALL),
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
FROM windowed t JOIN actors a USING (actor_id);

CREATE VIEW theme_signals_day AS
WITH counts AS (SELECT day, theme_id, label, articles FROM themes_per_day),
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

CREATE VIEW theme_signals_week AS
WITH counts AS (SELECT week, theme_id, label, articles FROM themes_per_week),
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

-- Newly appearing actors: the first day an actor was mentioned at all, or the first after at least
-- 8 weeks (56 days) without a mention (previous_day says when it was last seen before).
CREATE VIEW new_actors AS
WITH days AS (
    SELECT actor_id, published_date AS day, sum(articles) AS articles
    FROM actor_day WHERE NOT is_copy GROUP BY ALL),
gaps AS (
    SELECT actor_id, day, articles, lag(day) OVER (PARTITION BY actor_id ORDER BY day) AS previous_day
    FROM days)
SELECT g.day, g.actor_id, a.name, a.kind, a.origin, g.articles, g.previous_day,
       CASE WHEN g.previous_day IS NULL THEN 'first' ELSE 'returning' END AS novelty
FROM gaps g JOIN actors a USING (actor_id)
WHERE g.previous_day IS NULL OR date_diff('day', g.previous_day, g.day) >= 56;

-- New roles: the first day an actor is mentioned with a role (an office held on the article's date)
-- after having been mentioned with another role before; previous_role is the role last seen before.
CREATE VIEW new_roles AS
WITH firsts AS (
    SELECT m.actor_id, m.role, min(ar.published_date) AS day
    FROM mentions m JOIN originals ar USING (article_id) WHERE m.role IS NOT NULL GROUP BY ALL),
ordered AS (
    SELECT actor_id, role, day, lag(role) OVER (PARTITION BY actor_id ORDER BY day, role) AS previous_role
    FROM firsts)
SELECT o.day, o.actor_id, a.name, a.kind, o.role, o.previous_role
FROM ordered o JOIN actors a USING (actor_id)
WHERE o.previous_role IS NOT NULL;
