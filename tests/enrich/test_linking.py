"""lagebild/enrich/linking.py: NER entities merged with registry hits, on the fixture registry."""

from __future__ import annotations

from lagebild.enrich.discovery import Found
from lagebild.enrich.linking import (
    canonical_name,
    compound_parts,
    drop_genitives,
    event_locations,
    join_surnames,
    link_entities,
    name_index,
)
from lagebild.enrich.matcher import Hit


def _offsets(tokens: list[str]) -> list[int]:
    out, pos = [], 0
    for t in tokens:
        out.append(pos)
        pos += len(t) + 1
    return out


def test_an_entity_of_another_kind_suppresses_the_registry_match_inside_it(res):
    tokens = "traf den Chef der Deutschen Bank , Christian Sewing .".split()
    offsets = _offsets(tokens)
    germany = Hit("country-de", "adjective", 4, 5, offsets[4], offsets[4] + len("Deutschen"))
    hits, found = link_entities([("ORG", 4, 6), ("PER", 7, 9)], [germany], [], tokens, offsets, res, set())
    assert hits == []
    assert [(f.name, f.kind, f.method, f.start, f.end) for f in found] == [
        ("Deutsche Bank", "organisation", "ner", 4, 6), ("Christian Sewing", "person", "ner", 7, 9)]


def test_the_registry_span_wins_when_the_kinds_agree(res):
    tokens = "Außenminister Lawrow sagte".split()
    offsets = _offsets(tokens)
    lawrow = Hit("p-lawrow", "surname", 1, 2, offsets[1], offsets[1] + 6)
    hits, found = link_entities([("PER", 0, 2)], [lawrow], [], tokens, offsets, res, set())
    assert hits == [lawrow] and found == []


def test_an_entity_is_linked_by_an_inflected_registry_name(res):
    tokens = "Truppen der Europäischen Union".split()
    offsets = _offsets(tokens)
    hits, found = link_entities([("ORG", 2, 4)], [], [], tokens, offsets, res, set())
    assert [(h.actor_id, h.method, h.start, h.end) for h in hits] == [("org-eu", "ner-linked", 2, 4)]
    assert found == []


def test_a_surname_entity_links_to_the_one_registry_person_with_it(res):
    tokens = "Das sagte Stoltenbergs Sprecher".split()
    offsets = _offsets(tokens)
    hits, found = link_entities([("PER", 2, 3)], [], [], tokens, offsets, res, set())
    assert [(h.actor_id, h.start) for h in hits] == [("p-stoltenberg", 2)] and found == []


def test_other_labels_are_ignored(res):
    tokens = "Die Fußball-WM begann".split()
    assert link_entities([("OTH", 1, 2), ("LOCderiv", 0, 1)], [], [], tokens, _offsets(tokens), res, set()) == (
        [], [])


def test_name_index_knows_inflections_and_genitives(res):
    index = name_index(res)
    assert index.lookup("Russlands") == "country-ru"
    assert index.lookup("Vereinigten Staaten") == "country-us"
    assert index.lookup("Quenzel") is None


def test_canonical_names():
    assert canonical_name("Deutschen Bank", "organisation") == "Deutsche Bank"
    assert canonical_name("Europäischen Zentralbank", "organisation") == "Europäische Zentralbank"
    assert canonical_name("Thomas Müller", "person") == "Thomas Müller"
    assert canonical_name("Hamburger Hafen", "place") == "Hamburger Hafen"


def test_compound_parts():
    tokens = ["Der", "SPD", "-", "Chef", "und", "Bundes", "-", "SPD", "in", "Baden", "-", "Württemberg"]
    glued = [False, True, True, False, False, True, True, False, False, True, True, False]
    assert compound_parts([(1, 2), (7, 8), (9, 12), (0, 1)], tokens, glued) == [True, True, False, False]


def test_a_registry_match_around_one_entity_takes_its_span(res):
    tokens = "Der Sender ZDF berichtete".split()
    offsets = _offsets(tokens)
    zdf = Hit("org-zdf", "alias", 1, 3, offsets[1], offsets[2] + 3)  # as if "Sender ZDF" were an alias
    hits, found = link_entities([("ORG", 2, 3)], [zdf], [], tokens, offsets, res, set())
    assert [(h.actor_id, h.start, h.end, h.start_char) for h in hits] == [("org-zdf", 2, 3, offsets[2])]
    assert found == []


def test_a_weak_match_of_another_kind_gives_way_to_the_entity(res):
    tokens = "Das sagte Walter Merz gestern".split()
    offsets = _offsets(tokens)
    merz = Hit("org-nato", "context", 2, 4, offsets[2], offsets[3] + 4)  # a context alias of another kind
    hits, found = link_entities([("PER", 2, 4)], [merz], [], tokens, offsets, res, set())
    assert hits == [] and [(f.name, f.kind) for f in found] == [("Walter Merz", "person")]


def test_capitals_after_a_preposition_of_place_are_places(res):
    tokens = "Gespräche in Kiew und Berlin , die Regierung in Moskau schwieg".split()
    offsets = _offsets(tokens)
    hits = [Hit(a, "metonym", k, k + 1, offsets[k], offsets[k] + len(tokens[k]))
            for a, k in (("country-ua", 2), ("country-de", 4), ("country-ru", 9))]
    kept, places = event_locations(hits, tokens, res)
    assert [h.actor_id for h in kept] == ["country-ru"]
    assert [(f.name, f.kind, f.method) for f in places] == [("Kiew", "place", "location"),
                                                            ("Berlin", "place", "location")]


def test_genitives_take_the_base_form_the_article_uses():
    found = [Found("Afrikas", "place", 3, 4, "ner"), Found("Paris", "place", 6, 7, "ner"),
             Found("Hartmanns", "person", 9, 10, "ner")]
    tokens = ["In", "ganz", "Afrika", "Afrikas", "und", "in", "Paris", ".", "Gerd", "Hartmanns", "Rede"]
    assert [f.name for f in drop_genitives(found, tokens)] == ["Afrika", "Paris", "Hartmanns"]


def test_a_bare_surname_links_only_to_a_person_in_office_then(res):
    tokens = "Das sagte Merz gestern".split()
    offsets = _offsets(tokens)
    matches = [("surname|p-merz", 2, 3)]
    hits, found = link_entities([("PER", 2, 3)], [], matches, tokens, offsets, res, {"p-merz"})
    assert [(h.actor_id, h.method) for h in hits] == [("p-merz", "surname")] and found == []
    hits, found = link_entities([("PER", 2, 3)], [], matches, tokens, offsets, res, set())
    assert hits == [] and [f.name for f in found] == ["Merz"]


def test_a_surname_alone_joins_the_full_name_of_the_article():
    found = [Found("Dmitri Peskow", "person", 3, 5, "ner", "Kreml-Sprecher"), Found("Peskow", "person", 8, 9, "ner"),
             Found("Peskows", "person", 12, 13, "ner"), Found("Peskow", "place", 15, 16, "ner")]
    got = [(f.name, f.role, f.method) for f in join_surnames(found)]
    assert got == [("Dmitri Peskow", "Kreml-Sprecher", "ner"), ("Dmitri Peskow", "Kreml-Sprecher", "surname"),
                   ("Dmitri Peskow", "Kreml-Sprecher", "surname"), ("Peskow", None, "ner")]


def test_punctuation_at_the_edges_of_an_entity_is_left_out(res):
    tokens = ["gegenüber", "„", "Bild", "Live", "”", "."]
    hits, found = link_entities([("ORG", 1, 5)], [], [], tokens, _offsets(tokens), res, set())
    assert [(f.name, f.start, f.end) for f in found] == [("Bild Live", 2, 4)]
