"""`lagebild brief`: the situation picture of the last days as a Markdown or HTML report (a Prefect flow)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows.brief_render import Brief, png, spark_chart, write
from lagebild.settings import Settings
from warehouse.queries import lage
from warehouse.queries.lage import Period

TOP_STORIES = 10
TOP_RISING = 8


class NothingToBrief(ValueError):
    """The warehouse holds no article dated to the day."""


def period_for(settings: Settings, days: int, until: date | None) -> Period:
    """The `days` days up to `until` (default: the newest day with articles dated to the day)."""
    end = until or lage.latest_day(settings.warehouse)
    if end is None:
        raise NothingToBrief(f"the warehouse {settings.warehouse} holds no article dated to the day yet; "
                             "ingest articles first (lagebild ingest PATH)")
    return Period(end - timedelta(days=days - 1), end, "day")


@task(name="gather the picture", cache_policy=NO_CACHE)
def gather(settings: Settings, p: Period) -> Brief:
    target = settings.warehouse
    rising = {what: lage.rising(target, what, p, TOP_RISING) for what in ("actor", "theme")}
    sparks = {what: lage.sparklines(target, what, list(df["id"]), p).merge(df[["id", "name"]], on="id")
              for what, df in rising.items() if not df.empty}
    return Brief(p, datetime.now(), lage.article_count(target, p), lage.top_stories(target, p, TOP_STORIES),
                 rising, sparks, lage.new_actors(target, p), lage.new_roles(target, p))


@task(name="draw the charts", cache_policy=NO_CACHE)
def draw(b: Brief) -> Brief:
    titles = {"actor": "Rising actors: articles per day", "theme": "Rising themes: articles per day"}
    images = {what: png(spark_chart(df, titles[what])) for what, df in b.sparks.items()}
    return Brief(**{**b.__dict__, "images": images})


@task(name="write the brief", cache_policy=NO_CACHE)
def save(b: Brief, fmt: str, output: Path) -> list[Path]:
    return write(b, fmt, output)


@flow(name="lagebild-brief", log_prints=False, validate_parameters=False)
def brief(settings: Settings, days: int = 7, fmt: str = "md", output: str | None = None,
          until: date | None = None) -> list[str]:
    """Write the brief of the `days` days up to `until`; returns the files written (the report first)."""
    p = period_for(settings, days, until)
    path = Path(output) if output else settings.data_dir / "briefs" / f"brief-{p.end.isoformat()}.{fmt}"
    return [str(f) for f in save(draw(gather(settings, p)), fmt, path)]


@flow(name="lagebild-brief-scheduled", log_prints=False)
def scheduled_brief(days: int = 7, fmt: str = "html", output: str | None = None) -> list[str]:
    """The brief with the settings of the environment (LAGEBILD_*): the flow to deploy on a schedule."""
    return brief(Settings.load(), days, fmt, output)
