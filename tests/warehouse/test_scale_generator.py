"""bench/sentence_pool.py and bench/compose.py: generated articles carry enrichment that fits their text,
and load through the product's loader with copies found and summaries equal to the raw rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import SHARED

pytestmark = pytest.mark.skipif(not (SHARED / "corpora" / "gnad10k").exists(), reason="shared corpora missing")


@pytest.fixture(scope="module")
def pool(seed_settings):
    """Twenty source articles enriched with the rules alone (the session's resources)."""
    from bench import sentence_pool

    return sentence_pool.build(seed_settings, limit=20)


def test_generated_articles_are_distinct_deterministic_and_their_offsets_fit(pool):
    from bench import compose

    built = [compose.build(i, 7, pool) for i in range(200)]
    assert [a.body for a, _ in built[:20]] == [compose.build(i, 7, pool)[0].body for i in range(20)]
    assert len({a.article_id for a, _ in built}) == 200
    for art, e in built:
        assert e.article_id == art.article_id and e.minhash
        for m in e.mentions:
            assert art.body[m.start_char:m.end_char] == m.surface
            s = e.sentences[m.sentence]
            assert s.start_char <= m.start_char and m.end_char <= s.end_char
        for q in e.quotes:
            assert art.body[q.start_char:q.end_char] == q.quote
        assert all(art.body[s.start_char:s.end_char].strip() for s in e.sentences)
    assert sum(len(e.mentions) for _, e in built) / len(built) > 5
    assert len({a.published_date.year for a, _ in built}) >= 6
    assert any(a.date_precision == "month" for a, _ in built)


def test_the_loader_takes_them_finds_the_copies_and_keeps_the_summaries(pool, tmp_path: Path):
    from bench import make_warehouse
    from warehouse import Warehouse

    wh = Warehouse(tmp_path / "lagebild.duckdb", lock_timeout=5)
    wh.initialise()
    for n, rows in enumerate(make_warehouse._batches(300, 150, 7, pool)):
        make_warehouse.load_batch(wh, rows, f"bench-{n}", pool.themes)
    with wh.connect(read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (300,)
        copies = con.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0]
        assert 0 < copies < 30
        stored = sorted(con.execute("SELECT * FROM actor_theme_month").fetchall())
        raw = sorted(con.execute(
            """SELECT date_trunc('month', published_date)::DATE, duplicate_of IS NOT NULL, m.actor_id, t.theme_id,
                      count(*), count(DISTINCT m.article_id)
               FROM mentions m JOIN article_themes t USING (article_id) JOIN articles USING (article_id)
               GROUP BY ALL""").fetchall())
    assert stored == raw and stored
