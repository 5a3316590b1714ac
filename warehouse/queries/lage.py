"""The situation picture of a day or week: top stories, rising actors and themes, new actors (migration 008)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from warehouse.queries.filters import chosen_keys
from warehouse.queries.read import frame

SPARK_DAYS = 28  # sparkline length for a day
SPARK_WEEKS = 12  # and for a week
# the rising rows of a period (table macros of migration 023: the rows of `{what}_signals_{grain}_in` that rise,
# computed for the buckets with enough articles alone; the views `{what}_signals_{grain}` hold every day)
RISING = {(what, grain): (f"{what}_rising_{grain}_in", f"{what}_id") for what in ("actor", "theme")
          for grain in ("day", "week")}


@dataclass(frozen=True)
class Period:
    """From `start` to `end` (inclusive); `grain` ('day' | 'week') is the bucket of the signals and sparklines."""

    start: date
    end: date
    grain: str

    @classmethod
    def of(cls, day: date, grain: str) -> Period:
        """One day, or the ISO week (Monday to Sunday) holding `day`."""
        if grain == "week":
            monday = day - timedelta(days=day.weekday())
            return cls(monday, monday + timedelta(days=6), grain)
        return cls(day, day, grain)

    @property
    def buckets(self) -> tuple[date, date]:
        """The first and last signal bucket (day, or Monday of the week) inside the period."""
        if self.grain == "week":
            return self.start - timedelta(days=self.start.weekday()), self.end - timedelta(days=self.end.weekday())
        return self.start, self.end

    @property
    def spark_start(self) -> date:
        last = self.buckets[1]
        return last - (timedelta(days=SPARK_DAYS - 1) if self.grain == "day" else timedelta(weeks=SPARK_WEEKS - 1))


def latest_day(target: str | Path) -> date | None:
    """The newest day with articles dated to the day (None for an empty warehouse)."""
    df = frame(target, "SELECT max(published_date) AS d FROM article_day WHERE date_precision <> 'month'")
    value = df["d"].iloc[0]
    return None if pd.isna(value) else pd.Timestamp(value).date()


def top_stories(target: str | Path, p: Period, limit: int = 10) -> pd.DataFrame:
    """Stories with articles in the period, by their articles in it; with their whole size and top actors."""
    return frame(target, """
        SELECT s.story_id, s.title, count(*) AS articles_in_period, any_value(s.articles) AS articles,
               any_value(s.first_seen) AS first_seen, any_value(s.last_seen) AS last_seen,
               any_value(array_to_string([coalesce(a.name || ' (' || a.role || ')', a.name)
                                          FOR a IN s.top_actors], ', ')) AS actors,
               any_value(array_to_string(s.themes, ', ')) AS themes
        FROM stories s JOIN story_articles sa USING (story_id)
        WHERE sa.first_day <= ? AND sa.last_day >= ? AND sa.last_day - sa.first_day < 7
        GROUP BY s.story_id, s.title ORDER BY articles_in_period DESC, articles DESC, s.story_id LIMIT ?""",
                 [p.end, p.start, limit])


def rising(target: str | Path, what: str, p: Period, limit: int = 10) -> pd.DataFrame:
    """Rising actors (`what='actor'`) or themes in the period, strongest first (see migrations 008, 020 and 023)."""
    rising_in, key = RISING[(what, p.grain)]
    name = "name" if what == "actor" else "label"
    return frame(target, f"""SELECT {key} AS id, any_value({name}) AS name, arg_max(articles, z)::INTEGER AS articles,
                                    round(arg_max(baseline, z), 2) AS baseline, round(max(z), 1) AS z,
                                    arg_max({p.grain}, z)::DATE AS peak
                             FROM {rising_in}(?::DATE, ?::DATE)
                             GROUP BY ALL ORDER BY z DESC, id LIMIT ?""",
                 [*p.buckets, limit])  # macro and key come from RISING, never from input


def sparklines(target: str | Path, what: str, ids: list[str], p: Period) -> pd.DataFrame:
    """Articles per day (week) of these actors or themes, up to the period, zeros included. The rows are read
    from the first bucket on, the actors' by their numbers (`chosen_keys`)."""
    source = ("SELECT published_date AS d, actor_id AS id, articles FROM actor_day d WHERE NOT is_copy "
              f"AND date_precision <> 'month' AND published_date >= ? AND {chosen_keys('d')}" if what == "actor" else
              "SELECT published_date AS d, theme_id AS id, articles FROM theme_day WHERE NOT is_copy "
              "AND date_precision <> 'month' AND published_date >= ? AND list_contains(?, theme_id)")
    return frame(target, f"""
        WITH src AS ({source}),
        buckets AS (SELECT unnest(generate_series(?::DATE, ?::DATE, INTERVAL 1 {p.grain.upper()}))::DATE AS bucket),
        ids AS (SELECT unnest(?::VARCHAR[]) AS id)
        SELECT ids.id, buckets.bucket, coalesce(sum(src.articles), 0)::INTEGER AS articles
        FROM ids CROSS JOIN buckets LEFT JOIN src ON src.id = ids.id
             AND date_trunc('{p.grain}', src.d)::DATE = buckets.bucket
        GROUP BY ALL ORDER BY ids.id, buckets.bucket""", [p.spark_start, ids, p.spark_start, p.buckets[1], ids])


def new_actors(target: str | Path, p: Period, limit: int = 20) -> pd.DataFrame:
    """Actors seen for the first time, or for the first time in eight weeks, in the period."""
    return frame(target, """SELECT actor_id AS id, name, kind, origin, novelty, previous_day,
                                   sum(articles)::INTEGER AS articles
                            FROM new_actors_in(?::DATE, ?::DATE) GROUP BY ALL
                            ORDER BY articles DESC, name LIMIT ?""", [p.start, p.end, limit])


def new_roles(target: str | Path, p: Period, limit: int = 20) -> pd.DataFrame:
    return frame(target, """SELECT actor_id AS id, name, role, previous_role, day FROM new_roles
                            WHERE day BETWEEN ? AND ? ORDER BY day, name LIMIT ?""", [p.start, p.end, limit])


def story_members(target: str | Path, story_id: str) -> pd.DataFrame:
    """The articles of one story, oldest first."""
    return frame(target, """SELECT ar.article_id, ar.published_date, ar.date_precision, ar.title, ar.source,
                                   ar.duplicate_of FROM story_articles sa JOIN articles ar USING (article_id)
                            WHERE sa.story_id = ? ORDER BY ar.published_date, ar.article_id""", [story_id])


def article_count(target: str | Path, p: Period) -> int:
    """Articles (copies included) dated to a day inside the period."""
    df = frame(target, """SELECT coalesce(sum(articles), 0)::BIGINT AS n FROM article_day
                          WHERE date_precision <> 'month' AND published_date BETWEEN ? AND ?""", [p.start, p.end])
    return int(df["n"].iloc[0])
