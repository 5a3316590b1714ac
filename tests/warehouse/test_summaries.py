"""warehouse/summaries.py: every summary table equals the counts of the raw rows (tests/summary_raw.py),
after loads, after reprocessing and after removing articles; the summary-backed queries answer as the raw
tables do."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from summary_raw import RAW, mismatches, stored
from wh_helpers import batch_of

from lagebild.parse import build_article, parse_date_value
from warehouse.queries import pairs, series
from warehouse.queries.filters import Filters
from warehouse.summaries import SUMMARIES, fold_summaries, refresh_summaries, remove_articles


def assert_summaries_match(warehouse) -> None:
    with warehouse.connect(read_only=True) as con:
        assert mismatches(con) == {}
        for s in SUMMARIES:  # merged summaries keep one row per key
            if not s.appended:
                keys = ", ".join(f'"{k}"' for k in s.keys)
                assert con.execute(f"SELECT count(*) FROM {s.table}").fetchone() == con.execute(
                    f"SELECT count(*) FROM (SELECT DISTINCT {keys} FROM {s.table})").fetchone(), s.table
    assert {s.table for s in SUMMARIES} == set(RAW)


def load_seeds_and_a_copy(warehouse, seed_articles, seed_enrichments, seed_themes, seed_settings):
    """The seeds in two batches, then a syndicated copy of the first seed in a third."""
    from lagebild.resources import enrich_with_defaults

    warehouse.commit_batch(batch_of("run-1", seed_articles[:3], seed_enrichments[:3], seed_themes))
    warehouse.commit_batch(batch_of("run-2", seed_articles[3:], seed_enrichments[3:], seed_themes))
    first = seed_articles[0]
    paragraphs = first.body.split("\n\n")[1:] + ["Die Agentur ergänzte die Meldung am Abend."]
    copy = build_article("copy.txt", first.title, paragraphs,
                         parse_date_value((first.published_date.replace(day=20)).isoformat(), "copy.txt"))
    warehouse.commit_batch(batch_of("run-3", [copy], enrich_with_defaults(seed_settings, [copy]), seed_themes))
    return warehouse


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, seed_articles, seed_enrichments, seed_themes, seed_settings):
    """Read by the tests below (one of them rebuilds the summaries, to the same rows)."""
    from warehouse import Warehouse

    wh = Warehouse(tmp_path_factory.mktemp("summaries") / "lagebild.duckdb", lock_timeout=5)
    wh.initialise()
    return load_seeds_and_a_copy(wh, seed_articles, seed_enrichments, seed_themes, seed_settings)


def test_summaries_equal_the_raw_counts_after_loads(loaded):
    assert_summaries_match(loaded)
    with loaded.connect(read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone() == (1,)
        for table in ("theme_day", "actor_theme_month", "role_count", "actor_pair_month", "actor_role_day"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
        assert con.execute("SELECT count(*) FROM actor_theme_month WHERE is_copy").fetchone()[0] > 0


def test_summaries_follow_reprocessing_and_removal(warehouse, seed_articles, seed_enrichments, seed_themes,
                                                   seed_settings):
    loaded = load_seeds_and_a_copy(warehouse, seed_articles, seed_enrichments, seed_themes, seed_settings)
    # reprocessing: the first seed loses half its mentions and its themes, the second gains nothing
    first = seed_enrichments[0]
    changed = replace(first, mentions=first.mentions[: len(first.mentions) // 2], themes=(), sentence_themes=())
    loaded.replace_enrichments([changed, seed_enrichments[1]], seed_themes)
    assert_summaries_match(loaded)
    # removing an article's counts (as before deleting its rows) leaves no rows of zero behind
    gone = seed_articles[2].article_id
    with loaded.transaction() as con:
        remove_articles(con, [gone])
        for table in ("sentences", "mentions", "article_themes", "sentence_themes", "quotes", "articles"):
            con.execute(f"DELETE FROM {table} WHERE article_id = ?", [gone])
    assert_summaries_match(loaded)
    # any other change to an article's rows: a recount of its days and months from the raw rows
    changed = seed_articles[3].article_id
    with loaded.transaction() as con:
        con.execute("DELETE FROM mentions WHERE article_id = ? AND sentence > 2", [changed])
        refresh_summaries(con, [changed])
    assert_summaries_match(loaded)
    with loaded.connect(read_only=True) as con:
        for s in SUMMARIES:
            zero = " AND ".join(f"{c} = 0" for c in s.counts)
            assert con.execute(f"SELECT count(*) FROM {s.table} WHERE {zero}").fetchone() == (0,), s.table


def test_a_full_refresh_rebuilds_what_the_batches_merged(loaded):
    with loaded.connect(read_only=True) as con:
        merged = {s.table: stored(con, s.table) for s in SUMMARIES}
        appended = con.execute("SELECT count(*) FROM actor_pair_month").fetchone()[0]
    assert appended > len(merged["actor_pair_month"])  # three batches appended rows of the same keys
    with loaded.transaction() as con:
        folded = fold_summaries(con)
    assert folded == {"actor_pair_month": (appended, len(merged["actor_pair_month"]))}
    with loaded.connect(read_only=True) as con:
        assert merged == {s.table: stored(con, s.table) for s in SUMMARIES}
    with loaded.transaction() as con:
        refresh_summaries(con)
    with loaded.connect(read_only=True) as con:
        assert merged == {s.table: stored(con, s.table) for s in SUMMARIES}
        assert con.execute("SELECT count(*) FROM actor_pair_month").fetchone()[0] == len(merged["actor_pair_month"])



def test_folding_month_by_month_keeps_the_counts_and_touches_only_those_months(
        warehouse, seed_articles, seed_enrichments, seed_themes, seed_settings):
    """The watcher folds one month per idle turn: that month's rows become one per key, the other months stay
    as they were, and after every month the table holds what `lagebild compact` would."""
    from warehouse.summaries import months_of_runs

    loaded = load_seeds_and_a_copy(warehouse, seed_articles, seed_enrichments, seed_themes, seed_settings)

    def rows_by_month(con):
        return dict(con.execute("SELECT month, count(*) FROM actor_pair_month GROUP BY ALL").fetchall())

    with loaded.connect(read_only=True) as con:
        counts = stored(con, "actor_pair_month")
        months = months_of_runs(con, ["run-1", "run-2", "run-3"])
        before = rows_by_month(con)
    assert months == sorted(before) and len(months) >= 2
    unfolded = [m for m in months if before[m] > len({r[2:4] + r[1:2] for r in counts if r[0] == m})]
    assert unfolded, "the three batches appended rows of the same keys"
    first, rest = unfolded[0], [m for m in months if m != unfolded[0]]
    with loaded.transaction() as con:
        (table, (was, now)), = fold_summaries(con, [first]).items()
    with loaded.connect(read_only=True) as con:
        after = rows_by_month(con)
        assert stored(con, "actor_pair_month") == counts
    assert (table, was) == ("actor_pair_month", before[first]) and now == after[first] < before[first]
    assert {m: after[m] for m in rest} == {m: before[m] for m in rest}
    with loaded.transaction() as con:
        fold_summaries(con, rest)
    with loaded.connect(read_only=True) as con:
        assert stored(con, "actor_pair_month") == counts
        assert con.execute("SELECT count(*) FROM actor_pair_month").fetchone()[0] == len(counts)


def _sorted(df, *by):
    return df.sort_values(list(by)).reset_index(drop=True)


@pytest.mark.parametrize("f", [Filters(), Filters(duplicates=True),
                               Filters(start=date(2022, 1, 1), end=date(2022, 12, 31), duplicates=True)])
def test_summary_backed_heatmap_and_theme_series_equal_the_raw_queries(loaded, f):
    target = loaded.target
    matrix = pairs.actor_theme_matrix(target, f, 12)
    assert not matrix.empty
    raw = pairs._raw_actor_theme_matrix(target, f, 12)
    assert _sorted(matrix, "actor_id", "theme_id").equals(_sorted(raw, "actor_id", "theme_id"))
    for grain in ("day", "week", "month"):
        themes = series.theme_series(target, grain, f)
        raw_themes = series._mention_theme_series(target, grain, f)
        assert _sorted(themes, "bucket", "theme_id").equals(_sorted(raw_themes, "bucket", "theme_id")), grain
    co = pairs.cooccurrence(target, f, 12)
    assert not co.empty
    raw_co = pairs._raw_cooccurrence(target, f, 12)
    assert _sorted(co, "actor_a", "actor_b").equals(_sorted(raw_co, "actor_a", "actor_b"))


def test_the_role_filter_reads_actor_role_day_as_the_mentions_answer(loaded):
    target = loaded.target
    with loaded.connect(read_only=True) as con:
        [(role,)] = con.execute("SELECT role FROM mentions WHERE role IS NOT NULL GROUP BY ALL "
                                "ORDER BY count(*) DESC, role LIMIT 1").fetchall()
        raw = con.execute("""SELECT actor_id, count(*), count(DISTINCT article_id) FROM mentions
                             JOIN articles USING (article_id) WHERE role = ? AND duplicate_of IS NULL
                             GROUP BY ALL ORDER BY 2 DESC, 1""", [role]).fetchall()
    f = Filters(roles=(role,))
    assert not f.needs_mentions and Filters(roles=(role, "x")).needs_mentions
    top = series.top_actors(target, f, 50)
    assert sorted(zip(top["actor_id"], top["mentions"], top["articles"], strict=True)) == sorted(raw)
    for grain in ("day", "week", "month"):
        summed = series.actor_series(target, grain, f, 5)
        mentions = series._mention_series(target, grain, replace(f, actors=tuple(summed["actor_id"].unique())))
        assert _sorted(summed, "bucket", "actor_id").equals(_sorted(mentions, "bucket", "actor_id")), grain


def test_the_overview_counts_come_from_the_summaries_and_equal_the_raw_rows(loaded):
    from warehouse.queries import lage
    from warehouse.status import build_status

    info = build_status(loaded.target)
    with loaded.connect(read_only=True) as con:
        articles, copies, newest, dated = con.execute(
            "SELECT count(*), count(duplicate_of), max(published_date), "
            "max(published_date) FILTER (WHERE date_precision <> 'month') FROM articles").fetchone()
        mentions = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
        in_year = con.execute("SELECT count(*) FROM articles WHERE date_precision <> 'month' "
                              "AND published_date BETWEEN DATE '2022-01-01' AND DATE '2022-12-31'").fetchone()[0]
    assert (info.counts["articles"], info.counts["mentions"], info.duplicates, info.newest_article) == (
        articles, mentions, copies, newest)
    assert copies == 1 and in_year > 0
    assert lage.latest_day(loaded.target) == dated
    assert lage.article_count(loaded.target, lage.Period(date(2022, 1, 1), date(2022, 12, 31), "week")) == in_year


def test_filter_options_and_month_only_from_the_summaries(loaded):
    target = loaded.target
    opts = series.filter_options(target)
    with loaded.connect(read_only=True) as con:
        roles = [r[0] for r in con.execute(
            "SELECT DISTINCT role FROM mentions WHERE role IS NOT NULL ORDER BY role").fetchall()]
        span = con.execute("SELECT min(published_date), max(published_date) FROM articles").fetchone()
        month_only = con.execute("SELECT count(*) FROM articles WHERE date_precision = 'month' "
                                 "AND duplicate_of IS NULL").fetchone()[0]
        theme = con.execute("SELECT theme_id FROM article_themes JOIN articles USING (article_id) "
                            "WHERE date_precision = 'month' LIMIT 1").fetchone()
    assert opts["roles"] == roles and [pd.Timestamp(opts["first"]), pd.Timestamp(opts["last"])] == [
        pd.Timestamp(span[0]), pd.Timestamp(span[1])]
    assert series.month_only(target, Filters()) == month_only
    if theme:
        with loaded.connect(read_only=True) as con:
            with_theme = con.execute(
                "SELECT count(*) FROM articles JOIN article_themes USING (article_id) WHERE theme_id = ? "
                "AND date_precision = 'month' AND duplicate_of IS NULL", [theme[0]]).fetchone()[0]
        assert series.month_only(target, Filters(themes=(theme[0],))) == with_theme


@pytest.mark.parametrize("months", [Filters(),
                                    Filters(start=date(2022, 1, 1), end=date(2022, 12, 31), duplicates=True)])
def test_one_theme_on_actors_and_one_actor_on_themes_by_month_equal_the_raw_queries(loaded, months):
    target = loaded.target
    with loaded.connect(read_only=True) as con:
        [(theme,)] = con.execute("SELECT theme_id FROM article_themes GROUP BY ALL ORDER BY count(*) DESC, 1 "
                                 "LIMIT 1").fetchall()
        [(actor,)] = con.execute("SELECT actor_id FROM mentions GROUP BY ALL ORDER BY count(*) DESC, 1 "
                                 "LIMIT 1").fetchall()
    f = replace(months, themes=(theme,))
    top = series.top_actors(target, f, 8)
    assert not top.empty and top.equals(series._mention_top_actors(target, f, 8))
    summed = series.actor_series(target, "month", f, 5)
    raw = series._mention_series(target, "month", replace(f, actors=tuple(top["actor_id"][:5])))
    assert not summed.empty and _sorted(summed, "bucket", "actor_id").equals(_sorted(raw, "bucket", "actor_id"))
    g = replace(months, actors=(actor,))
    themes = series.theme_series(target, "month", g)
    raw_themes = series._mention_theme_series(target, "month", g)
    assert not themes.empty and _sorted(themes, "bucket", "theme_id").equals(_sorted(raw_themes, "bucket", "theme_id"))
    # part of a month: the raw rows answer
    assert not series._one_theme_by_month(replace(f, start=date(2022, 1, 15)))


def test_lagebild_compact_folds_the_appended_pairs_of_a_duckdb_file(warehouse, seed_articles, seed_enrichments,
                                                                    seed_themes, seed_settings, capsys, monkeypatch):
    from cli.main import main

    loaded = load_seeds_and_a_copy(warehouse, seed_articles, seed_enrichments, seed_themes, seed_settings)
    with loaded.connect(read_only=True) as con:
        before = stored(con, "actor_pair_month")
        appended = con.execute("SELECT count(*) FROM actor_pair_month").fetchone()[0]
    monkeypatch.setenv("LAGEBILD_WAREHOUSE", str(loaded.target))
    assert main(["compact", "--data-dir", str(loaded.target.parent)]) == 0
    assert f"actor_pair_month: {appended} → {len(before)} rows" in capsys.readouterr().out
    with loaded.connect(read_only=True) as con:
        assert stored(con, "actor_pair_month") == before
        assert con.execute("SELECT count(*) FROM actor_pair_month").fetchone()[0] == len(before) < appended
        pairs_in_order = con.execute("SELECT actor_a, actor_b FROM actor_pair_month").fetchall()
        assert pairs_in_order == sorted(pairs_in_order)
        assert con.execute("SELECT task, status FROM maintenance_log").fetchall() == [("summary fold", "done")]
