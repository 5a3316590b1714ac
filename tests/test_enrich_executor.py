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


def test_a_backlog_ends_with_a_short_batch_when_the_next_batch_enriches_meanwhile():
    """With overlap, the last batch loads while the workers have nothing left to enrich: it is kept short."""
    full = [(i * 1000, (i + 1) * 1000) for i in range(10)]
    assert enrich_executor.batch_spans(10_000, 1000, overlapped=True) == [*full[:9], (9000, 9800), (9800, 10_000)]
    assert enrich_executor.batch_spans(10_000, 1000, overlapped=False) == full
    assert enrich_executor.batch_spans(1050, 1000, overlapped=True) == [(0, 1000), (1000, 1050)]  # short already
    assert enrich_executor.batch_spans(800, 1000, overlapped=True) == [(0, 800)]  # one batch: nothing to overlap
    for count in (1, 999, 1001, 2500, 7777):  # every file in exactly one batch, in order
        spans = enrich_executor.batch_spans(count, 1000, overlapped=True)
        assert [i for start, end in spans for i in range(start, end)] == list(range(count))


@pytest.mark.slow
def test_a_large_backlog_starts_the_workers_at_once_without_waiting_for_them(settings):
    pooled = settings.with_(enrich_workers=2)
    enrich_executor.start_early(pooled, 2 * enrich_executor.POOL_START_PER_WORKER - 1)  # small: stays in process
    enrich_executor.start_early(settings, 10_000)  # one process: no pool
    assert not enrich_executor._pools
    try:
        enrich_executor.start_early(pooled, 2 * enrich_executor.POOL_START_PER_WORKER)
        assert 2 in enrich_executor._pools  # started; its workers load the model meanwhile
        _, slots, smallest = enrich_executor.executor_for(pooled) or (None, 0, 0)
        assert (slots, smallest) == (2, 2 * enrich_executor.MIN_PER_WORKER)  # the next batch uses it at any size
        articles = _articles(4)
        assert enrich_executor.enrich_in_order(pooled, articles) == enrich_executor.enrich_in_order(settings, articles)
    finally:
        enrich_executor.close()


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


@pytest.mark.slow
def test_the_next_batch_enriched_ahead_gives_the_same_results_and_is_taken_from_there(settings, caplog):
    articles = _articles(8)  # 40 articles: the first 20 are "this batch", the last 20 "the next one"
    single = enrich_executor.enrich_in_order(settings, articles)
    pooled_settings = settings.with_(enrich_workers=2, warm_start=True)
    assert not enrich_executor.can_prefetch(settings) and enrich_executor.can_prefetch(pooled_settings)
    assert enrich_executor.prefetch(settings, articles[20:]) == 0  # in process: nothing to overlap with
    try:
        enrich_executor.start(pooled_settings)
        first = enrich_executor.enrich_in_order(pooled_settings, articles[:20])
        assert enrich_executor.prefetch(pooled_settings, articles[20:]) == 20
        changed = replace(articles[25], body=articles[25].body + "\n\nNachtrag.")  # its file changed since
        batch = [*articles[20:25], changed, *articles[26:]]
        with caplog.at_level("INFO", logger="lagebild.enrich"):
            second = enrich_executor.enrich_in_order(pooled_settings, batch)
        assert "19 of 20 articles were enriched while the previous batch loaded" in caplog.text
        enrich_executor.prefetch(pooled_settings, articles[:20])  # never asked for: due at the second enrich
        assert enrich_executor.enrich_in_order(pooled_settings, articles[20:22]) == single[20:22]
        assert len(enrich_executor._prefetched) == 20
        assert enrich_executor.enrich_in_order(pooled_settings, articles[22:24]) == single[22:24]
        assert not enrich_executor._prefetched  # cancelled and forgotten
    finally:
        enrich_executor.close()
    assert first + second[:5] + second[6:] == single[:25] + single[26:]
    assert second[5] == enrich_executor.enrich_in_order(settings, [changed])[0]


@pytest.mark.slow
def test_batches_run_with_the_next_one_enriching_meanwhile_store_what_one_process_stores(settings, caplog):
    """The runner of `lagebild ingest` and the watcher, given the next batch: the same warehouse as in process."""
    import duckdb

    from cli.commands import batch_runner
    from lagebild.inbox import scan
    from warehouse import Warehouse

    stored = {}
    for workers in (1, 2):
        s = settings.with_(data_dir=settings.data_dir / f"w{workers}", inbox=settings.data_dir / f"w{workers}/inbox",
                           warehouse=settings.data_dir / f"w{workers}/lagebild.duckdb",
                           enrich_workers=workers, warm_start=True)
        s.ensure_folders()
        Warehouse.of(s).initialise()
        seeds = sorted(SEEDS.glob("*.txt"))
        for i in range(60):
            (s.inbox / f"artikel-{i:03d}.txt").write_text(
                f"{seeds[i % len(seeds)].read_text(encoding='utf-8')}\n\nNachtrag Nummer {i}.", encoding="utf-8")
        files = [str(p) for p in scan(s.inbox)]
        run = batch_runner(s, prefect=False)
        caplog.clear()
        try:
            with caplog.at_level("INFO", logger="lagebild.enrich"):
                for start in range(0, 60, 20):
                    assert run(files[start : start + 20], files[start + 20 : start + 40]).loaded == 20
        finally:
            enrich_executor.close()
        ahead = caplog.text.count("20 of 20 articles were enriched while the previous batch loaded")
        assert ahead == (2 if workers == 2 else 0)  # batches 2 and 3 enriched while 1 and 2 loaded
        con = duckdb.connect(str(s.warehouse), read_only=True)
        try:
            stored[workers] = [con.execute(q).fetchall() for q in (
                "SELECT article_id, title, published_date FROM articles ORDER BY 1",
                "SELECT article_id, start_char, end_char, actor_id, role FROM mentions ORDER BY ALL",
                "SELECT article_id, start_char, end_char, actor_id, cue FROM quotes ORDER BY ALL",
                "SELECT article_id, story_id FROM story_articles ORDER BY ALL")]
        finally:
            con.close()
    assert len(stored[1][0]) == 60 and len(stored[1][1]) > 60 and stored[2] == stored[1]


@pytest.mark.slow
def test_this_batch_goes_first_and_the_next_one_queues_behind_it(settings, caplog):
    """The flow sends this batch and the next one before it waits for this one: a worker that finishes
    this batch's last chunk goes on with the next batch instead of waiting for the load."""
    articles = _articles(8)
    single = enrich_executor.enrich_in_order(settings, articles)
    pooled_settings = settings.with_(enrich_workers=2, warm_start=True)
    try:
        enrich_executor.start(pooled_settings)
        assert enrich_executor.prefetch(pooled_settings, articles[20:], current=articles[:20]) == 40
        sent = enrich_executor._prefetched
        assert [sent[a].ahead for a in articles] == [False] * 20 + [True] * 20
        assert enrich_executor.prefetch(pooled_settings, articles[20:], current=articles[:20]) == 0  # in flight
        with caplog.at_level("INFO", logger="lagebild.enrich"):
            first = enrich_executor.enrich_in_order(pooled_settings, articles[:20])
            assert "while the previous batch loaded" not in caplog.text  # this batch's own, sent just now
            assert set(enrich_executor._prefetched) == set(articles[20:])  # the next batch's stay
            second = enrich_executor.enrich_in_order(pooled_settings, articles[20:])
        assert "20 of 20 articles were enriched while the previous batch loaded" in caplog.text
    finally:
        enrich_executor.close()
    assert first + second == single
