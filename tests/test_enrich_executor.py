"""flows/enrich_executor.py: one chunker, and a process pool that returns exactly the in-process results."""

from __future__ import annotations

from dataclasses import replace

import pytest

from flows import enrich_executor
from flows.enrich_executor import split
from helpers import SEEDS
from lagebild.article import Article
from lagebild.parse import parse_file


def _articles(copies: int) -> list[Article]:
    seeds = [a for f in sorted(SEEDS.glob("*.txt")) for a in parse_file(f.name, f.read_bytes()).articles]
    return [replace(a, article_id=f"{a.article_id[:12]}{i:04d}") for i in range(copies) for a in seeds]


def test_split_keeps_order_and_evens_out_chunks():
    assert split(list(range(5)), 4) == [[0, 1], [2], [3], [4]]
    assert split(list(range(7)), 2) == [[0, 1, 2, 3], [4, 5, 6]]
    assert split([1], 4) == [[1]] and split([], 3) == []


@pytest.mark.slow
def test_process_pool_returns_the_in_process_results_in_order(settings):
    articles = _articles(4)  # 20 articles: enough for two workers (MIN_PER_WORKER each)
    assert len(articles) >= 2 * enrich_executor.MIN_PER_WORKER
    single = enrich_executor.enrich_in_order(settings, articles)
    pooled_settings = settings.with_(enrich_workers=2, warm_start=True)
    try:
        enrich_executor.start(pooled_settings)  # a warm start starts both workers (before: batches of 200+)
        executor, slots, smallest = enrich_executor.executor_for(pooled_settings) or (None, 0, 0)
        assert (slots, smallest) == (2, 2 * enrich_executor.MIN_PER_WORKER)
        pooled = enrich_executor.enrich_in_order(pooled_settings, articles)
        assert enrich_executor.enrich_in_order(pooled_settings, articles[:3]) == single[:3]  # small: in process
    finally:
        enrich_executor.close()
    assert [e.article_id for e in pooled] == [a.article_id for a in articles]
    assert pooled == single
