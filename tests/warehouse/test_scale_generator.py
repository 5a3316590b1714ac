"""bench/sentence_pool.py and bench/compose.py: generated articles carry enrichment that fits their text,
and load through the product's loader with copies found and summaries equal to the raw rows."""

from __future__ import annotations

import sys
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
    folded = make_warehouse.fold_by_month(wh, say=lambda line: None)  # the appended summary rows, as when idle
    with wh.connect(read_only=True) as con:
        assert folded["months"] == con.execute("SELECT count(DISTINCT date_trunc('month', published_date)) "
                                               "FROM articles").fetchone()[0] > 12
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (300,)
        copies = con.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0]
        assert 0 < copies < 30
        stored = sorted(con.execute("SELECT month, is_copy, actor_id, theme_id, mentions, articles "
                                    "FROM actor_theme_month").fetchall())
        raw = sorted(con.execute(
            """SELECT date_trunc('month', published_date)::DATE, duplicate_of IS NOT NULL, m.actor_id, t.theme_id,
                      count(*), count(DISTINCT m.article_id)
               FROM mentions m JOIN article_themes t USING (article_id) JOIN articles USING (article_id)
               GROUP BY ALL""").fetchall())
    assert stored == raw and stored


def _every_member_near(con, arts, links=()):
    """Reference: every stored article whose date span lies within WINDOW_DAYS of that of any of `arts`."""
    from lagebild import stories as clustering
    from lagebild.stories import StoryArticle
    from warehouse.stories import keys_from

    spans = sorted({(a.first, a.last) for a in arts})
    wide = clustering.WINDOW_DAYS
    rows = con.execute(
        f"""SELECT DISTINCT sa.story_id, sa.article_id, sa.first_day, sa.last_day, sa.keys, ar.duplicate_of
            FROM story_articles sa JOIN articles ar USING (article_id)
            JOIN (SELECT unnest(?::DATE[]) AS first, unnest(?::DATE[]) AS last) d
              ON sa.first_day <= d.last + {wide} AND sa.last_day >= d.first - {wide}""",
        [[s[0] for s in spans], [s[1] for s in spans]]).fetchall()
    return [(r[0], StoryArticle(r[1], r[2], r[3], keys_from(r[4]), r[5])) for r in rows]


def test_stories_from_the_candidates_alone_equal_those_from_every_article_near_in_time(pool, tmp_path: Path,
                                                                                      monkeypatch):
    """The load step reads only the stored articles that can link to a batch (and the earliest member of
    their stories); replaying the batches against every stored article near in time gives the same story
    of every article, story ids included."""
    from bench import make_warehouse
    from warehouse import Warehouse, stories

    wh = Warehouse(tmp_path / "lagebild.duckdb", lock_timeout=5)
    wh.initialise()
    batches = []
    for n, rows in enumerate(make_warehouse._batches(1200, 300, 7, pool)):
        make_warehouse.load_batch(wh, rows, f"bench-{n}", pool.themes)
        batches.append([a.article_id for a, _ in rows])
    query = "SELECT article_id, story_id, first_day, last_day, keys FROM story_articles ORDER BY ALL"

    def replay(con) -> list[tuple]:
        stories.clear_stories(con)
        for ids in batches:
            stories.assign_stories(con, ids)
        return con.execute(query).fetchall()

    with wh.connect() as con:
        loaded = con.execute(query).fetchall()
        grouped = con.execute("SELECT count(*) FROM (SELECT story_id FROM story_articles GROUP BY ALL "
                              "HAVING count(*) > 1)").fetchone()[0]
        assert replay(con) == loaded
        monkeypatch.setattr(stories, "members_near", _every_member_near)
        assert replay(con) == loaded
    assert grouped > 10  # stories of several articles formed (and merged) across the batches


def test_the_load_cost_is_measured_on_a_copy(pool, tmp_path: Path):
    """bench/load_cost.py loads its transactions into a copy: the warehouse measured stays as it was."""
    from bench import load_cost, make_warehouse
    from warehouse import Warehouse

    wh = Warehouse(tmp_path / "lagebild.duckdb", lock_timeout=5)
    wh.initialise()
    for n, rows in enumerate(make_warehouse._batches(200, 100, 7, pool)):
        make_warehouse.load_batch(wh, rows, f"bench-{n}", pool.themes)
    stored = wh.count_articles()
    out = load_cost.measure(Path(wh.target), 20, 2, "128MB", pool=pool)
    assert out["articles_after"] == stored + 40
    assert out["transaction_s"]["n"] == out["checkpoint_s"]["n"] == 2
    assert wh.count_articles() == stored
    # as a batch of the watcher: the transactions share one connection (no checkpoint between them)
    shared = load_cost.measure(Path(wh.target), 20, 2, "128MB", pool=pool, one_connection=True)
    assert shared["articles_after"] == stored + 40 and "checkpoint_s" not in shared
    # every SQL statement of the load step timed, by the line of the warehouse's code that ran it; the first
    # transaction (the process's first-time costs) apart from the others
    timed = load_cost.measure(Path(wh.target), 20, 2, "128MB", pool=pool, one_connection=True, statements=True)
    assert timed["articles_after"] == stored + 40
    for lines in (timed["statements"], timed["statements_first"]):
        assert any(where.startswith("warehouse/summaries.py:") and "_merge" in where for where in lines)
        assert any(where.startswith("warehouse/stories.py:") for where in lines)
        assert all(spent >= 0 and calls >= 1 for spent, calls in lines.values())
        assert sum(spent for spent, _ in lines.values()) <= timed["transaction_s"]["max"]  # inside one transaction
    if sys.platform == "linux":  # the process's memory, from /proc/self/status
        assert len(shared["rss_peak_mib"]) == 2
        assert all(b > 0 and p > 0 for b, p in zip(shared["rss_before_mib"], shared["rss_peak_mib"], strict=True))
    # the growth run's corpus instead of generated articles: its next articles, enriched, through the same load
    corpus = load_cost.measure(Path(wh.target), 4, 2, "128MB", one_connection=True, corpus_start=1000)
    assert corpus["articles_after"] == stored + 8


def test_the_bench_says_when_search_had_no_index_and_builds_one(pool, tmp_path: Path, capsys):
    from bench import make_warehouse
    from warehouse import Warehouse
    from warehouse.search import search

    wh = Warehouse(tmp_path / "lagebild.duckdb", lock_timeout=5)
    wh.initialise()
    for n, rows in enumerate(make_warehouse._batches(120, 60, 7, pool)):
        make_warehouse.load_batch(wh, rows, f"bench-{n}", pool.themes)
    target = tmp_path / "lagebild.duckdb"
    timings = {"search": {"p50": 1.0, "p95": 1.0, "max": 1.0}, "load_average": [0.0, 0.0, 0.0]}
    make_warehouse.print_timings(timings, target)
    assert "no search index beside the warehouse" in capsys.readouterr().out
    assert search(target, "Regierung", 5)[1] == "ilike"
    assert make_warehouse.build_search_index(target, say=print) == 120
    assert "search index: 120 articles" in capsys.readouterr().out
    make_warehouse.print_timings(timings, target)
    assert "no search index" not in capsys.readouterr().out
    found, method = search(target, "Regierung", 5)
    assert method == "fts" and not found.empty


def test_a_build_reports_its_progress_while_it_loads_and_folds(tmp_path: Path, monkeypatch):
    """A line per PROGRESS_S (and every 10 batches, or months): a slow machine is not left without news for
    minutes, neither while it loads nor while it folds the summaries month by month."""
    from bench import make_warehouse

    monkeypatch.setattr(make_warehouse, "PROGRESS_S", 0.0)
    lines: list[str] = []
    out = make_warehouse.generate(tmp_path / "w" / "lagebild.duckdb", articles=200, batch=50, pool_limit=20,
                                  say=lines.append, pool_dir=tmp_path / "pool")
    progress = [line for line in lines if "last load transaction" in line]
    assert out["articles"] == 200
    assert [line.split()[0] for line in progress] == ["50", "100", "150", "200"]
    folding = [line for line in lines if line.startswith("folding")]
    assert folding and folding[-1].startswith(f"folding: {out['fold_s']['months']} of {out['fold_s']['months']} months")
    # the figures stay beside the file, for `make bench` runs that reuse it
    assert make_warehouse.built_before(tmp_path / "w" / "lagebild.duckdb")["articles"] == 200


def test_every_dashboard_query_is_timed_on_the_kept_connection_and_on_new_ones(pool, tmp_path: Path):
    """`make bench`'s dashboard section times each query as the dashboard runs it (one connection kept open)
    and as a new connection would; the cases it calls raw-row reads are among those it times."""
    from bench import make_warehouse
    from bench.query_cases import RAW_ROWS
    from warehouse import Warehouse, kept_reader

    wh = Warehouse(tmp_path / "lagebild.duckdb", lock_timeout=5)
    wh.initialise()
    for n, rows in enumerate(make_warehouse._batches(60, 60, 7, pool)):
        make_warehouse.load_batch(wh, rows, f"bench-{n}", pool.themes)
    target = tmp_path / "lagebild.duckdb"
    kept = make_warehouse.time_queries(target, 2, kept_open=True)
    assert not kept_reader._enabled and not kept_reader._kept, "the kept connection is given up after the timing"
    fresh = make_warehouse.time_queries(target, 2)
    names = set(kept) - {"load_average"}
    assert names == set(fresh) - {"load_average"} and RAW_ROWS < names
    assert all(kept[name]["n"] == 2 and kept[name]["p95"] > 0 for name in names)
