"""What quotes are about (targets, themes), cue spans, and quote rows surviving a re-enrichment."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import yaml

from lagebild.enrich import Resources, enrich, load_resources
from lagebild.parse import parse_text_article
from tests.enrich.conftest import make_article
from warehouse.db import connect, initialise
from warehouse.enrichment_store import load_articles, replace_enrichments
from warehouse.load import article_rows, insert_articles, insert_enrichments, upsert_themes

ROOT = Path(__file__).resolve().parents[2]
BODY = ("Titel\n\n„Die Nato muss mit Russland reden“, sagte Scholz am Mittwoch. "
        "Lawrow kritisierte, die Sanktionen der EU seien ein Fehler.")


def test_targets_are_actors_inside_the_quote_but_not_its_speaker(run):
    enr = run(BODY)
    direct, reported = enr.quotes
    assert direct.actor_id == "p-scholz" and direct.targets == ("org-nato", "country-ru")
    assert reported.actor_id == "p-lawrow" and reported.targets == ("org-eu",)


def test_cue_spans_point_at_the_cue(run):
    enr = run(BODY)
    assert [BODY[q.cue_start:q.cue_end] for q in enr.quotes] == ["sagte", "kritisierte"]
    assert [q.sentence for q in enr.quotes] == [1, 2]  # sentence 0 is the title


def test_themes_of_the_quoted_sentences(run):
    enr = run(BODY)
    sent_themes = {(t.sentence, t.theme_id) for t in enr.sentence_themes}
    for q in enr.quotes:
        assert set(q.themes) == {t for s, t in sent_themes if s == q.sentence}
    assert any(enr.quotes[1].themes)  # Sanktionen


def test_quote_rows_survive_reprocessing(tmp_path, res):
    path = tmp_path / "w.duckdb"
    initialise(path)
    art = make_article(BODY)
    with connect(path) as con:
        upsert_themes(con, res.themes)
        insert_articles(con, article_rows([art], {}, "run-1", {}, datetime(2022, 1, 19)))
        insert_enrichments(con, enrich([art], res))
    query = "SELECT speaker_id, targets, themes, cue, kind, quote FROM quotes_view ORDER BY start_char"
    pairs = "SELECT speaker_id, target_id, date FROM quote_pairs ORDER BY ALL"
    with connect(path) as con:
        before, before_pairs = con.execute(query).fetchall(), con.execute(pairs).fetchall()
        replace_enrichments(con, enrich(load_articles(con, [art.article_id]), res))
        assert con.execute(query).fetchall() == before and con.execute(pairs).fetchall() == before_pairs
    assert [(r[0], r[1]) for r in before_pairs] == [("p-lawrow", "org-eu"), ("p-scholz", "country-ru"),
                                                    ("p-scholz", "org-nato")]


@pytest.fixture(scope="module")
def res_shipped() -> Resources:
    """The shipped registry and NER model, as `lagebild enrich` runs."""
    return load_resources()


def test_seed_direct_quotes_found_with_their_speakers(res_shipped):
    """Every direct quote of the seeds (eval/gold/seed_quotes.yaml) is found with the actor the text names."""
    gold = yaml.safe_load((ROOT / "eval" / "gold" / "seed_quotes.yaml").read_text(encoding="utf-8"))
    files = sorted(gold)
    arts = [parse_text_article(f, (ROOT / "seeds" / f).read_text(encoding="utf-8")) for f in files]
    for f, enr in zip(files, enrich(arts, res_shipped), strict=True):
        direct = {q.start_char: q.actor_id for q in enr.quotes if q.kind == "direct"}
        assert direct == {start: actor for start, actor, _ in gold[f]}, f
