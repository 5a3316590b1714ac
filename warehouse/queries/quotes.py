"""Quotes: who said what about whom, when (the `quotes_view` and `quote_pairs` views, migration 007).

Syndicated copies are left out (the views read stories only). The period filter applies to the
article date; a quote of an article dated only to its month counts in that month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from warehouse.queries.filters import bucket
from warehouse.queries.read import frame, frames

MAX_TEXT = 200  # characters of a search text


@dataclass(frozen=True)
class QuoteFilters:
    """What the analyst narrowed the quotes to (all optional)."""

    start: date | None = None
    end: date | None = None
    speakers: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    text: str = ""  # words inside the quote (case-insensitive substring)


def where(f: QuoteFilters, table: str = "q") -> tuple[str, list[Any]]:
    """WHERE clause over `quotes_view` (aliased `table`) for the filters."""
    parts: list[str] = ["true"]
    params: list[Any] = []
    if f.start:
        parts.append(f"(CASE WHEN {table}.date_precision = 'month' THEN last_day({table}.date) "
                     f"ELSE {table}.date END) >= ?")
        params.append(f.start)
    if f.end:
        parts.append(f"{table}.date <= ?")
        params.append(f.end)
    if f.speakers:
        parts.append(f"list_contains(?, {table}.speaker_id)")
        params.append(list(f.speakers))
    for column, values in (("targets", f.targets), ("themes", f.themes)):
        if values:
            parts.append(f"len(list_intersect({table}.{column}, ?)) > 0")
            params.append(list(values))
    if f.text.strip():
        parts.append(f"{table}.quote ILIKE ? ESCAPE '\\'")
        params.append("%" + _escape(f.text.strip()[:MAX_TEXT]) + "%")
    return " AND ".join(parts), params


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def quote_list(target: str | Path, f: QuoteFilters, limit: int = 100) -> pd.DataFrame:
    """The newest quotes under the filters, with the names of their targets."""
    w, params = where(f)
    return frame(
        target,
        f"""WITH l AS (SELECT q.article_id, q.date, q.date_precision, q.speaker_id, q.speaker, q.speaker_text, q.cue,
                          q.kind, q.quote, q.sentence, q.start_char, q.title, q.themes, q.targets AS ids
                   FROM quotes_view q WHERE {w}
                   ORDER BY q.date DESC, q.article_id, q.start_char LIMIT ?),
                 t AS (SELECT article_id, start_char, unnest(ids) AS id FROM l),
                 n AS (SELECT t.article_id, t.start_char, string_agg(a.name, ', ') AS targets
                       FROM t JOIN actors a ON a.actor_id = t.id GROUP BY ALL)
            SELECT l.* EXCLUDE (ids), n.targets FROM l LEFT JOIN n USING (article_id, start_char)
            ORDER BY l.date DESC, l.article_id, l.start_char""",
        [*params, limit],
    )


def speaker_series(target: str | Path, f: QuoteFilters, grain: str, top_n: int = 8) -> pd.DataFrame:
    """Quotes per period of the chosen (else the most quoted) speakers: bucket, speaker_id, speaker, quotes."""
    w, params = where(f)
    chosen = "" if f.speakers else f"""AND q.speaker_id IN (SELECT speaker_id FROM quotes_view q WHERE {w}
        AND speaker_id IS NOT NULL GROUP BY speaker_id ORDER BY count(*) DESC, speaker_id LIMIT ?)"""
    extra = [] if f.speakers else [*params, top_n]
    return frame(
        target,
        f"""SELECT {bucket(grain, "q")} AS bucket, q.speaker_id, any_value(q.speaker) AS speaker,
                   count(*) AS quotes
            FROM (SELECT *, date AS published_date FROM quotes_view) q
            WHERE {w} AND q.speaker_id IS NOT NULL {chosen}
            GROUP BY ALL ORDER BY bucket, speaker""",
        [*params, *extra],
    )


def speaker_target_matrix(target: str | Path, f: QuoteFilters, top_n: int = 12) -> pd.DataFrame:
    """Quotes per (speaker, target) of the most frequent pairs' speakers and targets."""
    w, params = where(f)
    return frame(
        target,
        f"""WITH u AS (SELECT q.speaker_id, q.speaker, unnest(q.targets) AS target_id FROM quotes_view q
                       WHERE {w} AND q.speaker_id IS NOT NULL),
                 p AS (SELECT u.*, a.name AS target FROM u JOIN actors a ON a.actor_id = u.target_id),
                 s AS (SELECT speaker_id FROM p GROUP BY ALL ORDER BY count(*) DESC, speaker_id LIMIT ?),
                 t AS (SELECT target_id FROM p GROUP BY ALL ORDER BY count(*) DESC, target_id LIMIT ?)
            SELECT speaker_id, any_value(speaker) AS speaker, target_id, any_value(target) AS target,
                   count(*) AS quotes
            FROM p WHERE speaker_id IN (SELECT * FROM s) AND target_id IN (SELECT * FROM t)
            GROUP BY speaker_id, target_id ORDER BY speaker, target""",
        [*params, top_n, top_n],
    )


def quote_options(target: str | Path) -> dict[str, pd.DataFrame]:
    """Speakers and targets that occur in quotes (id, name, quotes), most quoted first."""
    speakers, targets = frames(
        target,
        ("""SELECT speaker_id AS actor_id, any_value(speaker) AS name, count(*) AS quotes FROM quotes_view
            WHERE speaker_id IS NOT NULL GROUP BY ALL ORDER BY quotes DESC, name""", []),
        ("""SELECT t.id AS actor_id, any_value(a.name) AS name, count(*) AS quotes
            FROM (SELECT unnest(targets) AS id FROM quotes WHERE actor_id IS NOT NULL) t
            JOIN actors a ON a.actor_id = t.id GROUP BY ALL ORDER BY quotes DESC, name""", []),
    )
    return {"speakers": speakers, "targets": targets}


def latest_statements(target: str | Path, actor_ids: list[str], limit: int = 10) -> pd.DataFrame:
    """The newest quotes of these speakers."""
    return quote_list(target, QuoteFilters(speakers=tuple(actor_ids)), limit)
