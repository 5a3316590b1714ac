from tests.enrich.conftest import ids


def test_german_inflection(run):
    enr = run("Stoltenbergs Warnung kam vor Russlands Antwort auf die russischen Forderungen.")
    assert ("Stoltenbergs", "p-stoltenberg") in ids(enr)
    assert ("Russlands", "country-ru") in ids(enr)
    assert ("russischen", "country-ru") in ids(enr)
    assert next(m for m in enr.mentions if m.surface == "russischen").method == "adjective"


def test_hyphenated_compounds(run):
    enr = run("Der Nato-Generalsekretär traf den US-Außenminister, ein Kreml-Sprecher schwieg.")
    got = {(m.surface, m.actor_id, m.metonym) for m in enr.mentions}
    assert ("Nato", "org-nato", False) in got
    assert ("US", "country-us", False) in got
    assert ("Kreml", "country-ru", True) in got


def test_compound_adjectives(run):
    enr = run("Die russisch-ukrainischen Gespräche und pro-russische Gruppen.")
    assert [a for _, a in ids(enr)] == ["country-ru", "country-ua", "country-ru"]


def test_role_compound_plus_surname_resolves_person(run):
    enr = run("Merz kommt nicht. Später sprach CDU-Parteichef Merz.")
    merz = [(m.surface, m.start_char, m.method) for m in enr.mentions if m.actor_id == "p-merz"]
    assert merz == [("Merz", 47, "surname")]


def test_surname_resolves_to_person_named_earlier(run):
    enr = run("Sebastian Kurz trat auf. Danach sprach Kurz erneut.")
    kurz = [m for m in enr.mentions if m.actor_id == "p-kurz"]
    assert [m.method for m in kurz] == ["alias", "surname"]


def test_no_false_hits_on_common_words(run):
    enr = run("Kurz vor dem Treffen war die Lage kurz angespannt. Merz ist ein Monat? Nein.")
    assert enr.mentions == () or all(m.actor_id not in ("p-kurz", "p-merz") for m in enr.mentions)


def test_offsets_point_into_body(run):
    body = "Titel zur Ukraine\n\nUS-Außenminister Antony Blinken traf Sergej Lawrow in Genf."
    enr = run(body)
    for m in enr.mentions:
        assert body[m.start_char:m.end_char] == m.surface
        s = enr.sentences[m.sentence]
        assert s.start_char <= m.start_char < s.end_char
