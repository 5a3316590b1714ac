"""The rule-based discovery (used when no statistical model is loaded: LAGEBILD_SPACY_MODEL=none)."""

from pathlib import Path

import spacy
from spacy.training import Example

from lagebild.enrich import enrich, load_resources
from lagebild.enrich.discovery import slug
from lagebild.enrich.pipeline import split_hyphens
from tests.enrich.conftest import FIXTURE_REGISTRY, make_article

SEED_004 = Path(__file__).parents[2] / "seeds" / "004_bc326a752717d21e.txt"


def _disc(enr):
    return {a.actor_id: a for a in enr.actors if a.origin == "discovered"}


def test_role_appositions_discover_new_figures(rules_run):
    enr = rules_run("Es gebe Sorgen, teilte Duma-Präsident Wjatscheslaw Wolodin mit. "
              "Das sei wichtig, sagte Kreml-Sprecher Dmitri Peskow. Peskow ergänzte nichts.")
    disc = _disc(enr)
    assert disc["disc-wjatscheslaw-wolodin"].role == "Duma-Präsident"
    assert disc["disc-dmitri-peskow"].role == "Kreml-Sprecher"
    assert disc["disc-dmitri-peskow"].kind == "person"
    assert [m.method for m in enr.mentions if m.actor_id == "disc-dmitri-peskow"] == ["discovered", "surname"]


def test_given_name_and_later_surname(rules_run):
    enr = rules_run("Das kündigte ein Sprecher von EU-Ratspräsident Charles Michel an. Michel forderte Schritte.")
    michel = [m for m in enr.mentions if m.actor_id == "disc-charles-michel"]
    assert [m.surface for m in michel] == ["Charles Michel", "Michel"]
    assert michel[0].role == "EU-Ratspräsident"


def test_organisation_patterns(rules_run):
    enr = rules_run("Die Nachrichtenagentur RIA meldete, das russische Verteidigungsministerium und die OSZE "
                    "schwiegen.")
    disc = _disc(enr)
    assert {"disc-ria", "disc-verteidigungsministerium", "disc-osze"} <= set(disc)
    assert all(disc[k].kind == "organisation" for k in ("disc-ria", "disc-osze"))


def test_registry_wins_over_discovery(rules_run):
    enr = rules_run("US-Außenminister Antony Blinken und Jens Stoltenberg.")
    assert not _disc(enr)


def test_slug():
    assert slug("Wjatscheslaw Wolodin") == "wjatscheslaw-wolodin"
    assert slug("Außenministerium") == "aussenministerium"


def test_statistical_ner_model_is_used_when_configured(tmp_path):
    nlp = spacy.blank("de")
    split_hyphens(nlp)
    ner = nlp.add_pipe("ner")
    data = [("Gestern sprach Xaver Quenzel in Bonn.", [(15, 28, "PER")]),
            ("Heute traf Xaver Quenzel Freunde.", [(11, 24, "PER")]),
            ("Xaver Quenzel lachte.", [(0, 13, "PER")])]
    for _, ents in data:
        for *_, label in ents:
            ner.add_label(label)
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": e}) for t, e in data]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(40):
        nlp.update(examples, sgd=optimizer, drop=0.0)
    nlp.to_disk(tmp_path / "tiny")
    res = load_resources(model=str(tmp_path / "tiny"), registry_paths=[FIXTURE_REGISTRY])
    enr = enrich([make_article("Titel\n\nGestern sprach Xaver Quenzel in Bonn.")], res)[0]
    assert any(m.method == "ner" and m.surface == "Xaver Quenzel" and m.kind == "person" for m in enr.mentions)


def test_places_after_prepositions_and_affixed_organisations(rules_run):
    enr = rules_run("Die Buhl-Alberti AG baut in Quaxlingen ein Werk, sagte Herr Pinkwart vom FC Carl Zeiss Jena.")
    found = {(m.surface, m.kind) for m in enr.mentions}
    assert {("Buhl-Alberti AG", "organisation"), ("Quaxlingen", "place"), ("Pinkwart", "person"),
            ("FC Carl Zeiss Jena", "organisation")} <= found


def test_lone_listed_surname_is_a_person(rules_run):
    enr = rules_run("Das bestätigte am Montag auch Hendrix in einem Interview.")
    assert [(m.surface, m.kind) for m in enr.mentions if m.surface == "Hendrix"] == [("Hendrix", "person")]


def test_listed_surname_inside_longer_name_is_left_alone(rules_run):
    enr = rules_run("Er besuchte das Jones House in Ohio.")
    assert not [m for m in enr.mentions if m.surface == "Jones"]


def test_surname_that_is_also_a_town(rules_run):
    person = rules_run("Das bestätigte Livingston am Montag.")
    place = rules_run("Er wohnt seit Jahren in Livingston.")
    assert [m.kind for m in person.mentions if m.surface == "Livingston"] == ["person"]
    assert [m.kind for m in place.mentions if m.surface == "Livingston"] == ["place"]
