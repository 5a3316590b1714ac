"""The gazetteer component on a real blank German pipeline: tags, registration, serialisation."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

from lagebild.enrich.gazetteer import FACTORY, register, tag_of


def _tags(nlp: Language, text: str) -> dict[str, set[str]]:
    return {t.text: set(t.lemma_.split("|")) for t in nlp(text)}


def test_register_is_idempotent() -> None:
    register()
    register()
    assert Language.has_factory(FACTORY)


def test_tags_names_places_words_and_registry() -> None:
    register()
    nlp = spacy.blank("de")
    nlp.add_pipe(FACTORY)
    tags = _tags(nlp, "Olaf traf in Hamburg den Chef der NATO und Scholz .")
    assert "given" in tags["Olaf"]
    assert "place" in tags["Hamburg"]
    assert "word" in tags["traf"] and "given" not in tags["traf"]
    assert "reg-org" in tags["NATO"]
    assert "reg-per" in tags["Scholz"]
    assert tags["."] == {"-"}


def test_tag_of_unknown_token_is_dash() -> None:
    assert tag_of("Xqzzyvk") == "-"


def test_pipeline_with_gazetteer_serialises_and_loads(tmp_path: Path) -> None:
    register()
    nlp = spacy.blank("de")
    nlp.add_pipe(FACTORY)
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    assert loaded.pipe_names == [FACTORY]
    assert not any((tmp_path / "model").glob(f"{FACTORY}*")), "no word lists in the model folder"
    assert "given" in loaded("Olaf")[0].lemma_.split("|")


def test_resources_carry_the_tables_for_a_model_that_uses_them(res, rules_res) -> None:
    """Built once with the registry and kept with the (disk-cached) resources; the rules need none."""
    from lagebild.enrich.gazetteer import build_tables

    assert res.gazetteer is not None and rules_res.gazetteer is None
    assert res.gazetteer == build_tables()  # the shipped registry, as in training


def test_the_gazetteer_follows_the_shipped_registry_whatever_the_resources(res) -> None:
    """The features the model was trained with: a small test registry or a reviewed overlay does not change
    them, so a pipeline loaded for one set of resources tags like one loaded for another."""
    from lagebild.enrich import load_resources
    from lagebild.enrich.pipeline import get_ner

    fixture_ner = get_ner(res)
    assert fixture_ner is not None
    fixture_tag = fixture_ner("Selenskyj")[0].lemma_
    shipped_ner = get_ner(load_resources())
    assert shipped_ner is not None
    assert "reg-per" in fixture_tag and shipped_ner("Selenskyj")[0].lemma_ == fixture_tag
