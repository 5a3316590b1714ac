"""What the analyst narrowed a view to, and the WHERE clauses built from it.

The counting rules live here, once for the raw tables, once for the daily summary tables and once
for the monthly one (`actor_theme_month`, which counts whole months):
syndicated copies are left out unless `Filters.duplicates` is true ("count a story once"), and
at day and week granularity articles known only to their month are left out (they are counted
at month granularity, never drawn as if on the 1st).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

GRAINS = ("day", "week", "month")


@dataclass(frozen=True)
class Filters:
    """What the analyst narrowed the view to (all optional)."""

    start: date | None = None
    end: date | None = None
    kinds: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    duplicates: bool = False  # count syndicated copies too

    @property
    def needs_mentions(self) -> bool:
        """A theme filter on actors, or several roles (an actor may hold two of them in one article):
        only the raw mention rows answer them, not the daily summaries."""
        return bool(self.themes) or len(self.roles) > 1


@dataclass(frozen=True)
class Drill:
    """What a click selected: an actor and/or theme (or a pair of actors) in a period."""

    actor_id: str | None = None
    other_id: str | None = None  # second actor of a co-occurrence cell
    theme_id: str | None = None
    start: date | None = None
    grain: str = "month"


def bucket(grain: str, table: str = "ar") -> str:
    """SQL for the first day of the `grain` bucket of `table`.published_date."""
    column = f"{table}.published_date"
    if grain == "day":
        return column
    if grain in ("week", "month"):
        return f"date_trunc('{grain}', {column})::DATE"
    raise ValueError(f"unknown granularity {grain!r}: one of {', '.join(GRAINS)}")


def period_end(start: date, grain: str) -> date:
    """First day after the bucket that starts on `start`."""
    if grain == "day":
        return start + timedelta(days=1)
    if grain == "week":
        return start + timedelta(days=7)
    return (start.replace(day=1) + timedelta(days=32)).replace(day=1)


def _dated(f: Filters, grain: str | None, table: str) -> tuple[list[str], list[Any]]:
    """Date range and month precision over `table` (articles or a daily summary)."""
    parts: list[str] = []
    params: list[Any] = []
    if f.start:
        parts.append(
            f"(CASE WHEN {table}.date_precision = 'month' THEN last_day({table}.published_date) "
            f"ELSE {table}.published_date END) >= ?"
        )
        params.append(f.start)
    if f.end:
        parts.append(f"{table}.published_date <= ?")
        params.append(f.end)
    if grain in ("day", "week"):
        parts.append(f"{table}.date_precision <> 'month'")
    return parts, params


def _listed(pairs: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[list[str], list[Any]]:
    """`list_contains(?, column)` for each (column, values) with values."""
    parts = [f"list_contains(?, {column})" for column, values in pairs if values]
    return parts, [list(values) for _, values in pairs if values]


def story_where(f: Filters, grain: str | None = None, themes: bool = True) -> tuple[str, list[Any]]:
    """WHERE clause over articles `ar`: duplicates, date range, month precision, themes."""
    parts = ["true"] if f.duplicates else ["true", "ar.duplicate_of IS NULL"]
    dated, params = _dated(f, grain, "ar")
    parts += dated
    if themes and f.themes:
        parts.append(
            "ar.article_id IN (SELECT article_id FROM article_themes WHERE list_contains(?, theme_id))"
        )
        params.append(list(f.themes))
    return " AND ".join(parts), params


def mention_where(f: Filters) -> tuple[str, list[Any]]:
    """WHERE clause over mentions `m` joined with actors `a`: kinds, countries, roles, actors."""
    parts, params = _listed(
        (("a.kind", f.kinds), ("a.country", f.countries), ("m.role", f.roles), ("m.actor_id", f.actors))
    )
    return " AND ".join(["true", *parts]), params


def mention_from(f: Filters, grain: str | None) -> tuple[str, list[Any]]:
    """FROM/WHERE joining mentions `m`, actors `a` and the selected stories `ar`."""
    sw, sp = story_where(f, grain)
    mw, mp = mention_where(f)
    sql = (
        f"FROM mentions m JOIN actors a USING (actor_id) JOIN articles ar USING (article_id) "
        f"WHERE {sw} AND {mw}"
    )
    return sql, sp + mp


def day_where(f: Filters, grain: str | None = None) -> tuple[str, list[Any]]:
    """WHERE clause over a daily summary `d` (actor_day, article_day): copies, date range, precision."""
    parts = ["true"] if f.duplicates else ["true", "NOT d.is_copy"]
    dated, params = _dated(f, grain, "d")
    return " AND ".join(parts + dated), params


def actor_day_where(f: Filters) -> tuple[str, list[Any]]:
    """WHERE clause over actor_day (or actor_role_day, actor_theme_month, actor_month) `d` alone: actors (by
    their numbers, `chosen_keys`), the roles when there are any (`actor_day_table`), and kinds and countries
    as a semi-join on `actors` by number, so that a query sums the summary first and joins the names to
    the few rows it keeps (grouping millions of rows by name was 4× slower: 182 against 42 ms for the top
    actors at 250,000 articles)."""
    parts, params = ([chosen_keys("d")], [list(f.actors)]) if f.actors else ([], [])
    roles, rp = _listed((("d.role", f.roles),))
    parts, params = parts + roles, params + rp
    chosen, cp = _listed((("kind", f.kinds), ("country", f.countries)))
    if chosen:
        parts.append(f"d.actor_key IN (SELECT k.actor_key FROM actor_keys k JOIN actors USING (actor_id) "
                     f"WHERE {' AND '.join(chosen)})")
    return " AND ".join(["true", *parts]), params + cp


def chosen_keys(table: str) -> str:
    """Condition on the actor numbers (`actor_key`, migrations 018, 019, 021 and 022) of summary `table` (or
    of `mentions`): the actors of the parameter (a list of actor ids). DuckDB hands the numbers it finds to
    the scan of the summary, which skips the blocks of rows without them (by actor id it cannot: it keeps the
    first 8 bytes of a string for that, and 'country-de', 'country-at', … share them)."""
    return f"{table}.actor_key IN (SELECT actor_key FROM actor_keys WHERE list_contains(?, actor_id))"


def actor_day_table(f: Filters) -> str:
    """The daily actor summary that answers the filters: actor_role_day (mentions with a role) when one
    role is chosen, else actor_day."""
    return "actor_role_day" if f.roles else "actor_day"


def month_where(f: Filters, table: str = "s") -> tuple[str, list[Any]]:
    """WHERE clause over a monthly summary: copies, and the months that overlap the date range.

    A month counts whole when the range covers any day of it (the rule of month-dated articles).
    """
    parts = ["true"] if f.duplicates else ["true", f"NOT {table}.is_copy"]
    params: list[Any] = []
    if f.start:
        parts.append(f"last_day({table}.month) >= ?")
        params.append(f.start)
    if f.end:
        parts.append(f"{table}.month <= ?")
        params.append(f.end)
    return " AND ".join(parts), params


def whole_months(f: Filters) -> bool:
    """The date range starts on a first and ends on a last day of a month (or is open): a monthly summary
    then counts exactly what the raw rows count."""
    return (f.start is None or f.start.day == 1) and (f.end is None or (f.end + timedelta(days=1)).day == 1)
