from lagebild.enrich import enrich, load_resources
from lagebild.enrich.review import candidates, ignore, load_overlay, merge, promote
from tests.enrich.conftest import FIXTURE_REGISTRY, make_article

TEXT = "Titel\n\nEs sei wichtig, sagte Kreml-Sprecher Dmitri Peskow. Auch Duma-Präsident Wjatscheslaw Wolodin sprach."


def _load(overlay):
    return load_resources(overlay_path=overlay, registry_paths=[FIXTURE_REGISTRY])


def test_candidates_list_discovered_actors(res):
    enr = enrich([make_article(TEXT)], res)
    got = {c.actor_id: c for c in candidates(enr)}
    assert got["disc-dmitri-peskow"].role == "Kreml-Sprecher" and got["disc-dmitri-peskow"].mentions == 1


def test_promote_merge_ignore_roundtrip(tmp_path, res):
    overlay = tmp_path / "registry_overlay.yaml"
    promote(overlay, "disc-dmitri-peskow", "Dmitri Peskow", "person", "RU", "Kreml-Sprecher", ["Peskow"])
    merge(overlay, "Wjatscheslaw Wolodin", "country-ru")
    ignore(overlay, "disc-nobody")
    ov = load_overlay(overlay)
    assert ov.ignore == frozenset({"disc-nobody"}) and len(ov.promote) == 1 and len(ov.alias) == 1
    res2 = _load(overlay)
    assert res2.enrich_version != res.enrich_version
    enr = enrich([make_article(TEXT)], res2)[0]
    peskow = next(a for a in enr.actors if a.actor_id == "disc-dmitri-peskow")
    assert peskow.origin == "registry" and peskow.role == "Kreml-Sprecher"
    assert any(m.surface == "Wjatscheslaw Wolodin" and m.actor_id == "country-ru" for m in enr.mentions)


def test_ignored_discoveries_disappear(tmp_path):
    overlay = tmp_path / "o.yaml"
    ignore(overlay, "disc-dmitri-peskow")
    enr = enrich([make_article(TEXT)], _load(overlay))[0]
    assert "disc-dmitri-peskow" not in {m.actor_id for m in enr.mentions}
