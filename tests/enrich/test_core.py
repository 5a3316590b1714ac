import copy
import pickle
from datetime import date

from lagebild.enrich import enrich
from tests.enrich.conftest import make_article

TEXTS = ["Titel eins\n\nUS-Außenminister Antony Blinken traf Sergej Lawrow. „Wir reden“, sagte Blinken.",
         "Titel zwei\n\nDer Kreml droht mit Sanktionen. Russland verlegt Truppen nach Belarus."]


def test_pure_and_deterministic(res):
    arts = [make_article(t) for t in TEXTS]
    before = copy.deepcopy(arts)
    first, second = enrich(arts, res), enrich(list(reversed(arts)), res)
    assert arts == before
    assert first == list(reversed(second))
    assert all(e.enrich_version == res.enrich_version for e in first)


def test_resources_pickle_and_version(res):
    clone = pickle.loads(pickle.dumps(res))
    assert clone.enrich_version == res.enrich_version and len(res.enrich_version) == 12
    assert enrich([make_article(TEXTS[0])], clone)[0] == enrich([make_article(TEXTS[0])], res)[0]


def test_sentences_cover_title_and_paragraphs(run):
    body = "Ein Titel ohne Punkt\n\nErster Satz. Zweiter Satz!\n\nÜberschrift\n\nDritter „Satz.“ Vierter."
    enr = run(body)
    assert [body[s.start_char:s.end_char] for s in enr.sentences] == [
        "Ein Titel ohne Punkt", "Erster Satz.", "Zweiter Satz!", "Überschrift", "Dritter „Satz.“", "Vierter."]


def test_actors_listed_for_every_mention(run):
    enr = run(TEXTS[1], date(2022, 1, 1), "month")
    assert {m.actor_id for m in enr.mentions} <= {a.actor_id for a in enr.actors}
    kreml = next(m for m in enr.mentions if m.surface == "Kreml")
    assert kreml.metonym and kreml.method == "metonym" and kreml.actor_id == "country-ru"


def test_a_long_running_process_forgets_learnt_words_without_changing_results(res, monkeypatch):
    """The word-type table and the theme index's word caches start afresh past LEARNT_LIMIT types, so a
    watcher's memory does not grow with every word it ever met; results stay exactly the same."""
    from lagebild.enrich import themes, tokens

    arts = [make_article(t) for t in TEXTS]
    before = enrich(arts, res)
    index = themes.theme_index(res.theme_list)
    table = tokens.lex_table(res, index)
    assert table.learnt() > 20 and len(index.by_hash) > 20
    monkeypatch.setattr(tokens, "LEARNT_LIMIT", 20)
    assert enrich(arts, res) == before  # the table in use was over the limit: a new one learnt these words
    fresh = tokens._TABLES[res.enrich_version]  # the table that enriched them (not a lookup: that would reset)
    assert fresh is not table and 20 < fresh.learnt() == len(index.by_hash) <= table.learnt()
    monkeypatch.setattr(tokens, "LEARNT_LIMIT", 10**9)
    assert tokens.lex_table(res, index) is tokens.lex_table(res, index)  # under the limit: kept


def test_forgetting_words_starts_every_table_of_the_shared_theme_index_afresh(res, rules_res, monkeypatch):
    """Resources of another version (the rules alone) share the theme index and its word caches: when one
    table starts afresh, the other must too, or it would look up words the caches no longer hold."""
    from lagebild.enrich import themes, tokens

    arts = [make_article(t) for t in TEXTS]
    other = [make_article("Titel drei\n\nDie Inflation steigt weiter. Die Zentralbank erhöht die Leitzinsen.")]
    assert themes.theme_index(res.theme_list) is themes.theme_index(rules_res.theme_list)
    with_model, rules_alone = enrich(arts, res), enrich(other, rules_res)
    assert any(e.themes for e in rules_alone)  # its words reach the theme caches
    monkeypatch.setattr(tokens, "LEARNT_LIMIT", 20)
    assert enrich(arts, res) == with_model  # over the limit: the caches were emptied, these words learnt again
    monkeypatch.setattr(tokens, "LEARNT_LIMIT", 10**9)
    assert enrich(other, rules_res) == rules_alone  # raised KeyError when only the first table started afresh


def test_the_enrich_version_does_not_depend_on_where_the_model_folder_lies(tmp_path):
    """The same model in another checkout, a container's /app or a moved project folder enriches the same:
    the stored articles must not all look outdated there (reprocess, near-duplicate signatures)."""
    import shutil

    from lagebild.enrich.resources import SHIPPED_MODEL, _model_identity

    moved = tmp_path / "elsewhere" / SHIPPED_MODEL.name
    moved.mkdir(parents=True)
    shutil.copyfile(SHIPPED_MODEL / "meta.json", moved / "meta.json")
    assert _model_identity(str(moved)) == _model_identity(str(SHIPPED_MODEL))
    changed = (moved / "meta.json").read_text(encoding="utf-8").replace('"version"', '"version_"', 1)
    (moved / "meta.json").write_text(changed, encoding="utf-8")
    assert _model_identity(str(moved)) != _model_identity(str(SHIPPED_MODEL))  # a changed model still counts
    assert _model_identity("de_core_news_md") == b"de_core_news_md"  # an installed package: by its name
