"""What lies behind a number: the sentences behind a clicked point, the stories of a period, one article."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from warehouse.queries.filters import Drill, Filters, mention_where, period_end, story_where
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
    if wanted:
        conds.append("list_contains(?, m.actor_id)")
        cp.append(wanted)
    if d.other_id:
        conds.append(
            "(SELECT count(DISTINCT actor_id) FROM mentions x WHERE x.article_id = ar.article_id "
            "AND list_contains(?, x.actor_id)) = 2"
        )
        cp.append(wanted)
    if d.theme_id:
        conds.append(
            "EXISTS (SELECT 1 FROM sentence_themes st WHERE st.article_id = ar.article_id "
            "AND st.sentence = m.sentence AND st.theme_id = ?)"
        )
        cp.append(d.theme_id)
    where = " AND ".join([sw, mw, *conds])
    # One pass over the mentions: the page's (article, sentence) keys with their marks, the mentions that
    # answer the filters (every condition holds for the whole sentence or article, so the mentions a page's
    # sentence holds of them are exactly the ones grouped here); texts are read for these keys only.
    return frame(
        target,
        f"""
        WITH page AS (
            SELECT m.article_id, m.sentence, any_value(ar.published_date) AS published_date,
                   list({{'start': m.start_char, 'end': m.end_char, 'actor_id': m.actor_id, 'name': a.name}}
                        ORDER BY m.start_char) AS marks
            FROM mentions m JOIN actors a USING (actor_id) JOIN articles ar USING (article_id)
            WHERE {where}
            GROUP BY m.article_id, m.sentence
            ORDER BY published_date DESC, m.article_id, m.sentence LIMIT ? OFFSET ?)
        SELECT ar.article_id, ar.title, ar.published_date, ar.date_precision, ar.duplicate_of, s.sentence,
               substr(ar.body, s.start_char + 1, s.end_char - s.start_char) AS text,
               [{{'start': k.start - s.start_char, 'end': k."end" - s.start_char, 'actor_id': k.actor_id,
                  'name': k.name}} FOR k IN p.marks] AS marks
        FROM page p JOIN articles ar ON ar.article_id = p.article_id
        JOIN sentences s ON s.article_id = p.article_id AND s.sentence = p.sentence
        ORDER BY ar.published_date DESC, ar.article_id, s.sentence""",
        [*sp, *mp, *cp, limit, offset],
    )


def articles_in_period(target: str | Path, d: Drill, f: Filters, limit: int = 100, offset: int = 0) -> pd.DataFrame:
    """Stories of one bucket (overview drill-down): id, date, precision, title, mentions; one page."""
    g = replace(f, start=d.start, end=period_end(d.start, d.grain) - timedelta(days=1) if d.start else None)
    sw, sp = story_where(g, d.grain)
    return frame(
        target,
        f"""WITH page AS (SELECT ar.article_id, ar.published_date, ar.date_precision, ar.title, ar.source
                          FROM articles ar WHERE {sw}
                          ORDER BY ar.published_date DESC, ar.title, ar.article_id LIMIT ? OFFSET ?)
        SELECT p.*, (SELECT count(*) FROM mentions m WHERE m.article_id = p.article_id) AS mentions
        FROM page p ORDER BY p.published_date DESC, p.title, p.article_id""",
        [*sp, limit, offset],
    )


def article_detail(target: str | Path, article_id: str) -> dict[str, Any] | None:
    """One article with its mentions, sentences, themes, quotes and syndicated copies."""
    one = [article_id]
    art, mentions, sentences, sthemes, themes, quotes, copies = frames(
        target,
        ("SELECT * EXCLUDE (run_id) FROM articles WHERE article_id = ?", one),
        (
            """SELECT m.*, a.name, a.kind FROM mentions m JOIN actors a USING (actor_id)
            WHERE article_id = ? ORDER BY start_char""",
            one,
        ),
        ("SELECT sentence, start_char, end_char FROM sentences WHERE article_id = ? ORDER BY sentence", one),
        (
            """SELECT st.sentence, st.theme_id, th.label, st.score, st.evidence FROM sentence_themes st
            LEFT JOIN themes th USING (theme_id) WHERE article_id = ? ORDER BY sentence""",
            one,
        ),
        (
            """SELECT t.theme_id, th.label, t.score, t.evidence FROM article_themes t
            LEFT JOIN themes th USING (theme_id) WHERE article_id = ? ORDER BY score DESC, theme_id""",
            one,
        ),
        (
            """SELECT q.*, a.name FROM quotes q LEFT JOIN actors a USING (actor_id)
            WHERE article_id = ? ORDER BY start_char""",
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
    if art.empty:
        return None
    return {
        "article": art.iloc[0].to_dict(),
        "mentions": mentions,
        "sentences": sentences,
        "sentence_themes": sthemes,
        "themes": themes,
        "quotes": quotes,
        "related": copies,
    }
