"""Speech frames of reported speech beyond the classic speech verb (German example sentences)."""

import pytest


def _reported(enr):
    return [(q.speaker_text, q.cue) for q in enr.quotes if q.kind == "reported"]


def test_das_as_article_of_the_subject(run):
    enr = run("Titel\n\nDas Landgericht teilte am Freitag mit, dass die Verhandlung vertagt werde.")
    assert _reported(enr) == [("Das Landgericht", "teilte")]


def test_spricht_von_with_words_between(run):
    enr = run("Titel\n\nDie Feuerwehr spricht inzwischen von drei Verletzten.")
    assert _reported(enr) == [("Die Feuerwehr", "spricht")]


def test_sprach_sich_fuer_aus(run):
    enr = run("Titel\n\nDer Verband sprach sich am Montag für ein Tempolimit aus.")
    assert _reported(enr) == [("Der Verband", "sprach")]


def test_sprachen_is_a_form_of_sprechen(run):
    enr = run("Titel\n\nDie Gewerkschaften sprachen von einem Erfolg.")
    assert _reported(enr) == [("Die Gewerkschaften", "sprachen")]


def test_sprechen_without_its_object_is_no_speech(run):
    enr = run("Titel\n\nDie Minister sprachen am Montag lange miteinander.")
    assert _reported(enr) == []


def test_laut_names_the_source_after_another_cue(run):
    enr = run("Titel\n\nAm Abend bestätigte der Bürgermeister laut dem Stadtanzeiger, dass die Brücke gesperrt bleibe.")
    assert _reported(enr) == [("dem Stadtanzeiger", "laut")]


def test_hiess_es_vom_sprecher(run):
    enr = run("Titel\n\nDie Lage in Bayern sei ruhig, hieß es vom Sprecher der Landesregierung.")
    assert _reported(enr) == [("Sprecher der Landesregierung", "hieß")]


def test_colon_needs_a_noun_phrase_before_it(run):
    enr = run("Titel\n\nSeine Zuversicht gründet sich auf lange Erfahrung: „Wir haben das schon oft erlebt.“")
    assert all(q.speaker_text != "Seine Zuversicht gründet sich auf lange Erfahrung" for q in enr.quotes)


def test_kritisierte_als(run):
    enr = run("Titel\n\nDer Umweltverband kritisierte den Beschluss als schweren Fehler.")
    assert _reported(enr) == [("Der Umweltverband", "kritisierte")]


def test_kritisierte_with_a_noun_object_alone_is_no_speech(run):
    enr = run("Titel\n\nDer Umweltverband kritisierte den Beschluss.")
    assert _reported(enr) == []


def test_stance_after_a_copula(run):
    enr = run(
        "Titel\n\nDer Trainer ist trotz der Niederlage zuversichtlich, das Rückspiel zu gewinnen. "
        "Die Staatsanwaltschaft war sich sicher, dass die Beweise ausreichen."
    )
    assert _reported(enr) == [("Der Trainer", "zuversichtlich"), ("Die Staatsanwaltschaft", "sicher")]


def test_stance_word_without_what_is_held_is_no_speech(run):
    enr = run("Titel\n\nDer Weg über die Brücke ist wieder sicher.")
    assert _reported(enr) == []


def test_aufforderung_needs_what_is_asked(run):
    enr = run("Titel\n\nDer Landrat forderte die Anwohner auf, die Fenster geschlossen zu halten.")
    assert _reported(enr) == [("Der Landrat", "forderte")]


def test_aus_x_hiess_es(run):
    enr = run("Titel\n\nAus dem Rathaus hieß es, die Sperrung sei vorübergehend.")
    assert _reported(enr) == [("dem Rathaus", "hieß")]


def test_hat_sich_fuer_ausgesprochen(run):
    enr = run("Titel\n\nDer Stadtrat hat sich am Montag für eine autofreie Innenstadt ausgesprochen.")
    assert _reported(enr) == [("Der Stadtrat", "ausgesprochen")]


def test_impersonal_droht_and_sehen_vor_are_no_speech(run):
    enr = run(
        "Titel\n\nDem Land droht eine erneute Rezession. Die Pläne sehen eine Produktion in einer neuen Anlage vor."
    )
    assert _reported(enr) == []


def test_zu_infinitive_and_remark_in_brackets_are_no_speech(run):
    enr = run(
        "Titel\n\nDie Anruferin hatte keine Gelegenheit, die Adresse anzugeben. "
        "Das Projekt, ein Lexikon zu schreiben, begann 1860. (Die Zeitung berichtete.)"
    )
    assert _reported(enr) == []


def test_wonach_takes_the_reports_before_it(run):
    enr = run("Titel\n\nDas Ministerium wies Berichte der Lokalzeitung zurück, wonach die Schule schließen müsse.")
    assert [s for s, _ in _reported(enr)] == ["Das Ministerium"]
    enr = run("Titel\n\nEs gibt Gerüchte, wonach die Schule schließen müsse.")
    assert [s for s, _ in _reported(enr)] == ["Gerüchte"]


def test_intention_of_a_named_actor(run):
    enr = run(
        "Titel\n\nDie Europäische Union will die Sanktionen im Frühjahr verlängern. "
        "Am Sonntag wollte die Familie nach Hause zurückkehren."
    )
    rep = [(q.speaker_text, q.actor_id is not None) for q in enr.quotes if q.kind == "reported"]
    assert rep == [("Die Europäische Union", True)]


def test_named_actor_before_dass_clause(run):
    enr = run(
        "Titel\n\nDie NATO hat inzwischen entschieden, dass die Übung planmäßig endet. "
        "Viele Anwohner haben entschieden, dass sie klagen."
    )
    rep = [q.speaker_text for q in enr.quotes if q.kind == "reported"]
    assert rep == ["Die NATO"]


def test_fuer_x_ist_a_view(run):
    enr = run("Titel\n\nFür den Gesundheitsminister ist die Lage in der Stadt „völlig alarmierend“.")
    assert {(q.kind, q.speaker_text) for q in enr.quotes} == {
        ("direct", "den Gesundheitsminister"),
        ("reported", "den Gesundheitsminister"),
    }


def test_fuer_without_a_view_is_no_speech(run):
    enr = run("Titel\n\nFür den Bau der Brücke ist eine Milliarde Euro vorgesehen.")
    assert enr.quotes == ()


def test_das_with_several_adjectives(run):
    enr = run("Titel\n\nDas staatliche sudanesische Fernsehen berichtete von „schweren Verlusten des Feindes“.")
    assert {q.speaker_text for q in enr.quotes} == {"Das staatliche sudanesische Fernsehen"}


# (case, text, expected speaker phrases of the reported speech, in order)
SPEAKER_CASES = [
    pytest.param(
        "Titel\n\nDas sagte sie am Freitag, die Verhandlung werde vertagt.", ["sie"], id="das_as_pronoun_is_no_subject"
    ),
    pytest.param(
        "Titel\n\nDes Weiteren verwies der Kämmerer darauf, dass die Kasse leer sei. "
        "Ergänzend fügte die Bürgermeisterin hinzu, man spare schon.",
        ["der Kämmerer", "die Bürgermeisterin"],
        id="sentence_adverbs_are_no_subject",
    ),
    pytest.param(
        "Titel\n\nWährend die Bürgermeisterin erklärte, der Haushalt sei solide, blieb der Rat skeptisch.",
        ["die Bürgermeisterin"],
        id="waehrend_clause_names_its_speaker",
    ),
    pytest.param(
        "Titel\n\nDie Forscher fanden heraus, dass der Gletscher schneller schmilzt. "
        "Der Rat stufte das Gesetz als verfassungswidrig ein.",
        ["Die Forscher", "Der Rat"],
        id="particle_verbs_of_findings_and_ratings",
    ),
    pytest.param(
        "Titel\n\nDer Richter führte aus, die Beweislage sei eindeutig. "
        "Am Nachmittag schilderte eine Zeugin, wie der Wagen ins Schleudern geraten sei.",
        ["Der Richter", "eine Zeugin"],
        id="fuehrte_aus_and_schilderte",
    ),
    pytest.param(
        "Titel\n\nDie Zeitung „Neue Post“ berichtet in ihrer Ausgabe, dass die Verhandlungen gescheitert seien.",
        ["Die Zeitung „Neue Post“"],
        id="subject_ending_in_a_quoted_name",
    ),
    pytest.param(
        "Titel\n\nWie der Gutachter darlegte, sei die Brücke nicht mehr sicher befahrbar.",
        ["der Gutachter"],
        id="wie_x_darlegte",
    ),
    pytest.param(
        "Titel\n\nNach dem vorläufigen Endergebnis erreichte die Partei 40 Prozent. "
        "Nach dem Landesgesetz müssen die Gemeinden die Kosten tragen.",
        ["dem vorläufigen Endergebnis", "dem Landesgesetz"],
        id="nach_dem_ergebnis_and_gesetz",
    ),
    pytest.param(
        "Titel\n\nDie Feuerwehr rückte mit zwölf Wagen aus und teilte später mit, der Brand sei gelöscht.",
        ["Die Feuerwehr"],
        id="subject_with_capitalised_article_before_und",
    ),
    pytest.param(
        "Titel\n\nIn seiner Rede lobte der Bürgermeister die Helfer und nannte den Einsatz „vorbildlich und mutig“.",
        ["der Bürgermeister"],
        id="und_after_a_clause_opening_with_an_adverbial",
    ),
    pytest.param(
        "Titel\n\nVon städtischer Seite wurde gefordert, die Straße sofort zu sperren.",
        ["städtischer Seite"],
        id="passive_agent_with_an_adjective_first",
    ),
    pytest.param(
        "Titel\n\nDer Vereinsvorstand hat nun versprochen, gegen die Randalierer vorzugehen. "
        "Der Bürgermeister hat den Vorwurf bereits zurückgewiesen, da er jeder Grundlage entbehre.",
        ["Der Vereinsvorstand", "Der Bürgermeister"],
        id="participles_of_separable_and_inseparable_verbs",
    ),
    pytest.param(
        "Titel\n\nDie NATO bezifferte die Kosten auf zwei Milliarden Euro. "
        "Ein Nachbar bezifferte den Schaden auf tausend Euro.",
        ["Die NATO"],
        id="named_actor_verbs_of_estimates_and_decisions",
    ),
    pytest.param(
        "Titel\n\nDie NATO verlangte einen sofortigen Rückzug der Truppen. Ein Anwohner verlangte einen neuen Zaun.",
        ["Die NATO"],
        id="named_actor_demands_without_a_clause",
    ),
    pytest.param(
        "Titel\n\nEr halte die Regel für vertretbar und bezeichnete die Kritik als überzogen. "
        "Wenige Stunden nach dem Unfall erklärte der Betreiber, die Anlage sei sicher.",
        ["Er", "der Betreiber"],
        id="no_subject_ending_in_und_or_a_time_phrase",
    ),
    pytest.param(
        "Titel\n\nVon der Leyen betonte, der Haushalt sei solide. Von der Polizei hieß es, alles sei ruhig.",
        ["Von der Leyen", "der Polizei"],
        id="surname_opening_with_von_der",
    ),
]


@pytest.mark.parametrize(("text", "speakers"), SPEAKER_CASES)
def test_speaker_phrases(run, text, speakers):
    assert [s for s, _ in _reported(run(text))] == speakers


@pytest.mark.parametrize("text", [
    "Es gibt nur noch wenige Busverbindungen in die Stadt, so dass Touristen auf Flugzeuge angewiesen sind.",
    "Viele Familien wurden damals deportiert, so auch die Mutter der Schriftstellerin.",
    "„Wikiasari“, so heißt ein geplantes Projekt des Gründers.",
])
def test_so_that_so_too_and_so_named_are_no_source(run, text):
    assert _reported(run("Titel\n\n" + text)) == []


def test_so_x_still_names_the_source(run):
    enr = run("Titel\n\nDie Lage sei ernst, so der Sprecher des Ministeriums.")
    assert _reported(enr) == [("der Sprecher des Ministeriums", "so")]


@pytest.mark.parametrize("text", [
    "Dies nennt man einen Aktiensplit.",
    "Als Lichtjahr bezeichnet man die Strecke, die das Licht in einem Jahr zurücklegt.",
])
def test_a_definition_with_man_is_no_statement(run, text):
    assert _reported(run("Titel\n\n" + text)) == []


def test_bezeichnete_with_a_named_speaker_is_still_one(run):
    enr = run("Titel\n\nDie Ministerin bezeichnete den Beschluss als schweren Fehler.")
    assert _reported(enr) == [("Die Ministerin", "bezeichnete")]


@pytest.mark.parametrize("text", [
    "Auch sie hatte er wiederholt geschlagen.",
    "In letzter Zeit hat es schon wiederholt gefährliche Zwischenfälle an diesem Bahnübergang gegeben.",
])
def test_wiederholt_as_an_adverb_is_no_cue(run, text):
    assert _reported(run("Titel\n\n" + text)) == []


def test_wiederholt_as_the_verb_is_a_cue(run):
    enr = run("Titel\n\nDer Verband hat seine Forderung nach einem Tempolimit wiederholt.")
    assert _reported(enr) == [("Der Verband", "wiederholt")]


@pytest.mark.parametrize("text", [
    "Die Äußerungen der Richter bezeichnete er als „Knaller aus Karlsruhe“.",
    "Die Anhänger, die sich zur Kundgebung aufmachten, warnte er, die Organisatoren würden sie benutzen.",
])
def test_a_subject_pronoun_after_the_verb_is_the_speaker(run, text):
    assert {s for s, _ in _reported(run("Titel\n\n" + text))} == {"er"}


@pytest.mark.parametrize("text", [
    "Die Gruppe überwacht die Zensur im Netz und bezeichnet sich selbst als Projekt für Transparenz.",
    "Der Rat, wie sich die Junta selbst nennt, übernahm die Macht.",
])
def test_naming_oneself_is_no_statement(run, text):
    assert _reported(run("Titel\n\n" + text)) == []


@pytest.mark.parametrize("text", [
    "Bis jetzt geht man von einem Kurzschluss in einer Trafostation aus.",
    "Aber man betont auch, dass die Lage ernst sei.",
    "Bereits Ende des Jahres will man mit der neuen Kapsel starten.",
])
def test_man_is_no_speaker(run, text):
    assert _reported(run("Titel\n\n" + text)) == []


@pytest.mark.parametrize("text", [
    "Ein Sprecher der Armee wollte nicht bestätigen, dass alle Insassen Soldaten waren.",
    "Die Identität des Kindes gab die Behörde nicht bekannt.",
])
def test_what_was_not_said_is_no_statement(run, text):
    assert _reported(run("Titel\n\n" + text)) == []


def test_a_negation_in_what_was_said_keeps_the_statement(run):
    enr = run("Titel\n\nDer Minister sagte, er werde nicht zurücktreten.")
    assert _reported(enr) == [("Der Minister", "sagte")]


@pytest.mark.parametrize("text", [
    "In Vietnam forderte die Naturkatastrophe 92 Menschenleben.",
    "Der Anschlag auf den Bus forderte acht Tote.",
])
def test_a_death_toll_is_no_demand(run, text):
    assert _reported(run("Titel\n\n" + text)) == []


def test_the_victims_families_still_demand(run):
    enr = run("Titel\n\nDie Familien der Opfer forderten, dass die Ermittlungen neu aufgenommen werden.")
    assert _reported(enr) == [("Die Familien der Opfer", "forderten")]
