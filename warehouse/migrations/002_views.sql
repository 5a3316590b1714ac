-- 002: views for the dashboard and for analysts.
-- "stories" exclude near-identical syndicated copies (articles.duplicate_of IS NOT NULL):
-- the *_per_* views count a story once. Day and week views hold only articles dated to the day
-- or minute; articles known only to their month appear in the month views (never as the 1st).

CREATE VIEW stories AS
SELECT * FROM articles WHERE duplicate_of IS NULL;

CREATE VIEW mention_sentences AS
SELECT m.article_id, m.actor_id, a.name, a.kind, a.country, m.role, m.surface, m.method, m.metonym,
       m.sentence, m.start_char, m.end_char,
       substr(ar.body, s.start_char + 1, s.end_char - s.start_char) AS sentence_text,
       ar.title, ar.published_date, ar.date_precision, ar.duplicate_of
FROM mentions m
JOIN actors a USING (actor_id)
JOIN articles ar USING (article_id)
LEFT JOIN sentences s ON s.article_id = m.article_id AND s.sentence = m.sentence;

CREATE VIEW articles_per_day AS
SELECT published_date AS day, count(*) AS articles
FROM stories WHERE date_precision <> 'month' GROUP BY ALL;

CREATE VIEW articles_per_week AS
SELECT date_trunc('week', published_date)::DATE AS week, count(*) AS articles
FROM stories WHERE date_precision <> 'month' GROUP BY ALL;

CREATE VIEW articles_per_month AS
SELECT date_trunc('month', published_date)::DATE AS month, count(*) AS articles
FROM stories GROUP BY ALL;

CREATE VIEW mentions_per_day AS
SELECT s.published_date AS day, m.actor_id, a.name, a.kind,
       count(*) AS mentions, count(DISTINCT m.article_id) AS articles
FROM mentions m JOIN stories s USING (article_id) JOIN actors a USING (actor_id)
WHERE s.date_precision <> 'month' GROUP BY ALL;

CREATE VIEW mentions_per_week AS
SELECT date_trunc('week', s.published_date)::DATE AS week, m.actor_id, a.name, a.kind,
       count(*) AS mentions, count(DISTINCT m.article_id) AS articles
FROM mentions m JOIN stories s USING (article_id) JOIN actors a USING (actor_id)
WHERE s.date_precision <> 'month' GROUP BY ALL;

CREATE VIEW mentions_per_month AS
SELECT date_trunc('month', s.published_date)::DATE AS month, m.actor_id, a.name, a.kind,
       count(*) AS mentions, count(DISTINCT m.article_id) AS articles
FROM mentions m JOIN stories s USING (article_id) JOIN actors a USING (actor_id)
GROUP BY ALL;

CREATE VIEW themes_per_day AS
SELECT s.published_date AS day, t.theme_id, th.label, count(*) AS articles, sum(t.score) AS score
FROM article_themes t JOIN stories s USING (article_id) JOIN themes th USING (theme_id)
WHERE s.date_precision <> 'month' GROUP BY ALL;

CREATE VIEW themes_per_week AS
SELECT date_trunc('week', s.published_date)::DATE AS week, t.theme_id, th.label,
       count(*) AS articles, sum(t.score) AS score
FROM article_themes t JOIN stories s USING (article_id) JOIN themes th USING (theme_id)
WHERE s.date_precision <> 'month' GROUP BY ALL;

CREATE VIEW themes_per_month AS
SELECT date_trunc('month', s.published_date)::DATE AS month, t.theme_id, th.label,
       count(*) AS articles, sum(t.score) AS score
FROM article_themes t JOIN stories s USING (article_id) JOIN themes th USING (theme_id)
GROUP BY ALL;
