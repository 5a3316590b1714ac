"""Helpers of the dashboard tests: a synthetic warehouse builder and an AppTest runner."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from lagebild.article import Article, article_id_for
from lagebild.enrich.model import Actor, Enrichment, Mention, Quote, Sentence, SentenceTheme, ThemeScore
from warehouse.db import connect, initialise
from warehouse.load import (
    LogRow,
    RunRow,
    article_rows,
    insert_articles,
    insert_enrichments,
    insert_log,
    insert_run,
    upsert_themes,
)
from warehouse.stories import rebuild_stories
from warehouse.summaries import refresh_summaries

ACTORS = {
    "Russland": Actor("country-ru", "Russland", "country", "RU"),
    "Ukraine": Actor("country-ua", "Ukraine", "country", "UA"),
    "NATO": Actor("nato", "NATO", "organisation"),
    "Scholz": Actor("olaf-scholz", "Olaf Scholz", "person", "DE", role="Bundeskanzler"),
    "Lawrow": Actor("disc-sergej-lawrow", "Sergej Lawrow", "person", None, "discovered", "Außenminister"),
}
THEMES = [("sanctions", "Sanktionen"), ("diplomacy", "Diplomatie"), ("military", "Militär")]
TEMPLATES = [
    (
        "Russland droht",
        "Russland droht der Ukraine mit Sanktionen. Die NATO berät in Brüssel.",
        ["sanctions", "military"],
    ),
    (
        "Scholz reist",
        "Scholz trifft Lawrow in Moskau. Russland sagte: „Wir wollen verhandeln“.",
        ["diplomacy"],
    ),
    ("Gespräche", "Die Ukraine und Russland verhandeln. Scholz lobt die NATO.", ["diplomacy", "sanctions"]),
]


def _sentences(body: str) -> list[Sentence]:
    out, start = [], 0
    for m in re.finditer(r"[.!?“](\s+|$)", body):
        out.append(Sentence(len(out), start, m.end(1) - len(m.group(1)) if m.group(1) else m.end()))
        start = m.end()
    return out


def _enrich(article: Article, themes: list[str]) -> Enrichment:
    sents = _sentences(article.body)
    mentions = []
    for surface, actor in ACTORS.items():
        for m in re.finditer(surface, article.body):
            idx = next(s.index for s in sents if s.start_char <= m.start() < s.end_char) if sents else 0
            mentions.append(
                Mention(
                    actor.actor_id,
                    actor.name,
                    actor.kind,
                    surface,
                    idx,
                    m.start(),
                    m.end(),
                    "discovered" if actor.origin == "discovered" else "alias",
                    actor.role,
                )
            )
    quotes = []
    if q := re.search(r"„([^“]+)“", article.body):
        quotes.append(Quote("country-ru", "Russland", "sagte", q.group(1), q.start(1), q.end(1),
                            targets=("olaf-scholz",), themes=tuple(themes)))
    used = {m.actor_id for m in mentions}
    return Enrichment(
        article.article_id,
        tuple(sents),
        tuple(mentions),
        tuple(a for a in ACTORS.values() if a.actor_id in used),
        tuple(ThemeScore(t, 0.8, ("Sanktionen",)) for t in themes),
        tuple(SentenceTheme(s.index, t, 0.5) for t in themes for s in sents[:1]),
        tuple(quotes),
    )


def make_articles(n: int = 12) -> list[tuple[Article, list[str]]]:
    out = []
    for i in range(n):
        title, text, themes = TEMPLATES[i % len(TEMPLATES)]
        day = date(2022, 1, 3) + timedelta(days=4 * i)
        precision = "month" if i % 5 == 4 else "day"
        if precision == "month":
            day = day.replace(day=1)
        body = f"{title} {i}\n\n{text}"
        out.append(
            (
                Article(
                    article_id_for(body),
                    f"{title} {i}",
                    body,
                    day,
                    precision,
                    None,
                    f"a{i:02d}.txt",
                    source="Testzeitung",
                ),
                themes,
            )
        )
    return out


def build_warehouse(path: Path) -> Path:
    """A small warehouse: 12 articles (2 month-only), one syndicated copy, runs, a rejected file."""
    initialise(path)
    pairs = make_articles()
    copy = pairs[0][0]
    dup_body = copy.body + " "  # a near-identical copy from another outlet
    dup = Article("dup0000000000000", copy.title, dup_body, copy.published_date, "day", None, "copy.txt")
    pairs.append((dup, pairs[0][1]))
    now = datetime(2022, 3, 1, 12, 0)
    with connect(path) as con:
        upsert_themes(con, THEMES)
        rows = article_rows([a for a, _ in pairs], {dup.article_id: copy.article_id}, "run-1", {}, now)
        insert_articles(con, rows)
        insert_enrichments(con, [_enrich(a, t) for a, t in pairs])
        refresh_summaries(con)  # as the load step does in its transaction
        rebuild_stories(con)  # and the stories
        insert_run(
            con, RunRow("run-1", None, now, "completed", files=14, loaded=13, rejected=1, articles=13), now
        )
        logs = [LogRow(a.source_file, "0" * 64, "loaded", article_id=a.article_id) for a, _ in pairs]
        logs.append(
            LogRow("kaputt.txt", "1" * 64, "rejected", reason="no date line", destination="rejected/")
        )
        insert_log(con, logs, "run-1", now)
    return path


def use_warehouse(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Point the dashboard at `path` (as `lagebild dashboard` does) and start from cold caches."""
    import streamlit as st

    monkeypatch.setenv("LAGEBILD_DATA_DIR", str(path.parent))
    monkeypatch.setenv("LAGEBILD_WAREHOUSE", str(path))
    monkeypatch.setenv("LAGEBILD_INBOX", str(path.parent / "inbox"))
    monkeypatch.setenv("LAGEBILD_DASHBOARD_REFRESH", "0")
    monkeypatch.delenv("LAGEBILD_DASHBOARD_PASSWORD", raising=False)
    st.cache_data.clear()


APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


def open_app(page: str | None = None, **query: str | list[str]):
    """Run the app (optionally switched to dashboard/page_scripts/<page>.py with query params) in AppTest."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=60)
    if page:
        at.switch_page(f"page_scripts/{page}.py")
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at) -> str:
    """Everything the page wrote as text (markdown, captions, metrics, messages, html)."""
    parts = [
        e.value
        for kind in (
            "markdown",
            "caption",
            "info",
            "warning",
            "error",
            "success",
            "title",
            "header",
            "subheader",
        )
        for e in at.get(kind)
    ]
    parts += [f"{m.label}: {m.value}" for m in at.metric]
    parts += [str(h.proto.body) for h in at.get("html")]
    return "\n".join(str(p) for p in parts)


def chart_data(element) -> str:
    """The data of a rendered vega_lite_chart element (Arrow datasets), as text."""
    import pyarrow as pa

    frames = [pa.ipc.open_stream(ds.data.data).read_all().to_pandas() for ds in element.proto.datasets]
    return "\n".join(f.to_string() for f in frames)


def add_burst(path: Path, day: date, n: int = 6) -> list[str]:
    """Add `n` reports of one meeting (Scholz meets Lawrow in Moscow) dated `day`, as the load step stores them."""
    from dataclasses import replace

    from warehouse.stories import assign_stories

    template, themes = make_articles(2)[1]
    burst = []
    for i in range(n):
        body = f"Scholz in Moskau {i}\n\nScholz trifft Lawrow in Moskau. Die NATO berät, Quelle {i}."
        burst.append(replace(template, article_id=article_id_for(body), title=f"Scholz in Moskau {i}", body=body,
                             published_date=day, source_file=f"burst{i}.txt", source=f"Blatt {i}"))
    ids = [a.article_id for a in burst]
    with connect(path) as con:
        insert_articles(con, article_rows(burst, {}, "run-2", {}, datetime(day.year, day.month, day.day, 12)))
        insert_enrichments(con, [_enrich(a, themes) for a in burst])
        refresh_summaries(con, ids)
        assign_stories(con, ids)
    return ids
