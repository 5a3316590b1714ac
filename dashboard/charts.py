"""Chart builders: pure functions from a DataFrame to an alt.Chart (no Streamlit, no DuckDB).

Every chart carries a point selection named `pick` over the fields that identify a mark, so a
click can be turned into a drill-down. Month buckets are labelled as months, never as the 1st.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

alt.data_transformers.disable_max_rows()

PICK = "pick"
GRAIN_UNIT: dict[str, Any] = {"day": "yearmonthdate", "week": "yearmonthdate", "month": "yearmonth"}
GRAIN_TITLE = {"day": "Day", "week": "Week (starting Monday)", "month": "Month"}
GRAIN_FORMAT = {"day": "%d %b %Y", "week": "%d %b %Y", "month": "%b %Y"}
MEASURES = {"mentions": "Mentions", "share": "Share of articles", "per_1000": "Mentions per 1,000 articles"}
THEME_MODES: dict[str, Any] = {"absolute": True, "share": "normalize", "stream": "center"}


def with_key(df: pd.DataFrame, grain: str = "day") -> pd.DataFrame:
    """Add `key` (the bucket as an ISO date, a stable selection value) and `end` (the bucket's end)."""
    out = df.copy()
    start = pd.to_datetime(out["bucket"])
    out["key"] = start.dt.strftime("%Y-%m-%d") if len(out) else pd.Series(dtype=str)
    step = {"day": pd.DateOffset(days=1), "week": pd.DateOffset(days=7), "month": pd.DateOffset(months=1)}
    out["end"] = start + step[grain]
    return out


def _time_x(grain: str, field: str = "bucket") -> alt.X:
    """The time axis of a grain; months get one tick per month (weekly ticks would repeat "Jan 2022")."""
    ticks: dict[str, Any] = {"tickCount": {"interval": "month", "step": 1}} if grain == "month" else {}
    return alt.X(
        f"{field}:T", title=GRAIN_TITLE[grain], axis=alt.Axis(format=GRAIN_FORMAT[grain], labelOverlap=True, **ticks)
    )


def _time_tooltip(grain: str) -> alt.Tooltip:
    return alt.Tooltip(
        "bucket:T", timeUnit=GRAIN_UNIT[grain], format=GRAIN_FORMAT[grain], title=GRAIN_TITLE[grain]
    )


def articles_bars(df: pd.DataFrame, grain: str) -> alt.Chart:
    """Stories per bucket (columns bucket, total); click a bar to list its articles."""
    pick = alt.selection_point(name=PICK, fields=["key"], on="click")
    return (
        alt.Chart(with_key(df, grain))
        .mark_bar(stroke="white", strokeWidth=0.5)
        .encode(
            x=_time_x(grain),
            x2="end:T",
            y2=alt.datum(0),
            y=alt.Y("total:Q", title="Articles"),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.4)),
            tooltip=[_time_tooltip(grain), alt.Tooltip("total:Q", title="Articles")],
        )
        .add_params(pick)
        .properties(height=220)
    )


def top_actor_bars(df: pd.DataFrame) -> alt.Chart:
    """Most mentioned actors (actor_id, name, kind, mentions, articles); click a bar to drill down."""
    pick = alt.selection_point(name=PICK, fields=["actor_id"], on="click")
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("name:N", sort="-x", title=None, axis=alt.Axis(labelOverlap=False)),
            x=alt.X("mentions:Q", title="Mentions"),
            color=alt.Color("kind:N", title="Kind"),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.4)),
            tooltip=["name:N", "kind:N", "mentions:Q", "articles:Q"],
        )
        .add_params(pick)
        .properties(height=alt.Step(22))
    )


def actor_lines(df: pd.DataFrame, grain: str, measure: str = "mentions") -> Any:
    """Actors over time: one line per actor, clickable points (nearest point to the click)."""
    data = with_key(df, grain)
    fmt = ".0%" if measure == "share" else ",.0f"
    y = alt.Y(f"{measure}:Q", title=MEASURES[measure], axis=alt.Axis(format=fmt))
    color = alt.Color("name:N", title="Actor")
    pick = alt.selection_point(name=PICK, fields=["key", "actor_id"], on="click", nearest=True)
    base = alt.Chart(data).encode(x=_time_x(grain), y=y, color=color)
    lines = base.mark_line(strokeWidth=2)
    points = (
        base.mark_point(filled=True)
        .encode(
            size=alt.condition(pick, alt.value(120), alt.value(40)),
            tooltip=[
                _time_tooltip(grain),
                alt.Tooltip("name:N", title="Actor"),
                alt.Tooltip("mentions:Q", title="Mentions"),
                alt.Tooltip("articles:Q", title="Articles"),
                alt.Tooltip("share:Q", title="Share of articles", format=".1%"),
                alt.Tooltip("per_1000:Q", title="Per 1,000 articles", format=",.1f"),
                alt.Tooltip("total:Q", title="Articles in period"),
            ],
        )
        .add_params(pick)
    )
    return alt.layer(lines, points).properties(height=360)


def theme_areas(df: pd.DataFrame, grain: str, mode: str = "absolute") -> Any:
    """Themes over time as stacked areas ('absolute'), shares ('share') or a streamgraph ('stream').

    A click anywhere inside a theme's band picks that theme and the bucket under the pointer: on the areas lies
    one invisible bar per (bucket, theme), stacked like them (`_bands`) and as wide as the bucket (the first and
    the last only half, so the time axis keeps the areas' extent). The picked bar is shaded."""
    stack = THEME_MODES[mode]
    data = _bands(with_key(df, grain), mode)
    title = "Share of theme assignments" if mode == "share" else "Articles"
    axis = alt.Axis(format=".0%") if mode == "share" else alt.Axis(labels=mode != "stream")
    y = alt.Y("articles:Q", stack=stack, title=title, axis=axis)
    pick = alt.selection_point(name=PICK, fields=["key", "theme_id"], on="click")
    base = alt.Chart(data)
    areas = base.mark_area(opacity=0.85, interpolate="monotone").encode(
        x=_time_x(grain), y=y, color=alt.Color("label:N", title="Theme"), order=alt.Order("label:N")
    )
    bands = (
        base.mark_rect(color="black", cursor="pointer")
        .encode(
            x=_time_x(grain, "lo"),
            x2="hi:T",
            y=alt.Y("y0:Q", title=title, axis=axis),
            y2="y1:Q",
            opacity=alt.condition(pick, alt.value(0.25), alt.value(0.0), empty=False),
            tooltip=[
                _time_tooltip(grain),
                alt.Tooltip("label:N", title="Theme"),
                alt.Tooltip("articles:Q", title="Articles"),
                alt.Tooltip("share:Q", title="Share of articles", format=".1%"),
            ],
        )
        .add_params(pick)
    )
    return alt.layer(areas, bands).properties(height=360)


def _bands(data: pd.DataFrame, mode: str) -> pd.DataFrame:
    """Each (bucket, theme)'s band where Vega-Lite stacks the areas, `y0`–`y1`: by label from the bottom, as
    shares of the bucket for 'share', raised by half the bucket's gap to the largest one for 'stream' (Vega's
    offset "center"). Its time span `lo`–`hi` runs halfway to the neighbouring buckets, clipped at the first
    and the last bucket."""
    out = data.sort_values(["bucket", "label"], kind="stable").copy()
    start = pd.to_datetime(out["bucket"])
    sums = out.groupby(start)["articles"].transform("sum").astype(float)
    top = out.groupby(start)["articles"].cumsum().astype(float)
    height = out["articles"].astype(float)
    if mode == "share":
        whole = sums.where(sums > 0, 1.0)
        top, height = top / whole, height / whole
    out["y1"] = top + ((sums.max() - sums) / 2 if mode == "stream" else 0.0)
    out["y0"] = out["y1"] - height
    buckets = pd.Series(sorted(start.unique()), dtype="datetime64[ns]")
    mids = buckets + (buckets.shift(-1) - buckets) / 2
    out["lo"] = start.map(dict(zip(buckets, mids.shift(1).fillna(buckets.min()), strict=True)))
    out["hi"] = start.map(dict(zip(buckets, mids.fillna(buckets.max()), strict=True)))
    return out


def heatmap(
    df: pd.DataFrame,
    *,
    x: str,
    x_title: str,
    y: str,
    y_title: str,
    fields: list[str],
    value: str = "articles",
) -> alt.Chart:
    """A clickable matrix of counts (actor × theme, actor × actor)."""
    pick = alt.selection_point(name=PICK, fields=fields, on="click")
    return (
        alt.Chart(df)
        .mark_rect()
        .encode(
            x=alt.X(f"{x}:N", title=x_title, axis=alt.Axis(labelAngle=-40, labelLimit=160)),
            y=alt.Y(f"{y}:N", title=y_title, axis=alt.Axis(labelLimit=180)),
            color=alt.Color(f"{value}:Q", title="Articles", scale=alt.Scale(scheme="blues")),
            stroke=alt.condition(pick, alt.value("#d62728"), alt.value(None), empty=False),
            strokeWidth=alt.value(2),
            tooltip=[f"{y}:N", f"{x}:N", alt.Tooltip(f"{value}:Q", title="Articles")],
        )
        .add_params(pick)
        .properties(height=alt.Step(24))
    )


def actor_theme_heatmap(df: pd.DataFrame) -> alt.Chart:
    return heatmap(df, x="label", x_title="Theme", y="name", y_title="Actor", fields=["actor_id", "theme_id"])


def cooccurrence_heatmap(df: pd.DataFrame) -> alt.Chart:
    return heatmap(
        df, x="name_b", x_title="Actor", y="name_a", y_title="Actor", fields=["actor_a", "actor_b"]
    )


def sparklines(df: pd.DataFrame, grain: str) -> alt.Chart:
    """One small line per actor or theme (id, name, bucket, articles); click one to drill down."""
    pick = alt.selection_point(name=PICK, fields=["id"], on="click")
    return (
        alt.Chart(df)
        .mark_line(point=alt.OverlayMarkDef(size=18))
        .encode(
            x=alt.X("bucket:T", title=None, axis=alt.Axis(format="%d.%m." if grain == "day" else "%d.%m.%y")),
            y=alt.Y("articles:Q", title=None, axis=alt.Axis(tickCount=2)),
            row=alt.Row("name:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.4)),
            tooltip=["name:N", alt.Tooltip("bucket:T", title=grain, format="%d.%m.%Y"), "articles:Q"],
        )
        .add_params(pick)
        .properties(height=36, width=260)
    )
