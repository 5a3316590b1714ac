"""Shared fixtures: the seed articles parsed and enriched once, a fresh warehouse file per test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from helpers import SEEDS
from lagebild.article import Article
from lagebild.enrich.model import Enrichment
from lagebild.parse import parse_file
from lagebild.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Rules-only enrichment: these tests are about the warehouse, not the statistical model."""
    return Settings.load(env={}, data_dir=str(tmp_path_factory.mktemp("seed-data"))).with_(spacy_model="none")


@pytest.fixture(scope="session")
def seed_articles() -> list[Article]:
    """The five seed articles, parsed as the ingest flow parses them."""
    return [a for f in sorted(SEEDS.glob("*.txt")) for a in parse_file(f.name, f.read_bytes()).articles]


@pytest.fixture(scope="session")
def seed_enrichments(seed_settings: Settings, seed_articles: list[Article]) -> list[Enrichment]:
    from lagebild.resources import enrich_with_defaults

    return enrich_with_defaults(seed_settings, seed_articles)


@pytest.fixture(scope="session")
def seed_themes() -> list[tuple[str, str]]:
    from lagebild.resources import theme_rows

    return theme_rows()


@pytest.fixture
def warehouse(tmp_path: Path):
    """An initialised, empty warehouse file."""
    from warehouse import Warehouse

    wh = Warehouse(tmp_path / "lagebild.duckdb", lock_timeout=5)
    wh.initialise()
    return wh

