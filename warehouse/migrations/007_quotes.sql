-- 007: what each quote is about. targets: the actors mentioned inside the quote other than its
-- speaker; themes: the themes of the sentences it covers; the sentence it starts in and the
-- character spans of its speaker and cue. Rows enriched before this migration have NULL here
-- until `lagebild reprocess` re-enriches them (their enrich_version is older).

ALTER TABLE quotes ADD COLUMN sentence INTEGER;
ALTER TABLE quotes ADD COLUMN speaker_start INTEGER;
ALTER TABLE quotes ADD COLUMN speaker_end INTEGER;
ALTER TABLE quotes ADD COLUMN cue_start INTEGER;
ALTER TABLE quotes ADD COLUMN cue_end INTEGER;
ALTER TABLE quotes ADD COLUMN targets VARCHAR[];
ALTER TABLE quotes ADD COLUMN themes VARCHAR[];

-- One row per quote with its date: who said it (speaker_id, speaker), about whom (targets: actor ids),
-- its themes, the cue (sagte, zufolge, Nach Angaben von, „…“ for a quote carried from the sentence
-- before) and its kind ('direct' | 'reported'). Syndicated copies are left out, as in `stories`.
CREATE VIEW quotes_view AS
SELECT q.article_id, ar.published_date AS date, ar.date_precision, q.actor_id AS speaker_id,
       coalesce(sp.name, q.speaker_text) AS speaker, q.speaker_text, q.targets, q.themes, q.cue, q.kind,
       q.quote, q.sentence, q.start_char, q.end_char, ar.title
FROM quotes q
JOIN articles ar USING (article_id)
LEFT JOIN actors sp ON sp.actor_id = q.actor_id
WHERE ar.duplicate_of IS NULL;

-- Speaker -> target pairs with their dates: one row per resolved speaker and actor mentioned in the quote.
CREATE VIEW quote_pairs AS
SELECT p.article_id, p.date, p.speaker_id, sp.name AS speaker, p.target_id, tg.name AS target,
       tg.kind AS target_kind, p.cue, p.kind, p.start_char
FROM (SELECT q.article_id, ar.published_date AS date, q.actor_id AS speaker_id, unnest(q.targets) AS target_id,
             q.cue, q.kind, q.start_char
      FROM quotes q JOIN articles ar USING (article_id)
      WHERE ar.duplicate_of IS NULL AND q.actor_id IS NOT NULL) p
JOIN actors sp ON sp.actor_id = p.speaker_id
JOIN actors tg ON tg.actor_id = p.target_id;
