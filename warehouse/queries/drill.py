"""What lies behind a number: the sentences behind a clicked point, the stories of a period, one article."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from warehouse.queries.filters import Drill, Filters, chosen_keys, mention_where, period_end, story_where
from warehouse.queries.read import frame, frames


def drill_sentences(target: str | Path, d: Drill, f: Filters, limit: int = 100, offset: int = 0) -> pd.DataFrame:
    """Sentences behind a clicked point, with `marks`: mention spans relative to the sentence.

    One page of `limit` sentences from `offset` on, newest first (a stable order: date, article, sentence).
    """
    g = replace(
        f,
        actors=(),
        start=d.start or f.start,
        end=period_end(d.start, d.grain) - timedelta(days=1) if d.start else f.end,
    )
    sw, sp = story_where(g, d.grain if d.start else None)
    mw, mp = mention_where(Filters(kinds=f.kinds, countries=f.countries, roles=f.roles))
    conds: list[str] = []
    cp: list[Any] = []
    wanted = [a for a in (d.actor_id, d.other_id) if a]
    if wanted:  # by the actors' numbers (migration 021): faster than comparing ids over every mention
        conds.append(chosen_keys("m"))
        cp.append(wanted)
    if d.other_id:
        conds.append(
            "(SELECT count(DISTINCT actor_key) FROM mentions x WHERE x.article_key = ar.article_key "
            f"AND {chosen_keys('x')}) = 2"
        )
        cp.append(wanted)
    if d.theme_id:
        conds.append(
            "EXISTS (SELECT 1 FROM sentence_themes st WHERE st.article_key = ar.article_key "
            "AND st.sentence = m.sentence AND st.theme_id = ?)"
        )
        cp.append(d.theme_id)
    where = " AND ".join([sw, mw, *conds])
    # One pass over the mentions: the page's (article, sentence) keys with their marks, the mentions that
    # answer the filters (every condition holds for the whole sentence or article, so the mentions a page's
    # sentence holds of them are exactly the ones grouped here); texts are read for these keys only. Rows are
    # joined by the article's number (migration 021): integers, and a page's sentences are found by theirs.
    return frame(
        target,
        f"""
        WITH page AS (
            SELECT m.article_key, m.sentence, any_value(ar.article_id) AS article_id,
                   any_value(ar.published_date) AS published_date,
                   list({{'start': m.start_char, 'end': m.end_char, 'actor_id': m.actor_id, 'name': a.name}}
                        ORDER BY m.start_char) AS marks
            FROM mentions m JOIN actors a USING (actor_id) JOIN articles ar ON ar.article_key = m.article_key
            WHERE {where}
            GROUP BY m.article_key, m.sentence
            ORDER BY published_date DESC, article_id, m.sentence LIMIT ? OFFSET ?)
        SELECT ar.article_id, ar.title, ar.published_date, ar.date_precision, ar.duplicate_of, s.sentence,
               substr(ar.body, s.start_char + 1, s.end_char - s.start_char) AS text,
               [{{'start': k.start - s.start_char, 'end': k."end" - s.start_char, 'actor_id': k.actor_id,
                  'name': k.name}} FOR k IN p.marks] AS marks
        FROM page p JOIN articles ar ON ar.article_key = p.article_key
        JOIN sentences s ON s.article_key = p.article_key AND s.sentence = p.sentence
        ORDER BY ar.published_date DESC, ar.article_id, s.sentence""",
        [*sp, *mp, *cp, limit, offset],
    )


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
    key = article.pop("article_key")
    mine, one = ("article_id = ?", [article_id]) if pd.isna(key) else (
        "article_key = ? AND article_id = ?", [int(key), article_id])
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
