"""Shared fixtures: resources on a small fixture registry, the pipeline built once per session."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lagebild.article import Article, article_id_for
from lagebild.enrich import Resources, enrich, load_resources

HERE = Path(__file__).parent
FIXTURE_REGISTRY = HERE / "fixture_registry.yaml"


def make_article(body: str, day: date = date(2022, 1, 19), precision: str = "day") -> Article:
    return Article(article_id_for(body), body.split("\n", 1)[0], body, day, precision, None, "t.txt")


@pytest.fixture(scope="session")
def res() -> Resources:
    """The fixture registry with the shipped NER model, as enrichment runs by default."""
    return load_resources(registry_paths=[FIXTURE_REGISTRY])


@pytest.fixture(scope="session")
def rules_res() -> Resources:
    """The fixture registry with the rules alone (no statistical model): the rule-based discovery."""
    return load_resources(registry_paths=[FIXTURE_REGISTRY], model="none")


@pytest.fixture(scope="session")
def rules_run(rules_res):
    """enrich one text with the rules alone -> its Enrichment."""
    def _run(body: str, day: date = date(2022, 1, 19), precision: str = "day"):
        return enrich([make_article(body, day, precision)], rules_res)[0]
    return _run


@pytest.fixture(scope="session")
def run(res):
    """enrich one text -> its Enrichment."""
    def _run(body: str, day: date = date(2022, 1, 19), precision: str = "day"):
        return enrich([make_article(body, day, precision)], res)[0]
    return _run


def ids(enr) -> list[tuple[str, str]]:
    return [(m.surface, m.actor_id) for m in enr.mentions]
