from datetime import date

from lagebild.enrich.registry import Role
from lagebild.enrich.roles import role_label, roles_at


def test_stoltenberg_is_secretary_general_in_2022_not_2025(res):
    roles = res.by_id["p-stoltenberg"].roles
    assert role_label(roles, date(2022, 1, 1), "month") == "NATO-Generalsekretär"
    assert role_label(roles, date(2025, 3, 1), "month") is None


def test_scholz_chancellor_in_2022_not_2020(res):
    roles = res.by_id["p-scholz"].roles
    assert "Bundeskanzler" in role_label(roles, date(2022, 2, 16), "day")
    assert "Bundesfinanzminister" in role_label(roles, date(2020, 6, 1), "day")
    assert "Bundeskanzler" not in role_label(roles, date(2020, 6, 1), "day")


def test_month_precision_takes_the_role_held_most_of_the_month():
    old = Role("Alt", None, date(2000, 1, 1), date(2021, 12, 8))
    new = Role("Neu", None, date(2021, 12, 8), None)
    assert [r.role for r in roles_at((old, new), date(2021, 12, 1), "month")] == ["Neu"]
    assert [r.role for r in roles_at((old, new), date(2021, 12, 7), "day")] == ["Alt"]


def test_mention_carries_role_of_article_date(run):
    m2022 = [m for m in run("Jens Stoltenberg sprach.", date(2022, 1, 1), "month").mentions][0]
    m2012 = [m for m in run("Jens Stoltenberg sprach.", date(2012, 5, 5)).mentions][0]
    assert m2022.role == "NATO-Generalsekretär"
    assert m2012.role.startswith("Ministerpräsident")
