"""The brief as Markdown or HTML, with its charts as PNG images (Altair, saved with vl-convert)."""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert

from lagebild.files import atomic_write
from warehouse.queries.lage import Period

FORMATS = ("md", "html")


@dataclass(frozen=True)
class Brief:
    """Everything the brief shows, read from the warehouse for one period."""

    period: Period
    generated: datetime
    articles: int
    stories: pd.DataFrame
    rising: dict[str, pd.DataFrame]  # 'actor' | 'theme' -> rising rows
    sparks: dict[str, pd.DataFrame]  # 'actor' | 'theme' -> articles per day of the rising ones
    new_actors: pd.DataFrame
    new_roles: pd.DataFrame
    images: dict[str, bytes] = field(default_factory=dict)


def spark_chart(df: pd.DataFrame, title: str) -> alt.Chart:
    """Small multiples: articles per day of each rising actor or theme over the last weeks."""
    return (alt.Chart(df, title=title).mark_line(point=True)
            .encode(x=alt.X("bucket:T", title=None, axis=alt.Axis(format="%d.%m.")),
                    y=alt.Y("articles:Q", title=None, axis=alt.Axis(tickCount=2)),
                    row=alt.Row("name:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")))
            .properties(width=360, height=40))


def png(chart: alt.Chart) -> bytes:
    return bytes(vl_convert.vegalite_to_png(chart.to_dict(), scale=2))


def title(b: Brief) -> str:
    return f"Lagebild: {b.period.start:%d.%m.%Y} – {b.period.end:%d.%m.%Y}"


def _rows(df: pd.DataFrame, columns: list[str]) -> list[list[str]]:
    return [["–" if pd.isna(v) else str(v) for v in row] for row in df[columns].itertuples(index=False)]


def sections(b: Brief) -> list[tuple[str, str | None, list[str], list[list[str]]]]:
    """(heading, image name or None, table header, table rows) in the brief's order."""
    out: list[tuple[str, str | None, list[str], list[list[str]]]] = []
    story_rows = [[str(r.title), str(r.articles_in_period), str(r.articles),
                   f"{r.first_seen:%d.%m.} – {r.last_seen:%d.%m.%Y}", str(r.actors or "–"), str(r.themes or "–")]
                  for r in b.stories.itertuples()]
    out.append(("Top stories", None, ["story", "in period", "articles", "seen", "actors", "themes"], story_rows))
    for what, label in (("actor", "Rising actors"), ("theme", "Rising themes")):
        rows = _rows(b.rising[what], ["name", "articles", "baseline", "z", "peak"])
        out.append((label, what if what in b.images else None, ["name", "articles", "baseline", "z", "on"], rows))
    out.append(("New actors", None, ["name", "kind", "novelty", "articles"],
                _rows(b.new_actors, ["name", "kind", "novelty", "articles"])))
    out.append(("New roles", None, ["name", "role", "before", "since"],
                _rows(b.new_roles, ["name", "role", "previous_role", "day"])))
    return out


def markdown(b: Brief, image_name: Callable[[str], str]) -> str:
    lines = [f"# {title(b)}", "", f"{b.articles} articles in the period; generated {b.generated:%d.%m.%Y %H:%M}.", ""]
    for heading, image, header, rows in sections(b):
        lines += [f"## {heading}", ""]
        if image:
            lines += [f"![{heading}]({image_name(image)})", ""]
        if not rows:
            lines += ["Nothing in this period.", ""]
            continue
        cells = [[c.replace("|", "\\|") for c in r] for r in rows]
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(r) + " |" for r in cells] + [""]
    return "\n".join(lines)


def html_page(b: Brief) -> str:
    e = html.escape
    parts = [f"<!doctype html><html lang='de'><meta charset='utf-8'><title>{e(title(b))}</title>",
             "<body style='font-family:sans-serif;max-width:60em'>", f"<h1>{e(title(b))}</h1>",
             f"<p>{b.articles} articles in the period; generated {b.generated:%d.%m.%Y %H:%M}.</p>"]
    for heading, image, header, rows in sections(b):
        parts.append(f"<h2>{e(heading)}</h2>")
        if image:
            data = base64.b64encode(b.images[image]).decode("ascii")
            parts.append(f"<img alt='{e(heading)}' style='max-width:100%' src='data:image/png;base64,{data}'>")
        if not rows:
            parts.append("<p>Nothing in this period.</p>")
            continue
        head = "".join(f"<th align='left'>{e(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows)
        parts.append(f"<table border='1' cellpadding='4' style='border-collapse:collapse'><tr>{head}</tr>"
                     f"{body}</table>")
    return "\n".join(parts + ["</body></html>"])


def write(b: Brief, fmt: str, output: Path) -> list[Path]:
    """Write the brief (and, for Markdown, its images beside it); returns the files written."""
    if fmt == "html":
        atomic_write(output, html_page(b))
        return [output]
    images = {what: output.with_name(f"{output.stem}-{what}s.png") for what in b.images}
    for what, path in images.items():
        atomic_write(path, b.images[what])
    atomic_write(output, markdown(b, lambda what: images[what].name))
    return [output, *images.values()]
