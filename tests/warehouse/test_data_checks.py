"""warehouse/data_checks.py: each declared check catches a deliberately bad row and names itself."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from wh_helpers import batch_of

from warehouse.data_checks import DATA_CHECKS, STORED, DataCheckFailed, enforce
from warehouse.ducklake import portable_sql
from warehouse.schema import migrate

ARTICLE = ("""INSERT INTO articles (article_id, published_date, date_precision, title, body, source_file, word_count,
              ingested_at, article_key) VALUES (?, DATE '2022-01-19', 'day', 'T', 'T\n\nScholz traf Macron.', 'a.txt',
              4, now(), ?)""")
BREAK = {
    "articles once": ["INSERT INTO articles SELECT * FROM articles WHERE article_id = 'bad'"],
    "published dates": ["ALTER TABLE articles ALTER published_date DROP NOT NULL",
                        "UPDATE articles SET published_date = NULL WHERE article_id = 'bad'"],
    "known themes": ["INSERT INTO article_themes VALUES ('bad', 'erfunden', 1.0, [], 2)"],
    "offsets": ["INSERT INTO mentions VALUES ('bad', 'scholz', 'Scholz', 0, 3, 90, 'alias', NULL, false, 2, 1)"],
    "article numbers": ["INSERT INTO mentions VALUES ('bad', 'scholz', 'Scholz', 0, 3, 9, 'alias', NULL, false, 1, 1)"],
    "actor numbers": ["INSERT INTO mentions VALUES ('bad', 'scholz', 'Scholz', 0, 3, 9, 'alias', NULL, false, 2, 9)"],
}


@pytest.fixture
def con(tmp_path: Path):
    """A warehouse without key constraints (as DuckLake stores it), one good and one bad article."""
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        migrate(con, adapt=portable_sql)
        for key, aid in enumerate(("good", "bad"), start=1):
            con.execute(ARTICLE, [aid, key])
        con.execute("INSERT INTO themes VALUES ('diplomatie', 'Diplomatie')")
        con.execute("INSERT INTO article_themes VALUES ('good', 'diplomatie', 1.0, [], 1)")
        con.execute("INSERT INTO actor_keys VALUES ('scholz', 1)")
        con.execute("INSERT INTO mentions VALUES ('good', 'scholz', 'Scholz', 0, 3, 9, 'alias', NULL, false, 1, 1)")
        yield con


def test_every_check_is_tested() -> None:
    assert {c.name for c in DATA_CHECKS} == set(BREAK)


@pytest.mark.parametrize("name", list(BREAK))
def test_a_bad_row_is_caught_by_its_check_with_an_example(con, name: str):
    enforce(con)
    for sql in BREAK[name]:
        con.execute(sql)
    with pytest.raises(DataCheckFailed, match=f"data check '{name}' failed") as caught:
        enforce(con, ["bad"])
    assert caught.value.check == name and "bad" in caught.value.example
    enforce(con, ["good"])  # restricted to a batch, the check reads only the batch's rows
    with pytest.raises(DataCheckFailed):
        enforce(con)


def test_the_loaded_seed_articles_pass_every_check(warehouse, seed_articles, seed_enrichments, seed_themes):
    warehouse.commit_batch(batch_of("run-1", seed_articles, seed_enrichments, seed_themes))
    warehouse.check()
    with warehouse.connect(read_only=True) as con:
        assert {c.name: c.failures(con) for c in DATA_CHECKS} == {c.name: [] for c in DATA_CHECKS}


@pytest.mark.parametrize("name", [n for n in BREAK if n != "articles once"])  # that one reads the stored table
def test_a_check_reads_the_tables_it_is_given(con, name: str):
    """The load step hands the checks its staged rows (warehouse/load.py): a check reads those, not the stored."""
    for sql in BREAK[name]:
        con.execute(sql)
    given = {table: f"given_{table}" for table in STORED}
    for table, copy in given.items():
        con.execute(f"CREATE TEMP TABLE {copy} AS SELECT * FROM {table}")
    with pytest.raises(DataCheckFailed, match=f"data check '{name}' failed"):
        enforce(con, ["bad"], given)
    for copy in given.values():
        con.execute(f"DELETE FROM {copy} WHERE article_id = 'bad'")
    enforce(con, ["bad"], given)  # the bad row is only in the stored tables now
    with pytest.raises(DataCheckFailed):
        enforce(con, ["bad"])
