"""warehouse/schema.py: a warehouse left at any earlier schema version migrates to the latest with its data."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from warehouse.schema import applied_versions, current_version, latest_version, migrate, migrations
from warehouse.stories import key_day

VERSIONS = [m.version for m in migrations()]


def rows_valid_at(con: duckdb.DuckDBPyConnection, version: int) -> None:
    """A run, a logged file, an article with an actor, a mention, a sentence and a theme (all in 001);
    later tables get a row of their own once they exist."""
    con.execute("""INSERT INTO articles (article_id, published_date, date_precision, title, body, source_file,
                   word_count, ingested_at, run_id, enrich_version)
                   VALUES ('a1', DATE '2022-01-19', 'day', 'Titel', 'Titel\n\nScholz traf Macron.', 'a.txt',
                           4, TIMESTAMP '2022-01-20 10:00', 'r1', 'v1')""")
    numbered = ", 1" if version >= 21 else ""  # since 021 an article and its rows carry its number
    if numbered:
        con.execute("UPDATE articles SET article_key = 1")
    con.execute("INSERT INTO actors VALUES ('scholz', 'Olaf Scholz', 'person', 'DE', 'registry', NULL)")
    con.execute(f"INSERT INTO mentions VALUES ('a1', 'scholz', 'Scholz', 0, 7, 13, 'surname', NULL, false"
                f"{numbered}{numbered})")  # and the actor's number
    con.execute(f"INSERT INTO sentences VALUES ('a1', 0, 7, 27{numbered})")
    con.execute("INSERT INTO themes VALUES ('diplomatie', 'Diplomatie')")
    con.execute(f"INSERT INTO article_themes VALUES ('a1', 'diplomatie', 1.5, ['traf']{numbered})")
    con.execute("INSERT INTO ingest_runs (run_id, started_at, status, files, loaded, articles) "
                "VALUES ('r1', TIMESTAMP '2022-01-20 10:00', 'completed', 1, 1, 1)")
    con.execute("""INSERT INTO ingest_log (file, sha256, status, "at", run_id, article_id, destination)
                   VALUES ('a.txt', 'ff', 'loaded', TIMESTAMP '2022-01-20 10:00', 'r1', 'a1', '/archive/a.txt')""")
    key = ", 1" if version >= 19 else ""  # since 019 the actor summaries carry the actor's number
    if version >= 3:
        con.execute(f"INSERT INTO actor_day VALUES (DATE '2022-01-19', 'day', false, 'scholz'{key}, 1, 1)")
        con.execute("INSERT INTO article_day VALUES (DATE '2022-01-19', 'day', false, 1, 1)")
    if version >= 4:
        con.execute("INSERT INTO article_signatures VALUES ('a1', 'v1', [1, 2, 3])")
    if version >= 5:
        con.execute("INSERT INTO theme_day VALUES (DATE '2022-01-19', 'day', false, 'diplomatie', 1)")
        con.execute(f"INSERT INTO actor_theme_month VALUES (DATE '2022-01-01', false, 'scholz'{key}, 'diplomatie', "
                    "1, 1)")
    if version >= 8:
        keys = ("'g:genf p:scholz t:diplomatie w:titel'" if version >= 12  # a list before 012, unsorted here
                else "['p:scholz', 'g:genf', 't:diplomatie', 'w:titel']")
        member = (", 'Titel', DATE '2022-01-19', NULL, 'a.txt', [('scholz', NULL, 1)], ['diplomatie']"
                  if version >= 14 else "")
        con.execute("INSERT INTO story_articles VALUES ('a1', 'a1', DATE '2022-01-19', DATE '2022-01-19', "
                    f"{keys}{member})")
    if version >= 10:
        hashed = (", " + key_day('"key"', "first_day", "first_day < last_day")) if version >= 15 else ""  # since 015
        con.execute(f"""INSERT INTO story_keys SELECT *{hashed} FROM (VALUES
                        ('p:scholz', 'a1', DATE '2022-01-19', DATE '2022-01-19'),
                        ('w:titel', 'a1', DATE '2022-01-19', DATE '2022-01-19'))
                        k("key", article_id, first_day, last_day)""")
    if version >= 13:
        con.execute("INSERT INTO actor_methods VALUES ('scholz', 'surname', 1)")
        con.execute("INSERT INTO actor_first_mentions VALUES ('scholz', 'a1', 7, 0, 'Scholz traf Macron.')")
    if version >= 16:
        con.execute(f"INSERT INTO actor_month VALUES (DATE '2022-01-01', false, 'scholz'{key}, 1, 1)")
    if version >= 19:
        con.execute("INSERT INTO actor_keys VALUES ('scholz', 1)")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_warehouse_at_every_earlier_version_migrates_to_the_latest_keeping_its_rows(tmp_path: Path,
                                                                                      version: int):
    with duckdb.connect(str(tmp_path / "old.duckdb")) as con:
        assert migrate(con, upto=version) == VERSIONS[:VERSIONS.index(version) + 1]
        assert current_version(con) == version
        rows_valid_at(con, version)
    with duckdb.connect(str(tmp_path / "old.duckdb")) as con:
        assert migrate(con) == [v for v in VERSIONS if v > version]
        assert current_version(con) == latest_version()
        assert migrate(con) == []
        assert con.execute("SELECT name, surface, sentence_text FROM mention_sentences").fetchall() == [
            ("Olaf Scholz", "Scholz", "Scholz traf Macron.")]
        assert con.execute("SELECT theme_id, articles FROM themes_per_day").fetchall() == [("diplomatie", 1)]
        assert con.execute("SELECT status, loaded FROM ingest_runs").fetchall() == [("completed", 1)]
        assert con.execute("SELECT file, destination FROM ingest_log").fetchall() == [("a.txt", "/archive/a.txt")]
        # the summary tables hold the stored rows, whether they were kept since 003 or filled by it
        assert con.execute("SELECT actor_id, mentions, articles FROM actor_day").fetchall() == [("scholz", 1, 1)]
        assert con.execute("SELECT articles, mentions FROM article_day").fetchall() == [(1, 1)]
        assert con.execute("SELECT month::VARCHAR, actor_id, mentions, articles FROM actor_month").fetchall() == [
            ("2022-01-01", "scholz", 1, 1)]  # kept since 016, or filled by it from actor_day
        assert con.execute("SELECT theme_id, articles FROM theme_day").fetchall() == [("diplomatie", 1)]
        # since 019 the actor summaries carry each actor's number (kept, or given by 018 and 019)
        for table in ("actor_day", "actor_month", "actor_theme_month"):
            assert con.execute(f"SELECT d.actor_key = k.actor_key FROM {table} d JOIN actor_keys k USING (actor_id)"
                               ).fetchall() == [(True,)], table
        assert con.execute("SELECT actor_id, theme_id, mentions, articles FROM actor_theme_month").fetchall() == [
            ("scholz", "diplomatie", 1, 1)]
        # since 011 articles has no key: the whole row is kept, the load step keeps one row per id
        assert con.execute("SELECT article_id, title, word_count, run_id, enrich_version FROM articles").fetchall() == [
            ("a1", "Titel", 4, "r1", "v1")]
        # since 021 an article and its rows carry the article's number, in the order the articles were loaded
        assert con.execute("SELECT article_key FROM articles").fetchall() == [(1,)]
        for table in ("sentences", "mentions", "article_themes"):
            assert con.execute(f"SELECT article_id, article_key FROM {table}").fetchall() == [("a1", 1)], table
        assert con.execute("SELECT m.actor_key = k.actor_key FROM mentions m JOIN actor_keys k USING (actor_id)"
                           ).fetchall() == [(True,)]
        assert "PRIMARY KEY" not in {r[0] for r in con.execute(
            "SELECT constraint_type FROM duckdb_constraints() WHERE table_name = 'articles'").fetchall()}
        # the keys an article is looked up by, kept since 010 or filled by it (persons, organisations, title words)
        assert con.execute('SELECT "key", article_id FROM story_keys ORDER BY ALL').fetchall() == (
            [("p:scholz", "a1"), ("w:titel", "a1")] if version >= 8 else [])
        # since 012 a member's keys are one string, sorted and separated by spaces
        assert con.execute("SELECT keys FROM story_articles").fetchall() == (
            [("g:genf p:scholz t:diplomatie w:titel",)] if version >= 8 else [])
        # since 014 a member carries its article's title, date, source, actors and themes
        assert con.execute("SELECT title, published_date::VARCHAR, duplicate_of, source, actors, themes "
                           "FROM story_articles").fetchall() == (
            [("Titel", "2022-01-19", None, "a.txt", [{"actor_id": "scholz", "role": None, "mentions": 1}],
              ["diplomatie"])] if version >= 8 else [])


def test_a_failing_migration_leaves_the_earlier_version_intact(tmp_path: Path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        migrate(con, upto=1)
        con.execute("CREATE TABLE actor_day (x INTEGER)")  # migration 003 cannot create it now
        with pytest.raises(duckdb.CatalogException):
            migrate(con)
        assert current_version(con) == 2
        assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'article_day'"
                           ).fetchone()[0] == 0



def test_a_migration_applied_by_another_process_after_the_versions_were_read_is_skipped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Services starting together (docker compose) migrate one catalog at once: one reads the applied
    versions, the other applies 012 (story keys become text) and commits, then the first must not run
    012's SQL again (it would meet the text column: list_sort(VARCHAR) does not exist)."""
    from warehouse import schema

    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        migrate(con, upto=11)
        stale = applied_versions(con)  # what the slower process read
        migrate(con, upto=12)  # the faster one applied 012 meanwhile
        monkeypatch.setattr(schema, "applied_versions", lambda _con: stale)
        assert migrate(con) == [v for v in (m.version for m in migrations()) if v > 12]
        assert con.execute("SELECT count(*) FROM schema_migrations WHERE version = 12").fetchone() == (1,)


def test_a_migration_numbered_below_the_highest_applied_one_still_runs_once(tmp_path: Path):
    """A warehouse migrated while 006 did not exist yet (the numbers were taken out of order) gets it later."""
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        migrate(con)
        con.execute("DROP TABLE maintenance_log")
        con.execute("DELETE FROM schema_migrations WHERE version = 6")
        assert current_version(con) == latest_version()
        assert migrate(con) == [6]
        assert con.execute("SELECT count(*) FROM maintenance_log").fetchone() == (0,)
        assert migrate(con) == []


def test_migration_009_fills_the_pair_and_role_summaries_of_an_existing_warehouse(tmp_path: Path):
    from summary_raw import RAW

    with duckdb.connect(str(tmp_path / "old.duckdb")) as con:
        migrate(con, upto=8)
        rows_valid_at(con, 8)
        con.execute("INSERT INTO actors VALUES ('macron', 'Emmanuel Macron', 'person', 'FR', 'registry', NULL)")
        con.execute("INSERT INTO mentions VALUES ('a1', 'macron', 'Macron', 0, 18, 24, 'surname', "
                    "'Staatspräsident', false)")
        assert migrate(con) == [v for v in VERSIONS if v > 8]
        for table in ("actor_pair_month", "actor_role_day"):
            assert sorted(con.execute(f"SELECT * FROM {table}").fetchall()) == sorted(
                con.execute(RAW[table]).fetchall()), table
        assert con.execute("SELECT ka.actor_id, kb.actor_id, articles FROM actor_pair_month "
                           "JOIN actor_keys ka ON ka.actor_key = key_lo "
                           "JOIN actor_keys kb ON kb.actor_key = key_hi ORDER BY ALL").fetchall() in (
            [("macron", "scholz", 1)], [("scholz", "macron", 1)])
        assert con.execute("SELECT actor_id, role, mentions, articles FROM actor_role_day").fetchall() == [
            ("macron", "Staatspräsident", 1, 1)]
        assert con.execute("SELECT actor_id, role, previous_role FROM new_roles").fetchall() == []


def test_migration_013_fills_the_discovered_actors_summaries_of_an_existing_warehouse(tmp_path: Path):
    from summary_raw import FIRST_MENTIONS, RAW

    with duckdb.connect(str(tmp_path / "old.duckdb")) as con:
        migrate(con, upto=12)
        rows_valid_at(con, 12)
        con.execute("INSERT INTO mentions VALUES ('a1', 'scholz', 'Scholz', 0, 0, 6, 'ner', NULL, false)")
        assert migrate(con) == [v for v in VERSIONS if v > 12]
        assert sorted(con.execute("SELECT * FROM actor_methods").fetchall()) == sorted(
            con.execute(RAW["actor_methods"]).fetchall()) != []
        assert sorted(con.execute("SELECT * FROM actor_first_mentions").fetchall()) == sorted(
            con.execute(FIRST_MENTIONS).fetchall()) != []


def test_migration_010_fills_story_keys_of_an_existing_warehouse_as_the_load_step_writes_them(tmp_path: Path,
                                                                                           seed_articles,
                                                                                           seed_enrichments,
                                                                                           seed_themes):
    """The seeds loaded by the load step of version 9, migrated: story_keys holds what loading them now writes."""
    from wh_helpers import batch_of

    from warehouse import Warehouse

    def keys(path: Path) -> list[tuple]:
        with duckdb.connect(str(path), read_only=True) as con:
            return sorted(con.execute('SELECT "key", article_id, first_day, last_day, key_day '
                                      'FROM story_keys').fetchall())

    fresh = Warehouse(tmp_path / "fresh.duckdb", lock_timeout=5)
    fresh.initialise()
    fresh.commit_batch(batch_of("r", seed_articles, seed_enrichments, seed_themes))
    old = tmp_path / "old.duckdb"
    shutil.copy(fresh.target, old)
    with duckdb.connect(str(old)) as con:  # the same rows at version 9 (whose keys were a list, until 012)
        con.execute("DROP TABLE story_keys")
        con.execute("ALTER TABLE story_articles ALTER keys TYPE VARCHAR[] USING string_split(keys, ' ')")
        for column in ("title", "published_date", "duplicate_of", "source", "actors", "themes"):  # since 014
            con.execute(f"ALTER TABLE story_articles DROP COLUMN {column}")
        con.execute("DELETE FROM schema_migrations WHERE version IN (10, 12, 14, 15)")
    with duckdb.connect(str(old)) as con:
        assert 10 not in applied_versions(con)
        # 014 fills each member's rows, 015 each key's number, as the load step writes them
        assert migrate(con) == [10, 12, 14, 15]
    assert keys(old) == keys(Path(fresh.target)) and len({r[1] for r in keys(old)}) == 5
    members = "SELECT * FROM story_articles ORDER BY ALL"
    with duckdb.connect(str(old), read_only=True) as a, duckdb.connect(str(fresh.target), read_only=True) as b:
        assert a.execute(members).fetchall() == b.execute(members).fetchall()


def test_migration_017_counts_the_stories_of_an_existing_warehouse_as_the_load_step_adds_them(
        tmp_path: Path, seed_articles, seed_enrichments, seed_themes):
    """The seeds loaded one batch each (stories form and merge) by the load step of version 16, migrated: the
    story counts and rows hold what adding each batch to them now writes."""
    from wh_helpers import batch_of

    from warehouse import Warehouse

    fresh = Warehouse(tmp_path / "fresh.duckdb", lock_timeout=5)
    fresh.initialise()
    for i, (a, e) in enumerate(zip(seed_articles, seed_enrichments, strict=True)):
        fresh.commit_batch(batch_of(f"r{i}", [a], [e], seed_themes))
    old = tmp_path / "old.duckdb"
    shutil.copy(fresh.target, old)
    with duckdb.connect(str(old)) as con:  # the same rows at version 16
        for column in ("title_from", "actor_counts", "theme_counts"):
            con.execute(f"ALTER TABLE stories DROP COLUMN {column}")
        con.execute("DELETE FROM schema_migrations WHERE version = 17")
    with duckdb.connect(str(old)) as con:
        assert migrate(con) == [17]
    with duckdb.connect(str(old), read_only=True) as a, duckdb.connect(str(fresh.target), read_only=True) as b:
        rows = "SELECT * FROM stories ORDER BY ALL"
        assert a.execute(rows).fetchall() == b.execute(rows).fetchall() != []
