from lagebild.enrich.themes import theme_index


def test_taxonomy_size_and_labels(res):
    assert 15 <= len(res.themes) <= 25
    assert all(label for _, label in res.themes)


def test_article_and_sentence_themes_with_evidence(run):
    enr = run("Titel\n\nDie USA drohen mit Wirtschaftssanktionen. "
              "Die Sanktionen treffen die Gaspipeline Nord Stream 2.")
    art = {t.theme_id: t for t in enr.themes}
    assert "sanctions" in art and "energy" in art
    assert {"Wirtschaftssanktionen", "Sanktionen"} <= set(art["sanctions"].evidence)
    sent = [st for st in enr.sentence_themes if st.theme_id == "energy"]
    assert sent and sent[0].sentence == 2 and "Nord Stream 2" in sent[0].evidence


def test_single_weak_word_does_not_tag_article(run):
    enr = run("Er führte ein Gespräch.")
    assert enr.themes == ()
    assert enr.sentence_themes  # but the sentence keeps its evidence


def test_compound_heads(res):
    index = theme_index(res.theme_list)
    assert index.word_hits("Gaspipeline") and index.word_hits("Cyberattacken")
    assert not index.word_hits("Apfel")
