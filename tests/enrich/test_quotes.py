def _by_kind(enr, kind):
    return [q for q in enr.quotes if q.kind == kind]


def test_direct_quote_with_cue_after(run):
    enr = run('„Wir sind bereit“, sagte US-Außenminister Antony Blinken am Mittwoch.')
    q = _by_kind(enr, "direct")[0]
    assert q.quote == "Wir sind bereit" and q.actor_id == "p-blinken"
    assert "Blinken" in q.speaker_text


def test_direct_quote_with_speaker_before_and_so(run):
    enr = run('Stoltenberg erklärte: „Die Nato ist bereit.“ "Wir reden weiter", so Lawrow.')
    assert [(q.actor_id, q.cue) for q in _by_kind(enr, "direct")] == [("p-stoltenberg", "erklärte"), ("p-lawrow", "so")]


def test_reported_speech_and_pronoun(run):
    enr = run("Lawrow sagte, die Unterredung sei offen gewesen. Er betonte, Russland bedrohe niemanden.")
    rep = _by_kind(enr, "reported")
    assert [(q.actor_id, q.speaker_text) for q in rep] == [("p-lawrow", "Lawrow"), ("p-lawrow", "Er")]


def test_zufolge_and_nach_angaben(run):
    enr = run("Der Nato zufolge bleiben die Truppen. Nach Angaben von Scholz gibt es Gespräche.")
    assert [q.cue for q in enr.quotes] == ["zufolge", "Nach Angaben von"]
    assert [q.actor_id for q in enr.quotes] == ["org-nato", "p-scholz"]


def test_quote_offsets(run):
    body = 'Titel\n\n«Das ist falsch», sagte Putin.'
    q = run(body).quotes[0]
    assert body[q.start_char:q.end_char] == q.quote
    assert body[q.speaker_start:q.speaker_end] == q.speaker_text == "Putin"


def test_noun_phrase_speaker_after_verb_and_carry_over(run):
    body = "Titel\n\nAm Montag sagte ein Sprecher des Ministeriums, die Lage sei ruhig. Es gebe keine Verletzten."
    rep = _by_kind(run(body), "reported")
    assert [q.speaker_text for q in rep] == ["ein Sprecher des Ministeriums", "ein Sprecher des Ministeriums"]


def test_laut_and_auxiliary_participle(run):
    enr = run("Laut Scholz bleibt alles offen. Lawrow hatte am Montag gesagt, er komme nicht.")
    assert [(q.cue, q.actor_id) for q in enr.quotes] == [("Laut", "p-scholz"), ("gesagt", "p-lawrow")]


def test_particle_verb_needs_its_particle(run):
    enr = run("Im Jahr 2020 gab es viele Treffen. Die Polizei gab am Abend bekannt, der Täter sei gefasst.")
    assert [(q.cue, q.speaker_text) for q in enr.quotes] == [("gab", "Die Polizei")]


def test_separable_attitude_verb(run):
    enr = run("Lawrow schlug vor, die Gespräche in Genf fortzusetzen.")
    assert [q.speaker_text for q in _by_kind(enr, "reported")] == ["Lawrow"]


def test_quote_over_sentences_takes_the_cue_after_it(run):
    enr = run("Titel\n\n„Wir sind bereit. Wir warten auf Antwort“, sagte Lawrow am Montag.")
    assert [(q.kind, q.actor_id, q.cue) for q in enr.quotes] == [("direct", "p-lawrow", "sagte")]


def test_role_noun_resolves_to_the_person_holding_the_role(run):
    enr = run("Titel\n\nBlinken traf Lawrow in Genf. „Wir reden weiter“, so der US-Außenminister. "
              "„Nichts ist entschieden“, sagte der Bundeskanzler, nachdem er Scholz genannt hatte.")
    assert [q.actor_id for q in _by_kind(enr, "direct")][0] == "p-blinken"


def test_quoted_names_are_no_quotes(run):
    enr = run('Titel\n\nDie Übung "Alliierte Entschlossenheit" beginnt im Februar, sagte Lawrow im "heute journal".')
    assert [q.kind for q in enr.quotes] == ["reported"]


def test_speech_verb_with_a_noun_object_reports_nothing(run):
    enr = run("Titel\n\nDie Staatsanwaltschaft erklärte am Dienstag die Hintergründe. Die Regierung hatte den USA "
              "Überflugrechte eingeräumt. Lawrow erklärte, die Gespräche seien beendet.")
    assert [(q.kind, q.speaker_text) for q in enr.quotes] == [("reported", "Lawrow")]


def test_nach_with_a_source_noun_and_postposed_meinung(run):
    enr = run("Titel\n\nNach einer Studie der Nato bleiben die Truppen. Seiner Meinung nach ist das falsch.")
    assert [(q.cue, q.speaker_text) for q in enr.quotes] == [("Nach einer Studie der", "einer Studie der Nato"),
                                                              ("Meinung nach", "Seiner Meinung")]
    assert enr.quotes[0].actor_id == "org-nato"


def test_reported_sentence_around_quoted_words(run):
    enr = run("Titel\n\nLawrow sagte, die Gespräche seien „sehr offen und ehrlich“ gewesen, man werde weiter reden.")
    assert sorted((q.kind, q.actor_id) for q in enr.quotes) == [("direct", "p-lawrow"), ("reported", "p-lawrow")]


def test_subjunctive_after_a_speaker_without_words(run):
    enr = run("Titel\n\nDie Polizei bittet um Mithilfe. Der Mann sei etwa 20 Jahre alt.")
    assert [(q.kind, q.speaker_text) for q in enr.quotes] == [("reported", "Die Polizei")]


def test_heisst_es_in_a_source(run):
    enr = run("Titel\n\nIn einem Schreiben der Nato heißt es, die Truppen blieben.")
    assert [(q.cue, q.actor_id) for q in enr.quotes] == [("heißt", "org-nato")]


def test_particle_after_an_apposition_and_wie_with_commas(run):
    enr = run("Titel\n\nDies teilte der Sprecher des Kreml, Dmitri Peskow, mit. "
              "Wie der Außenminister, Sergej Lawrow, erklärte, bleibe alles offen.")
    assert [q.cue for q in enr.quotes] == ["teilte", "erklärte"]
    assert "Peskow" in enr.quotes[0].speaker_text and enr.quotes[1].actor_id == "p-lawrow"


def test_quoted_name_is_no_clause_boundary(run):
    enr = run('Titel\n\nDie Zeitung "Neue Welt" hatte gestern berichtet, Lawrow komme nicht.')
    assert [q.speaker_text for q in enr.quotes] == ['Die Zeitung "Neue Welt"']


def test_first_subjunctive_takes_the_speaker_two_sentences_before(run):
    enr = run("Titel\n\nLawrow sagte, er komme nicht. Die Lage ist ruhig. Es gebe keine Gespräche.")
    assert [(q.actor_id, q.cue) for q in enr.quotes] == [("p-lawrow", "sagte"), ("p-lawrow", "sei")]


def test_short_quoted_phrase_does_not_continue_the_speaker_before(run):
    enr = run("Titel\n\nLawrow sagte, er komme nicht. Die Pläne seien „völlig unrealistisch“. "
              "Das Treffen war „sehr kurz“.")
    direct = _by_kind(enr, "direct")
    assert [(q.quote, q.actor_id) for q in direct] == [("völlig unrealistisch", "p-lawrow"), ("sehr kurz", None)]


def test_zitiert_names_the_quoted_speaker(run):
    enr = run("Titel\n\nEin Fernsehsender zitierte Lawrow mit den Worten: „Wir reden weiter mit allen.“")
    assert [(q.kind, q.actor_id) for q in enr.quotes] == [("direct", "p-lawrow")]


def test_passive_participle_in_en_without_agent_names_no_speaker(run):
    enr = run("Titel\n\nDie Zahl der Toten wurde mit 214 angegeben. Es seien vor allem Zivilisten.")
    assert [q.speaker_text for q in enr.quotes] == []


def test_age_noun_and_so_with_a_verb(run):
    enr = run("Titel\n\nAm Montag sagte der 81-Jährige, die Maus sei tot gewesen. "
              "In zehn Jahren, so schätzen die Forscher, soll die Forschung abgeschlossen sein.")
    assert [(q.cue, q.speaker_text) for q in enr.quotes] == [("sagte", "der 81-Jährige"), ("so", "die Forscher")]


def test_quoted_names_with_lower_case_links_are_no_quotes(run):
    enr = run('Titel\n\nEin Sprecher der „Polizei von DeLand“ sagte, das Flugzeug sei abgestürzt. '
              'Die NATO müsse "Ausrüstung und Waffen" abziehen, sagte Lawrow.')
    assert [(q.kind, q.quote) for q in _by_kind(enr, "direct")] == [("direct", "Ausrüstung und Waffen")]


def test_pronoun_takes_the_last_person_of_its_gender(run):
    enr = run("Titel\n\nAnnalena Baerbock traf Olaf Scholz in Berlin. Sie sagte, die Gespräche seien gut gewesen. "
              "Er betonte, es gebe keinen Streit.")
    assert [(q.speaker_text, q.actor_id) for q in enr.quotes] == [("Sie", "p-baerbock"), ("Er", "p-scholz")]
