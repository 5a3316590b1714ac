"""Filters that live in the URL: widgets start from the query parameters and write back to them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.charts import MEASURES
from warehouse.queries.filters import Filters

GRAINS = ("day", "week", "month")
LONG_RANGE_DAYS = 731  # a longer period opens by month: a hundred weekly buckets and more are too many to read
ACTOR_OPTIONS = 300  # the actor picker offers the most mentioned actors, the chosen ones and those found by name
FOUND_OPTIONS = 100  # at most this many actors found by name


def param(key: str, default: str = "") -> str:
    return st.query_params.get(key, default) or default


def params(key: str) -> list[str]:
    return [v for v in st.query_params.get_all(key) if v]


def url_date(value: str | None) -> date | None:
    """A date from a URL parameter, None for a missing or malformed one (a hand-edited link may hold anything)."""
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def _as_date(value: Any) -> date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _seed(key: str, value: Any) -> None:
    """Give a widget its first value (from the URL) once per session."""
    if key not in st.session_state:
        st.session_state[key] = value


def choice(label: str, key: str, options: list[str], default: str, **kw: Any) -> str:
    """A radio bound to query parameter `key`."""
    wanted = param(key, default)
    _seed("w_" + key, wanted if wanted in options else default)
    return str(st.radio(label, options, key="w_" + key, horizontal=True, **kw))


def multi(label: str, key: str, options: list[str], fmt: dict[str, str] | None = None) -> list[str]:
    """A multiselect bound to the repeated query parameter `key`."""
    _seed("w_" + key, [v for v in params(key) if v in options])
    return list(
        st.multiselect(label, options, key="w_" + key, format_func=(lambda v: fmt.get(v, v)) if fmt else str)
    )


def _within(day: date, first: date, last: date) -> date:
    """A day from the URL moved into the warehouse's date span (a link shared from another period or warehouse)."""
    return min(max(day, first), last)


MORE = {"kind": "Kind", "country": "Country", "role": "Role", "theme": "Theme"}  # the filters behind "More filters"


def filters(opts: dict[str, Any], *, actors: bool = True, themes: bool = True) -> Filters:
    """Sidebar filters from/to the URL: date range and actors in sight; kind, country, role, theme and
    duplicates behind a "More filters" popover whose label counts those set and whose caption names them
    (a closed popover's widgets, hundreds of roles and countries among them, are not drawn)."""
    theme_names = dict(zip(opts["themes"]["theme_id"], opts["themes"]["label"], strict=False))
    choices: dict[str, tuple[list[str], dict[str, str] | None]] = {
        "kind": (opts["kinds"], None),
        "country": (opts["countries"], None),
        "role": (opts["roles"], None),
        **({"theme": (list(theme_names), theme_names)} if themes else {}),
    }
    with st.sidebar:
        st.subheader("Filters")
        rng = period(opts["first"], opts["last"])
        chosen = actor_picker("Actors", "actor", opts["actors"], find_actor()) if actors else []
        for key, (options, _) in choices.items():
            _seed("w_" + key, [v for v in params(key) if v in options])
        _seed("w_dups", param("dups") == "1")
        set_now = _more_set(choices)
        label = f"More filters ({len(set_now)} set)" if set_now else "More filters"
        with st.popover(label, icon=":material/filter_list:", key="more_filters", width="stretch"):
            picked = {key: multi(MORE[key], key, options, fmt) for key, (options, fmt) in choices.items()}
            dups = st.toggle(
                "Count syndicated copies",
                key="w_dups",
                help="By default a story syndicated by several outlets counts once.",
            )
        if set_now:
            st.caption(" · ".join(set_now))
    return Filters(
        start=rng[0] if rng else None,
        end=rng[1] if len(rng) > 1 else None,
        kinds=tuple(picked["kind"]),
        countries=tuple(picked["country"]),
        roles=tuple(picked["role"]),
        themes=tuple(picked.get("theme", ())),
        actors=tuple(chosen),
        duplicates=bool(dups),
    )


def _more_set(choices: dict[str, tuple[list[str], dict[str, str] | None]]) -> list[str]:
    """The filters set behind "More filters", as 'Kind: person, country' (in the order of the popover)."""
    out = []
    for key, (_, fmt) in choices.items():
        values = [(fmt or {}).get(v, v) for v in st.session_state.get("w_" + key, ())]
        if values:
            out.append(f"{MORE[key]}: {', '.join(values)}")
    if st.session_state.get("w_dups"):
        out.append("syndicated copies counted")
    return out


def find_actor() -> str:
    """The "Find an actor" box: its text makes the actor pickers below offer the actors whose name holds it."""
    return str(st.text_input("Find an actor", key="w_actor_find", placeholder="a name, e.g. Lawrow",
                             help=f"The lists below offer the {ACTOR_OPTIONS} most frequent actors; "
                                  "type part of a name to offer the others.")).strip()


def actor_picker(label: str, key: str, actors: pd.DataFrame, find: str) -> list[str]:
    """A multiselect of actors bound to the URL parameter `key`. It offers the chosen actors, those whose name
    holds `find`, and the ACTOR_OPTIONS first of `actors` (actor_id, name; most frequent first): a list of
    every actor (tens of thousands in a large warehouse) would be sent to the browser on every page."""
    names = dict(zip(actors["actor_id"], actors["name"], strict=False))
    found: list[str] = []
    if find:
        hit = actors["name"].str.contains(find, case=False, regex=False, na=False)
        found = actors.loc[hit, "actor_id"].head(FOUND_OPTIONS).tolist()
    chosen = [a for a in (*params(key), *st.session_state.get("w_" + key, ())) if a in names]
    options = list(dict.fromkeys([*chosen, *found, *list(names)[:ACTOR_OPTIONS]]))
    return multi(label, key, options, names)


def period(first: Any, last: Any, label: str = "Date range") -> tuple[date, ...]:
    """The date range input, bound to the URL parameters `from` and `to` (moved into the data's span from
    `first` to `last`); () for an empty warehouse."""
    lo, hi = _as_date(first), _as_date(last)
    if not lo or not hi:
        return ()
    start = _within(url_date(param("from")) or lo, lo, hi)
    end = _within(url_date(param("to")) or hi, lo, hi)
    _seed("w_range", (start, max(start, end)))
    picked = st.date_input(label, key="w_range", min_value=lo, max_value=hi)
    return tuple(picked) if isinstance(picked, list | tuple) else (picked,)


def default_grain(start: Any, end: Any) -> str:
    """The granularity a chart of the period from `start` to `end` opens with when the URL names none: week, or
    month over more than two years."""
    first, last = _as_date(start), _as_date(end)
    if first and last and (last - first).days > LONG_RANGE_DAYS:
        return "month"
    return "week"


def filter_params(f: Filters) -> dict[str, Any]:
    """The query parameters that reproduce `f`."""
    out: dict[str, Any] = {}
    if f.start:
        out["from"] = f.start.isoformat()
    if f.end:
        out["to"] = f.end.isoformat()
    for key, values in (
        ("actor", f.actors),
        ("kind", f.kinds),
        ("country", f.countries),
        ("role", f.roles),
        ("theme", f.themes),
    ):
        if values:
            out[key] = list(values)
    if f.duplicates:
        out["dups"] = "1"
    return out


def publish(values: dict[str, Any]) -> None:
    """Make the URL reflect the view (only when it changed)."""
    clean = {k: v for k, v in values.items() if v not in (None, "", [])}
    current = {
        k: (st.query_params.get_all(k) if isinstance(clean.get(k), list) else st.query_params.get(k))
        for k in st.query_params
    }
    if current != clean:
        st.query_params.from_dict(clean)


def grain_and_measure(default: str = "week", measure: bool = True) -> tuple[str, str]:
    """Granularity (and measure) radios above a chart, bound to the URL; `default` when the URL names none."""
    cols = st.columns(2)
    with cols[0]:
        grain = choice("Granularity", "grain", list(GRAINS), default)
    metric = "mentions"
    if measure:
        with cols[1]:
            metric = choice(
                "Measure", "measure", list(MEASURES), "mentions", format_func=lambda m: MEASURES[m]
            )
    return grain, metric
