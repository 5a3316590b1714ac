"""What lies behind a number: the sentences behind a clicked point, the stories of a period, one article."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from warehouse.queries.filters import (
    Drill,
    Filters,
    actor_day_where,
    chosen_keys,
    day_where,
    period_end,
    story_where,
)
from warehouse.queries.read import frame, frame_then, frames

SENTENCE_COLUMNS = ("article_id", "title", "published_date", "date_precision", "duplicate_of", "sentence", "text",
                    "marks")


def drill_sentences(target: str | Path, d: Drill, f: Filters, limit: int = 100, offset: int = 0) -> pd.DataFrame:
    """Sentences behind a clicked point, with `marks`: mention spans relative to the sentence.

    One page of `limit` sentences from `offset` on, newest first (a stable order: date, article number,
    sentence). The sentences, their dates, bounds and marks are found in `actor_mentions` (migration 022),
    whose folded months are stored by the actors' numbers. Then only the page's articles are read from
    `articles`, by a list of their numbers that DuckDB applies inside its scan: joined to the page instead,
    DuckDB read every article's title and body (289,063 rows at 300,000 generated articles, 59 ms), and
    ordering every hit by the article's id read `articles` for all hits (2026-12-08, docs/performance.md).
    """
    g = replace(
        f,
        actors=(),
        start=d.start or f.start,
        end=period_end(d.start, d.grain) - timedelta(days=1) if d.start else f.end,
    )
    dw, dp = day_where(g, d.grain if d.start else None)  # the dates and copies of the stories counted
    conds: list[str] = []
    cp: list[Any] = []
    if g.start:  # implied by the dates above; written on the month too, so DuckDB skips the other months
        conds.append("d.\"month\" >= ?")
        cp.append(g.start.replace(day=1))
    if g.end:
        conds.append("d.\"month\" <= ?::DATE")
        cp.append(g.end)
    if g.themes:
        conds.append("d.article_key IN (SELECT article_key FROM article_themes WHERE list_contains(?, theme_id))")
        cp.append(list(g.themes))
    wanted = [a for a in (d.actor_id, d.other_id) if a]
    # the clicked actors by their numbers (DuckDB skips the blocks of each month without them), roles, kinds
    # and countries, as over the other actor summaries
    aw, ap = actor_day_where(replace(f, actors=tuple(wanted)))
    conds.append(aw)
    cp += ap
    if d.other_id:
        conds.append(
            "(SELECT count(DISTINCT actor_key) FROM mentions x WHERE x.article_key = d.article_key "
            f"AND {chosen_keys('x')}) = 2"
        )
        cp.append(wanted)
    if d.theme_id:
        conds.append(
            "EXISTS (SELECT 1 FROM sentence_themes st WHERE st.article_key = d.article_key "
            "AND st.sentence = d.sentence AND st.theme_id = ?)"
        )
        cp.append(d.theme_id)
    page, texts = frame_then(
        target,
        f"""
        WITH hits AS (  -- the mentions that answer the filters
            SELECT d.published_date, d.article_key, d.sentence, d.sentence_start, d.sentence_end, d.actor_key,
                   d.start_char, d.end_char
            FROM actor_mentions d WHERE {" AND ".join([dw, *conds])}
            GROUP BY ALL HAVING sum(d.mentions) > 0),
        page AS (  -- the page's sentences first, so that only their marks are built
            SELECT DISTINCT published_date, article_key, sentence, sentence_start, sentence_end FROM hits
            ORDER BY published_date DESC, article_key, sentence LIMIT ? OFFSET ?),
        marked AS (
            SELECT p.article_key, p.sentence,
                   list({{'start': h.start_char - p.sentence_start, 'end': h.end_char - p.sentence_start,
                          'actor_id': k.actor_id, 'name': a.name}}
                        ORDER BY h.start_char, h.end_char, k.actor_id) AS marks
            FROM page p JOIN hits h ON h.article_key = p.article_key AND h.sentence = p.sentence
            JOIN actor_keys k ON k.actor_key = h.actor_key JOIN actors a ON a.actor_id = k.actor_id
            GROUP BY p.article_key, p.sentence)
        SELECT p.article_key, p.sentence, p.sentence_start, p.sentence_end, m.marks
        FROM page p JOIN marked m ON m.article_key = p.article_key AND m.sentence = p.sentence
        ORDER BY p.published_date DESC, p.article_key, p.sentence""",
        [*dp, *cp, limit, offset],
        lambda page: None if page.empty else (
            """SELECT article_key, article_id, title, published_date, date_precision, duplicate_of, body
               FROM articles WHERE list_contains(?, article_key)""",
            [sorted({int(k) for k in page["article_key"]})]),
    )
    if texts is None:
        return pd.DataFrame(columns=list(SENTENCE_COLUMNS))
    rows = page.merge(texts, on="article_key", how="inner", validate="many_to_one")
    rows["text"] = [body[int(a):int(b)] for body, a, b in zip(rows["body"], rows["sentence_start"],
                                                             rows["sentence_end"], strict=True)]
    return rows[list(SENTENCE_COLUMNS)]


def articles_in_period(target: str | Path, d: Drill, f: Filters, limit: int = 100, offset: int = 0) -> pd.DataFrame:
    """Stories of one bucket (overview drill-down): id, date, precision, title, mentions; one page."""
    g = replace(f, start=d.start, end=period_end(d.start, d.grain) - timedelta(days=1) if d.start else None)
    sw, sp = story_where(g, d.grain)
    return frame(
        target,
        f"""WITH page AS (SELECT ar.article_id, ar.article_key, ar.published_date, ar.date_precision, ar.title,
                                 ar.source FROM articles ar WHERE {sw}
                          ORDER BY ar.published_date DESC, ar.title, ar.article_id LIMIT ? OFFSET ?)
        SELECT p.* EXCLUDE (article_key),
               (SELECT count(*) FROM mentions m WHERE m.article_key = p.article_key) AS mentions
        FROM page p ORDER BY p.published_date DESC, p.title, p.article_id""",
        [*sp, limit, offset],
    )


def article_detail(target: str | Path, article_id: str) -> dict[str, Any] | None:
    """One article with its mentions, sentences, themes, quotes and syndicated copies.

    The article's rows are read by its number and id (`article_key = ? AND article_id = ?`): DuckDB reads
    only the block of rows that holds the number (migration 021), and the id keeps the answer exact."""
    (art,) = frames(target, ("SELECT * EXCLUDE (run_id) FROM articles WHERE article_id = ?", [article_id]))
    if art.empty:
        return None
    article = art.iloc[0].to_dict()
    one = [int(article.pop("article_key")), article_id]  # every article has one (data check "article numbers")
    mine = "article_key = ? AND article_id = ?"
    mentions, sentences, sthemes, themes, quotes, copies = frames(
        target,
        (
            f"""SELECT m.* EXCLUDE (article_key), a.name, a.kind FROM mentions m JOIN actors a USING (actor_id)
            WHERE {mine} ORDER BY start_char""",
            one,
        ),
        (f"SELECT sentence, start_char, end_char FROM sentences WHERE {mine} ORDER BY sentence", one),
        (
            f"""SELECT st.sentence, st.theme_id, th.label, st.score, st.evidence FROM sentence_themes st
            LEFT JOIN themes th USING (theme_id) WHERE {mine} ORDER BY sentence""",
            one,
        ),
        (
            f"""SELECT t.theme_id, th.label, t.score, t.evidence FROM article_themes t
            LEFT JOIN themes th USING (theme_id) WHERE {mine} ORDER BY score DESC, theme_id""",
            one,
        ),
        (
            f"""SELECT q.* EXCLUDE (article_key), a.name FROM quotes q LEFT JOIN actors a USING (actor_id)
            WHERE {mine} ORDER BY start_char""",
            one,
        ),
        (
            """SELECT article_id, title, published_date, 'copy' AS relation
            FROM articles WHERE duplicate_of = ?
            UNION ALL SELECT o.other_id, ar.title, ar.published_date, 'overlap ' || round(o.similarity, 2)
            FROM "overlaps" o JOIN articles ar ON ar.article_id = o.other_id WHERE o.article_id = ?""",
            [article_id, article_id],
        ),
    )
    return {
        "article": article,
        "mentions": mentions,
        "sentences": sentences,
        "sentence_themes": sthemes,
        "themes": themes,
        "quotes": quotes,
        "related": copies,
    }
