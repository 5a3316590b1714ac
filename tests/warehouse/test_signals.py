"""Signal views of migration 008 on synthetic series with known spikes: rising actors and themes, new actors, roles."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from warehouse.summaries import refresh_summaries

START = date(2024, 1, 1)
SPIKE = START + timedelta(days=35)
# actor -> (articles per day before the spike, articles on the spike day)
SERIES = {"small": (3, 9), "big": (300, 900), "flat": (50, 50), "tiny": (1, 4), "dip": (40, 10)}


KEYS = {actor: n for n, actor in enumerate([*SERIES, "newcomer", "returner"], start=1)}  # their actor_key


def _day(con, day: date, actor: str, articles: int) -> None:
    con.execute("INSERT INTO actor_day (published_date, date_precision, is_copy, actor_id, actor_key, mentions, "
                "articles) VALUES (?, 'day', false, ?, ?, ?, ?)", [day, actor, KEYS[actor], articles, articles])


@pytest.fixture
def signals(warehouse):
    with warehouse.transaction() as con:
        for actor in [*SERIES, "newcomer", "returner"]:
            con.execute("INSERT INTO actors (actor_id, name, kind, origin) VALUES (?, ?, 'person', 'discovered')",
                        [actor, actor.title()])
        for i in range(36):
            day = START + timedelta(days=i)
            con.execute("INSERT INTO article_day (published_date, date_precision, is_copy, articles, mentions) "
                        "VALUES (?, 'day', false, 1000, 1000)", [day])
            for actor, (before, spike) in SERIES.items():
                _day(con, day, actor, spike if day == SPIKE else before)
        _day(con, SPIKE, "newcomer", 6)
        _day(con, START, "returner", 2)
        _day(con, SPIKE, "returner", 2)  # 35 days later: not gone long enough
    return warehouse


def test_spikes_rank_by_their_weight_not_their_ratio(signals):
    with signals.connect(read_only=True) as con:
        rows = con.execute("SELECT actor_id, articles, baseline, z, rising FROM actor_signals_day WHERE day = ? "
                           "ORDER BY z DESC", [SPIKE]).fetchall()
    by = {r[0]: r for r in rows}
    assert [r[0] for r in rows if r[4]] == ["big", "newcomer", "small"]
    assert by["big"][3] == pytest.approx(600 / 301 ** 0.5) and by["small"][3] == pytest.approx(3.0)
    assert by["big"][2] == pytest.approx(300) and not by["flat"][4]
    assert not by["tiny"][4] and by["tiny"][3] > 1  # a jump from 1 to 4 stays below the minimum count
    assert by["dip"][3] < 0 and not by["dip"][4]


def test_the_first_day_has_no_baseline(signals):
    with signals.connect(read_only=True) as con:
        first = con.execute("SELECT count(*), count(z), count(*) FILTER (WHERE rising) FROM actor_signals_day "
                            "WHERE day = ?", [START]).fetchone()
    assert first == (len(SERIES) + 1, 0, 0)


def test_weeks_compare_whole_weekly_counts_with_the_eight_weeks_before(signals):
    with signals.connect(read_only=True) as con:
        week = con.execute("SELECT actor_id, articles, rising FROM actor_signals_week WHERE week = "
                           "date_trunc('week', ?::DATE)::DATE ORDER BY z DESC", [SPIKE]).fetchall()
    # the spike's week holds only the spike day: 900 articles against 2,100 a week is no rise, 6 against 0 is
    assert [r[0] for r in week if r[2]] == ["newcomer"]
    assert {r[0]: r[1] for r in week}["big"] == 900


def test_newly_appearing_actors(signals):
    with signals.connect(read_only=True) as con:
        new = con.execute("SELECT actor_id, novelty FROM new_actors WHERE day = ?", [SPIKE]).fetchall()
        firsts = con.execute("SELECT count(*) FROM new_actors WHERE day = ?", [START]).fetchone()
    assert new == [("newcomer", "first")]
    assert firsts == (len(SERIES) + 1,)


def test_an_actor_returning_after_eight_weeks_is_new_again(signals):
    with signals.transaction() as con:
        _day(con, SPIKE + timedelta(days=60), "returner", 1)
    with signals.connect(read_only=True) as con:
        back = con.execute("SELECT previous_day, novelty FROM new_actors WHERE actor_id = 'returner' "
                           "ORDER BY day DESC LIMIT 1").fetchone()
    assert back == (SPIKE, "returning")


def test_an_actor_with_a_new_office_is_a_new_role(warehouse):
    offices = [("a1", date(2021, 11, 1), "Vizekanzler"), ("a2", date(2021, 12, 8), "Bundeskanzler"),
               ("a3", date(2021, 12, 9), "Bundeskanzler"), ("a4", date(2021, 12, 10), "Vizekanzler")]
    with warehouse.transaction() as con:
        con.execute("INSERT INTO actors (actor_id, name, kind, origin) VALUES ('olaf-scholz', 'Olaf Scholz', "
                    "'person', 'registry')")
        for aid, day, role in offices:
            con.execute("INSERT INTO articles (article_id, published_date, date_precision, title, body, source_file, "
                        "word_count, ingested_at) VALUES (?, ?, 'day', 'Scholz', 'Scholz', ?, 1, now())",
                        [aid, day, f"{aid}.txt"])
            con.execute("INSERT INTO mentions (article_id, actor_id, surface, sentence, start_char, end_char, method, "
                        "role) VALUES (?, 'olaf-scholz', 'Scholz', 0, 0, 6, 'alias', ?)", [aid, role])
        refresh_summaries(con)  # as the load step keeps them (new_roles reads actor_role_day)
    with warehouse.connect(read_only=True) as con:
        rows = con.execute("SELECT day, name, role, previous_role FROM new_roles").fetchall()
    assert rows == [(date(2021, 12, 8), "Olaf Scholz", "Bundeskanzler", "Vizekanzler")]  # once, when it began


def test_the_signals_of_a_period_are_the_rows_of_the_views_in_that_period(signals):
    """The Lage page asks the macros of migration 020 for one day or week; they read only the window before
    it, and must give exactly what the views (every day) give for those days."""
    with signals.transaction() as con:
        for later in (100, 200):  # back after 65 days (last seen on the spike day), then after 100
            _day(con, START + timedelta(days=later), "returner", 3)
        themes = ["steady", "spiking"]
        con.execute("INSERT INTO themes VALUES ('steady', 'Steady'), ('spiking', 'Spiking')")
        for i in range(36):  # one steady theme, one with a spike
            day = START + timedelta(days=i)
            con.execute("INSERT INTO theme_day VALUES (?, 'day', false, ?, 20), (?, 'day', false, ?, ?)",
                        [day, themes[0], day, themes[1], 60 if day == SPIKE else 4])
    monday = SPIKE - timedelta(days=SPIKE.weekday())
    periods = {"day": [(START, START), (SPIKE, SPIKE), (SPIKE - timedelta(days=3), SPIKE + timedelta(days=2)),
                       (START - timedelta(days=40), START + timedelta(days=80))],
               "week": [(monday, monday), (monday - timedelta(weeks=5), monday), (START, START)]}
    with signals.connect(read_only=True) as con:
        for grain, spans in periods.items():
            for what in ("actor", "theme"):
                for first, last in spans:
                    view = con.execute(f"SELECT * FROM {what}_signals_{grain} WHERE {grain} BETWEEN ? AND ? "
                                       "ORDER BY ALL", [first, last]).fetchall()
                    of_period = con.execute(f"SELECT * FROM {what}_signals_{grain}_in(?::DATE, ?::DATE) ORDER BY ALL",
                                            [first, last]).fetchall()
                    assert view == of_period, (what, grain, first, last)
                    rising = con.execute(f"SELECT * FROM {what}_rising_{grain}_in(?::DATE, ?::DATE) ORDER BY ALL",
                                         [first, last]).fetchall()
                    assert rising == [r for r in of_period if r[-1]], (what, grain, first, last)  # migration 023
                    if (what, grain, first) == ("theme", "day", SPIKE):
                        assert [r[1] for r in of_period if r[-1]] == [themes[1]]  # the spike rises
        returns = []
        for first, last in [*periods["day"], *((START + timedelta(days=d - 10), START + timedelta(days=d + 10))
                                               for d in (100, 200))]:
            view = con.execute("SELECT * FROM new_actors WHERE day BETWEEN ? AND ? ORDER BY ALL",
                               [first, last]).fetchall()
            assert view == con.execute("SELECT * FROM new_actors_in(?::DATE, ?::DATE) ORDER BY ALL",
                                       [first, last]).fetchall(), (first, last)
            returns += [(r[0] - START).days for r in view if r[-1] == "returning"]
    assert returns == [100, 200]


def _scans(plan: list[dict], table: str) -> list[str]:
    """The filters of every scan of `table` in a JSON plan (EXPLAIN (FORMAT JSON)), one string per scan."""
    found, todo = [], list(plan)
    while todo:
        node = todo.pop()
        info = node.get("extra_info", {})
        if "SCAN" in node.get("name", "") and info.get("Table", "").endswith(f".{table}"):
            filters = info.get("Filters", [])
            found.append(" AND ".join(filters) if isinstance(filters, list) else filters)
        todo += node.get("children", [])
    return found


@pytest.mark.parametrize("macro", ["actor_signals_day_in", "actor_signals_week_in", "theme_signals_day_in",
                                   "theme_signals_week_in", "new_actors_in", "actor_rising_day_in",
                                   "actor_rising_week_in"])
def test_the_macros_of_a_period_let_the_scan_skip_the_days_outside_their_window(signals, macro):
    """Their bounds are dates (a date minus days), so DuckDB filters published_date inside the table scan and
    skips row groups by their min/max. With `day - INTERVAL 28 DAY`, a timestamp, every date was cast before
    it was compared, and the whole table was read at every call (migration 023)."""
    import json

    with signals.transaction() as con:  # rows long before and after the window: the bounds then matter to DuckDB
        con.execute("INSERT INTO themes VALUES ('steady', 'Steady')")
        for day in (START - timedelta(days=400), SPIKE, START + timedelta(days=400)):
            if day != SPIKE:
                _day(con, day, "flat", 1)
            con.execute("INSERT INTO theme_day VALUES (?, 'day', false, 'steady', 3)", [day])
    with signals.connect(read_only=True) as con:
        row = con.execute(f"EXPLAIN (FORMAT JSON) SELECT * FROM {macro}(?::DATE, ?::DATE)", [SPIKE, SPIKE]).fetchone()
    scans = _scans(json.loads(row[1]), "theme_day" if macro.startswith("theme") else "actor_day")
    assert scans
    for filters in scans:
        assert "published_date" in filters and "::DATE" in filters, filters
        assert "CAST(published_date" not in filters, filters
