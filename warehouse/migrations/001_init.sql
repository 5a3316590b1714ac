-- 001: the documented tables. Offsets (start_char/end_char) are 0-based, end-exclusive,
-- into articles.body; in SQL: substr(body, start_char + 1, end_char - start_char).

CREATE TABLE articles (
    article_id     VARCHAR PRIMARY KEY,      -- sha256 of the normalised text, 16 hex digits
    published_date DATE NOT NULL,            -- first of the month when date_precision = 'month'
    date_precision VARCHAR NOT NULL CHECK (date_precision IN ('month', 'day', 'minute')),
    published_at   TIMESTAMP,                -- set when the text carries a time stamp
    title          VARCHAR NOT NULL,
    body           VARCHAR NOT NULL,         -- title line, blank line, body paragraphs
    source_file    VARCHAR NOT NULL,         -- the file name as dropped, relative to the inbox
    source_line    INTEGER,                  -- line number inside a .jsonl file
    source         VARCHAR,
    url            VARCHAR,
    word_count     INTEGER NOT NULL,
    duplicate_of   VARCHAR,                  -- near-identical earlier article (syndication)
    ingested_at    TIMESTAMP NOT NULL,
    run_id         VARCHAR,
    enrich_version VARCHAR
);

CREATE TABLE actors (
    actor_id VARCHAR PRIMARY KEY,
    name     VARCHAR NOT NULL,
    kind     VARCHAR NOT NULL CHECK (kind IN ('person', 'organisation', 'country', 'place', 'group')),
    country  VARCHAR,
    origin   VARCHAR NOT NULL CHECK (origin IN ('registry', 'discovered')),
    role     VARCHAR
);

CREATE TABLE sentences (
    article_id VARCHAR NOT NULL,
    sentence   INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char   INTEGER NOT NULL
);

CREATE TABLE mentions (
    article_id VARCHAR NOT NULL,
    actor_id   VARCHAR NOT NULL,
    surface    VARCHAR NOT NULL,
    sentence   INTEGER NOT NULL,            -- index into sentences for this article
    start_char INTEGER NOT NULL,
    end_char   INTEGER NOT NULL,
    method     VARCHAR NOT NULL,
    role       VARCHAR,                     -- role held on the article's date
    metonym    BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE themes (
    theme_id VARCHAR PRIMARY KEY,
    label    VARCHAR NOT NULL
);

CREATE TABLE article_themes (
    article_id VARCHAR NOT NULL,
    theme_id   VARCHAR NOT NULL,
    score      DOUBLE NOT NULL,
    evidence   VARCHAR[]
);

CREATE TABLE sentence_themes (
    article_id VARCHAR NOT NULL,
    sentence   INTEGER NOT NULL,
    theme_id   VARCHAR NOT NULL,
    score      DOUBLE NOT NULL,
    evidence   VARCHAR[]
);

CREATE TABLE quotes (
    article_id   VARCHAR NOT NULL,
    actor_id     VARCHAR,
    speaker_text VARCHAR NOT NULL,
    cue          VARCHAR NOT NULL,
    quote        VARCHAR NOT NULL,
    start_char   INTEGER NOT NULL,
    end_char     INTEGER NOT NULL,
    kind         VARCHAR NOT NULL
);

-- overlapping articles: similarity = share of the shorter text's passages found in the other
-- (1.0 = the shorter one is contained in the longer); near-identical copies also get duplicate_of
CREATE TABLE "overlaps" (
    article_id VARCHAR NOT NULL,
    other_id   VARCHAR NOT NULL,
    similarity DOUBLE NOT NULL
);

-- MinHash LSH bands of each article, for finding near-duplicate candidates in SQL
CREATE TABLE article_bands (
    article_id VARCHAR NOT NULL,
    band       INTEGER NOT NULL,
    hash       UBIGINT NOT NULL
);

-- sampled word 8-gram fingerprints of each article, for finding shared passages in SQL
CREATE TABLE article_passages (
    article_id VARCHAR NOT NULL,
    hash       UBIGINT NOT NULL
);

CREATE TABLE ingest_runs (
    run_id      VARCHAR PRIMARY KEY,
    flow_run_id VARCHAR,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status      VARCHAR NOT NULL,           -- running | completed | failed
    files       INTEGER NOT NULL DEFAULT 0,
    loaded      INTEGER NOT NULL DEFAULT 0,
    duplicates  INTEGER NOT NULL DEFAULT 0,
    rejected    INTEGER NOT NULL DEFAULT 0,
    articles    INTEGER NOT NULL DEFAULT 0,
    message     VARCHAR
);

CREATE TABLE ingest_log (
    file        VARCHAR NOT NULL,           -- path relative to the inbox, as dropped
    sha256      VARCHAR NOT NULL,           -- of the file's bytes
    status      VARCHAR NOT NULL CHECK (status IN ('loaded', 'duplicate', 'rejected')),
    reason      VARCHAR,                    -- why rejected / duplicate of what
    "at"        TIMESTAMP NOT NULL,         -- a reserved word in DuckDB: write "at" in SQL
    run_id      VARCHAR,
    line        INTEGER,                    -- JSONL line number for per-line outcomes, else NULL
    article_id  VARCHAR,
    destination VARCHAR                     -- where the file went: archive/… or rejected/…
);
