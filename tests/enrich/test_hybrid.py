"""The default enrichment: the shipped NER model merged with the registry (lagebild/enrich/linking.py)."""

from __future__ import annotations

from pathlib import Path

from lagebild.enrich import enrich
from lagebild.parse import parse_text_article

SEEDS = Path(__file__).parents[2] / "seeds"


def test_the_model_is_loaded_by_default(res):
    assert res.model is not None and res.model.endswith("de_lagebild_ner")


def test_a_bank_is_not_a_country_and_its_chief_is_found(run):
    enr = run("Scholz traf in Frankfurt den Chef der Deutschen Bank, Christian Sewing.")
    got = {(m.surface, m.kind, m.actor_id) for m in enr.mentions}
    assert ("Deutschen Bank", "organisation", "disc-deutsche-bank") in got
    assert ("Christian Sewing", "person", "disc-christian-sewing") in got
    assert not [m for m in enr.mentions if m.actor_id == "country-de"]


def test_registry_actors_keep_their_identity_and_role(run):
    enr = run("Der russische Außenminister Sergej Lawrow traf Antony Blinken. Lawrows Antwort kam spät.")
    lawrow = [(m.surface, m.role) for m in enr.mentions if m.actor_id == "p-lawrow"]
    assert [s for s, _ in lawrow] == ["Sergej Lawrow", "Lawrows"]
    assert any(m.actor_id == "p-blinken" for m in enr.mentions)


def test_a_new_person_with_role_and_surname_follow_up(run):
    enr = run("Das sei wichtig, sagte Kreml-Sprecher Dmitri Peskow. Peskow ergänzte nichts.")
    peskow = [m for m in enr.mentions if m.actor_id == "disc-dmitri-peskow"]
    assert [m.surface for m in peskow] == ["Dmitri Peskow", "Peskow"]
    assert {a.actor_id: a.role for a in enr.actors}["disc-dmitri-peskow"] == "Kreml-Sprecher"


def test_no_common_noun_of_the_seeds_is_discovered_as_a_person_or_organisation(res):
    arts = [parse_text_article(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    found = {(m.name, m.kind) for e in enrich(arts, res) for m in e.mentions
             if m.actor_id.startswith("disc-") and m.kind in ("person", "organisation")}
    nouns = {name for name, _ in found if " " not in name and name.lower() in _COMMON}
    assert nouns == set()


_COMMON = {"sicherheitsgarantien", "bereitschaft", "sicht", "lage", "gespräche", "truppen", "krise", "frieden"}


def test_compound_parts_are_prefix_mentions(run):
    enr = run("Der Nato-Generalsekretär sprach mit dem Kreml-Sprecher.")
    assert {(m.surface, m.method) for m in enr.mentions} >= {("Nato", "prefix"), ("Kreml", "prefix")}


def test_capitals_where_something_happened_are_places(run):
    enr = run("Blinken landete am Mittwoch in Kiew. Die Regierung in Moskau schwieg.")
    got = {(m.surface, m.kind, m.method) for m in enr.mentions if m.surface in ("Kiew", "Moskau")}
    assert got == {("Kiew", "place", "location"), ("Moskau", "country", "metonym")}


def test_offsets_of_model_mentions_point_into_the_body(run):
    body = "Titel\n\nDer Chef der Deutschen Bank, Christian Sewing, sprach in Frankfurt am Main."
    enr = run(body)
    assert all(body[m.start_char:m.end_char] == m.surface for m in enr.mentions)
