"""Speech frames of reported speech beyond the classic speech verb (German example sentences)."""


def _reported(enr):
    return [(q.speaker_text, q.cue) for q in enr.quotes if q.kind == "reported"]


def test_das_as_article_of_the_subject(run):
    enr = run("Titel\n\nDas Landgericht teilte am Freitag mit, dass die Verhandlung vertagt werde.")
    assert _reported(enr) == [("Das Landgericht", "teilte")]


def test_das_as_pronoun_is_no_subject(run):
    enr = run("Titel\n\nDas sagte sie am Freitag, die Verhandlung werde vertagt.")
    assert [s for s, _ in _reported(enr)] == ["sie"]
