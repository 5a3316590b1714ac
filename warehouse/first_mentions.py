"""`actor_first_mentions` (migration 013): each actor's first mention, the one with the smallest
(article_id, start_char), with its sentence's text as the example that the Discovered actors list shows.

A minimum is kept like the summaries' counts (warehouse/summaries.py calls these with them), but it does
not add up: `add` keeps, per actor, the smaller of the stored first mention and the batch's (a small table:
one row per actor, never a scan of the mentions); `remove` (before an article's rows are deleted or
replaced) finds the next first mention, among the other articles' mentions, of the actors whose first
mention was in these articles; `refresh` recounts actors from the stored mentions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

EXAMPLE_CHARS = 300
TABLE = "actor_first_mentions"
_COLUMNS = "actor_id, article_id, start_char, sentence, example"


def _firsts(tables: Mapping[str, str], where: str) -> str:
    """SELECT of the first mention per actor among the rows of `tables` (mentions, sentences, articles) that
    `where` (over mentions `m`) keeps, with its example text."""
    return f"""WITH firsts AS (
                   SELECT m.actor_id, arg_min(m.article_id, (m.article_id, m.start_char)) AS article_id,
                          arg_min(m.start_char, (m.article_id, m.start_char)) AS start_char,
                          arg_min(m.sentence, (m.article_id, m.start_char)) AS sentence
                   FROM {tables["mentions"]} m WHERE {where} GROUP BY m.actor_id)
               SELECT f.actor_id, f.article_id, f.start_char, f.sentence,
                      substr(ar.body, s.start_char + 1, least(s.end_char - s.start_char, {EXAMPLE_CHARS})) AS example
               FROM firsts f
               LEFT JOIN (SELECT * FROM {tables["sentences"]} WHERE article_id IN (SELECT article_id FROM firsts)) s
                    ON s.article_id = f.article_id AND s.sentence = f.sentence
               LEFT JOIN (SELECT article_id, body FROM {tables["articles"]}
                          WHERE article_id IN (SELECT article_id FROM firsts)) ar ON ar.article_id = f.article_id"""


STORED = {t: t for t in ("mentions", "sentences", "articles")}


def add(con: Any, ids_table: str, tables: Mapping[str, str] = STORED) -> None:
    """Take the first mentions of the articles listed in `ids_table` (a table of article_id) into account:
    an actor without a row gets theirs, one whose stored first mention comes later gets it replaced."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _first_batch AS "
                f"{_firsts(tables, f'm.article_id IN (SELECT article_id FROM {ids_table})')}")
    con.execute(f"""DELETE FROM {TABLE} WHERE EXISTS (
                        SELECT 1 FROM _first_batch b WHERE b.actor_id = {TABLE}.actor_id
                        AND (b.article_id, b.start_char) < ({TABLE}.article_id, {TABLE}.start_char))""")
    con.execute(f"""INSERT INTO {TABLE} ({_COLUMNS}) SELECT {_COLUMNS} FROM _first_batch b
                    WHERE NOT EXISTS (SELECT 1 FROM {TABLE} x WHERE x.actor_id = b.actor_id)""")
    con.execute("DROP TABLE _first_batch")


def remove(con: Any, ids_table: str) -> None:
    """Before the rows of the articles in `ids_table` go: the actors whose first mention is in one of them
    get the first among the other articles' mentions (or no row, when they have none)."""
    others = f"m.article_id NOT IN (SELECT article_id FROM {ids_table})"
    _recount(con, f"SELECT actor_id FROM {TABLE} WHERE article_id IN (SELECT article_id FROM {ids_table})", others)


def refresh(con: Any, article_ids: Sequence[str] | None = None) -> None:
    """Recount from the stored mentions: every actor, or those mentioned in (or first mentioned in) these
    articles (after any other change to their rows)."""
    if article_ids is None:
        con.execute(f"DELETE FROM {TABLE}")
        con.execute(f"INSERT INTO {TABLE} ({_COLUMNS}) {_firsts(STORED, 'true')}")
        return
    if not article_ids:
        return
    con.execute("CREATE OR REPLACE TEMP TABLE _first_ids AS SELECT unnest(?::VARCHAR[]) AS article_id",
                [list(article_ids)])
    _recount(con, f"""SELECT actor_id FROM mentions WHERE article_id IN (SELECT article_id FROM _first_ids)
                      UNION SELECT actor_id FROM {TABLE} WHERE article_id IN (SELECT article_id FROM _first_ids)""",
             "true")
    con.execute("DROP TABLE _first_ids")


def _recount(con: Any, actors: str, where: str) -> None:
    """Replace the rows of the `actors` (a SELECT of actor_id) by their first mention among the stored
    mentions that `where` keeps."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _first_actors AS {actors}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _first_recount AS "
                f"{_firsts(STORED, f'{where} AND m.actor_id IN (SELECT actor_id FROM _first_actors)')}")
    con.execute(f"DELETE FROM {TABLE} WHERE actor_id IN (SELECT actor_id FROM _first_actors)")
    con.execute(f"INSERT INTO {TABLE} ({_COLUMNS}) SELECT {_COLUMNS} FROM _first_recount")
    con.execute("DROP TABLE _first_actors")
    con.execute("DROP TABLE _first_recount")
