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
from warehouse.stories import refresh_story_rows
from warehouse.summaries import SUMMARIES, add_articles, fold_summaries, refresh_summaries, remove_articles


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
        story = con.execute("SELECT story_id FROM story_articles WHERE article_id = ?", [gone]).fetchone()[0]
        for table in ("sentences", "mentions", "article_themes", "sentence_themes", "quotes", "articles",
                      "story_articles", "story_keys"):
            con.execute(f"DELETE FROM {table} WHERE article_id = ?", [gone])
        refresh_story_rows(con, [story])  # the story without it (or gone with it)
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
    appended = [s.table for s in SUMMARIES if s.appended]
    assert {"actor_day", "actor_theme_month", "actor_role_day", "actor_pair_month"} <= set(appended)
    with loaded.connect(read_only=True) as con:
        merged = {s.table: stored(con, s.table) for s in SUMMARIES}
        rows = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in appended}
    assert rows["actor_pair_month"] > len(merged["actor_pair_month"])  # three batches appended rows of the same keys
    assert rows["actor_day"] > len(merged["actor_day"])  # the copy's actors on its day, in another batch
    with loaded.transaction() as con:
        folded = fold_summaries(con)
    assert folded == {t: (rows[t], len(merged[t])) for t in appended}
    with loaded.connect(read_only=True) as con:
        assert merged == {s.table: stored(con, s.table) for s in SUMMARIES}
    with loaded.transaction() as con:
        refresh_summaries(con)
    with loaded.connect(read_only=True) as con:
        assert merged == {s.table: stored(con, s.table) for s in SUMMARIES}
        for t in appended:
            assert con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] == len(merged[t]), t


def test_folding_month_by_month_keeps_the_counts_and_touches_only_those_months(
        warehouse, seed_articles, seed_enrichments, seed_themes, seed_settings):
    """The watcher folds one month per idle turn: that month's rows become one per key, the other months stay
    as they were, and after every month the table holds what `lagebild compact` would."""
    from warehouse.summaries import months_of_runs

    loaded = load_seeds_and_a_copy(warehouse, seed_articles, seed_enrichments, seed_themes, seed_settings)

    appended = [s for s in SUMMARIES if s.appended]

    def rows_by_month(con):  # (table, month) -> rows
        return {(s.table, m): n for s in appended for m, n in con.execute(
            f"SELECT date_trunc('month', \"{s.period}\")::DATE, count(*) FROM {s.table} GROUP BY ALL").fetchall()}

    with loaded.connect(read_only=True) as con:
        counts = {s.table: stored(con, s.table) for s in appended}
        months = months_of_runs(con, ["run-1", "run-2", "run-3"])
        before = rows_by_month(con)
    assert months == sorted({m for _, m in before}) and len(months) >= 2
    pairs = {m: n for (t, m), n in before.items() if t == "actor_pair_month"}
    unfolded = [m for m in months if pairs[m] > len({r[1:4] for r in counts["actor_pair_month"] if r[0] == m})]
    assert unfolded, "the three batches appended rows of the same keys"
    first, rest = unfolded[0], [m for m in months if m != unfolded[0]]
    with loaded.transaction() as con:
        folded = fold_summaries(con, [first])
    with loaded.connect(read_only=True) as con:
        after = rows_by_month(con)
        assert {s.table: stored(con, s.table) for s in appended} == counts
    assert folded == {s.table: (before[s.table, first], after[s.table, first]) for s in appended}
    assert after["actor_pair_month", first] < before["actor_pair_month", first]
    assert {k: n for k, n in after.items() if k[1] != first} == {k: n for k, n in before.items() if k[1] != first}
    with loaded.transaction() as con:
        fold_summaries(con, rest)
    with loaded.connect(read_only=True) as con:
        for s in appended:
            assert stored(con, s.table) == counts[s.table]
            assert con.execute(f"SELECT count(*) FROM {s.table}").fetchone()[0] == len(counts[s.table]), s.table


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


def test_the_cooccurrence_of_chosen_actors_never_mentioned_is_empty(loaded):
    with loaded.connect(read_only=True) as con:
        known = con.execute("SELECT actor_id FROM actor_keys ORDER BY actor_key LIMIT 1").fetchone()[0]
    assert pairs.cooccurrence(loaded.target, Filters(actors=("niemand", "keiner")), 12).empty
    assert pairs.cooccurrence(loaded.target, Filters(actors=(known, "niemand")), 12).empty


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
        pairs_in_order = con.execute("SELECT key_hi, key_lo FROM actor_pair_month").fetchall()
        assert pairs_in_order == sorted(pairs_in_order)  # an actor's pairs with those more mentioned lie together
        assert con.execute("SELECT task, status FROM maintenance_log").fetchall() == [("summary fold", "done")]


def test_every_dashboard_query_answers_the_same_on_appended_and_on_folded_summaries(warehouse, seed_articles,
                                                                                    seed_themes, seed_settings):
    """The load step appends its counts to the actor summaries (several rows per key until they are folded):
    every question of the dashboard, the Lage page and the signal views gives the same answer either way."""
    from pathlib import Path

    from bench.query_cases import query_cases
    from lagebild.resources import enrich_with_defaults
    from warehouse.queries import lage

    days = ["2022-01-20", "2022-01-20", "2022-01-20", "2022-01-21", "2022-01-21"]  # shared days, one batch each
    articles = [build_article(f"day-{n}.txt", a.title, a.body.split("\n\n")[1:], parse_date_value(d, "test"))
                for n, (a, d) in enumerate(zip(seed_articles, days, strict=True))]
    for n, (a, e) in enumerate(zip(articles, enrich_with_defaults(seed_settings, articles), strict=True)):
        warehouse.commit_batch(batch_of(f"run-{n}", [a], [e], seed_themes))
    with warehouse.transaction() as con:  # reprocessed unchanged: actor_mentions gets its keys twice more
        remove_articles(con, [articles[0].article_id])
        add_articles(con, [articles[0].article_id])
    target = Path(warehouse.target)
    with warehouse.connect(read_only=True) as con:
        for s in SUMMARIES:
            if s.appended:
                keys = ", ".join(f'"{k}"' for k in s.keys)
                rows, distinct = con.execute(f"SELECT count(*), (SELECT count(*) FROM (SELECT DISTINCT {keys} "
                                             f"FROM {s.table})) FROM {s.table}").fetchone()
                assert rows > distinct, f"{s.table}: batches appended rows of the same keys"
        role = con.execute("SELECT role FROM role_count ORDER BY mentions DESC LIMIT 1").fetchone()[0]
        actor = con.execute("SELECT actor_id FROM actor_day GROUP BY ALL ORDER BY sum(mentions) DESC, actor_id "
                            "LIMIT 1").fetchone()[0]

    def answers():
        cases = query_cases(target)
        cases.pop("ingest_files")  # lists the files with their load times, not counts
        january = Filters(start=date(2022, 1, 1), end=date(2022, 1, 31))
        day, week = lage.Period.of(date(2022, 1, 21), "day"), lage.Period.of(date(2022, 1, 21), "week")
        cases |= {
            "actor_series day january": lambda: series.actor_series(target, "day", january, 10),
            "actor_series week role": lambda: series.actor_series(target, "week", Filters(roles=(role,)), 10),
            "actor_series month theme": lambda: series.actor_series(
                target, "month", Filters(themes=(seed_themes[0][0],)), 10),
            "theme_series month actor": lambda: series.theme_series(target, "month", Filters(actors=(actor,))),
            "top_actors role": lambda: series.top_actors(target, Filters(roles=(role,)), 10),
            **{f"{what} {p.grain} {name}": (lambda f=f, what=what, p=p: f(target, what, p))
               for what in ("actor", "theme") for p in (day, week)
               for name, f in (("rising", lage.rising),)},
            **{f"sparklines {what} {p.grain}": (lambda what=what, p=p: lage.sparklines(
                target, what, [actor] if what == "actor" else [t for t, _ in seed_themes], p))
               for what in ("actor", "theme") for p in (day, week)},
            "new_actors": lambda: lage.new_actors(target, week),
            "new_roles": lambda: lage.new_roles(target, lage.Period(date(2022, 1, 1), date(2022, 1, 31), "day")),
            "signal views": lambda: [pairs_or_frame(target, f"SELECT * FROM {view} ORDER BY ALL")
                                     for view in ("actor_signals_day", "actor_signals_week", "theme_signals_day",
                                                  "theme_signals_week", "new_actors")],
        }
        return {name: call() for name, call in cases.items()}

    unfolded = answers()
    assert len(unfolded["top_actors"]) > 0 and len(unfolded["actor_series day january"]) > 0
    with warehouse.transaction() as con:
        fold_summaries(con)
    folded = answers()
    for name, answer in unfolded.items():
        assert _same(answer, folded[name]), name


def pairs_or_frame(target, sql):
    from warehouse.queries.read import frame

    return frame(target, sql)


def _plain(x):
    """An answer as plain values: frames as their rows, dataclasses as dicts (both recursively)."""
    import dataclasses

    if isinstance(x, pd.DataFrame):
        return (list(x.columns), x.astype(object).where(x.notna(), None).values.tolist())
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {f.name: _plain(getattr(x, f.name)) for f in dataclasses.fields(x)}
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_plain(v) for v in x]
    return x


def _same(a, b) -> bool:
    return _plain(a) == _plain(b)
