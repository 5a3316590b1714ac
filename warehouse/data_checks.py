"""Data checks declared once: each is a named SQL query selecting the rows that break a rule.

The load step runs them for the batch's articles inside its transaction (a failure rolls the batch
back); `lagebild doctor` and the tests run them over the whole warehouse.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

IN_BATCH = "article_id IN (SELECT unnest($ids))"
# The tables a check reads, by the names its SQL gives them ({mentions}, …). The load step passes its staged
# tables (warehouse/load.py: the rows its transaction inserted) so that a batch's check reads only those.
STORED = {t: t for t in ("articles", "sentences", "mentions", "article_themes", "sentence_themes", "quotes")}


class DataCheckFailed(RuntimeError):
    """A declared data check found rows that break its rule."""

    def __init__(self, check: str, example: str, count: int) -> None:
        super().__init__(f"data check '{check}' failed: {count} row(s), e.g. {example}")
        self.check = check
        self.example = example
        self.count = count


Row = tuple[Any, ...]  # one offending row, as DuckDB returns it


@dataclass(frozen=True)
class DataCheck:
    """`sql` selects the offending rows; its `{scope}` is `true` or a filter on `article_id`, its {mentions},
    {articles}, … the tables it reads (`STORED`, or the load step's staged rows)."""

    name: str
    sql: str
    describe: Callable[[Row], str]

    def failures(self, con: duckdb.DuckDBPyConnection, article_ids: Sequence[str] | None = None,
                 tables: Mapping[str, str] = STORED) -> list[Row]:
        """The offending rows, of the whole warehouse or of these articles only."""
        if article_ids is None:
            return con.execute(self.sql.format(scope="true", **tables)).fetchall()
        if not article_ids:
            return []
        return con.execute(self.sql.format(scope=IN_BATCH, **tables), {"ids": list(article_ids)}).fetchall()


_BAD_OFFSETS = """
    WITH a AS (SELECT article_id, body FROM {articles} WHERE {scope})
    SELECT 'mentions', article_id, m.start_char, m.end_char FROM (SELECT * FROM {mentions} WHERE {scope}) m JOIN a
    USING (article_id)
    WHERE m.start_char < 0 OR m.end_char <= m.start_char OR m.end_char > length(a.body)
          OR substr(a.body, m.start_char + 1, m.end_char - m.start_char) <> m.surface
    UNION ALL
    SELECT 'quotes', article_id, q.start_char, q.end_char FROM (SELECT * FROM {quotes} WHERE {scope}) q JOIN a
    USING (article_id)
    WHERE q.start_char < 0 OR q.end_char < q.start_char OR q.end_char > length(a.body)
    UNION ALL
    SELECT 'sentences', article_id, s.start_char, s.end_char FROM (SELECT * FROM {sentences} WHERE {scope}) s JOIN a
    USING (article_id)
    WHERE s.start_char < 0 OR s.end_char < s.start_char OR s.end_char > length(a.body)
    ORDER BY 1, 2, 3"""  # each table filtered on its own: a batch's check reads the batch's rows, not every body

_UNKNOWN_THEMES = """
    SELECT 'article_themes', article_id, theme_id FROM {article_themes} t
    WHERE {scope} AND NOT EXISTS (SELECT 1 FROM themes x WHERE x.theme_id = t.theme_id)
    UNION ALL
    SELECT 'sentence_themes', article_id, theme_id FROM {sentence_themes} t
    WHERE {scope} AND NOT EXISTS (SELECT 1 FROM themes x WHERE x.theme_id = t.theme_id)
    ORDER BY 1, 2, 3"""

_ARTICLE_NUMBERS = """
    WITH a AS (SELECT article_id, article_key FROM {articles} WHERE {scope})
    SELECT 'articles', a.article_id, a.article_key FROM a LEFT JOIN articles x ON x.article_key = a.article_key
    GROUP BY ALL HAVING a.article_key IS NULL OR count(x.article_key) > 1
    UNION ALL
    SELECT r.tab, r.article_id, r.article_key FROM (
        SELECT 'sentences' AS tab, article_id, article_key FROM {sentences} WHERE {scope}
        UNION ALL SELECT 'mentions', article_id, article_key FROM {mentions} WHERE {scope}
        UNION ALL SELECT 'article_themes', article_id, article_key FROM {article_themes} WHERE {scope}
        UNION ALL SELECT 'sentence_themes', article_id, article_key FROM {sentence_themes} WHERE {scope}
        UNION ALL SELECT 'quotes', article_id, article_key FROM {quotes} WHERE {scope}) r
    LEFT JOIN a USING (article_id) WHERE r.article_key IS DISTINCT FROM a.article_key
    ORDER BY 1, 2"""  # the article's rows are read by its number (migration 021): it must be there, once

DATA_CHECKS: tuple[DataCheck, ...] = (
    DataCheck("articles once",  # always the stored table: a batch's articles must not be there before it
              "SELECT article_id, count(*) FROM articles WHERE {scope} GROUP BY ALL HAVING count(*) > 1 ORDER BY 1",
              lambda r: f"article {r[0]} stored {r[1]} times"),
    DataCheck("published dates",
              "SELECT article_id, source_file FROM {articles} WHERE {scope} AND published_date IS NULL ORDER BY 1",
              lambda r: f"article {r[0]} (from {r[1]!r}) has no published_date"),
    DataCheck("known themes", _UNKNOWN_THEMES,
              lambda r: f"{r[0]} of article {r[1]}: theme {r[2]!r} is not in themes"),
    DataCheck("offsets", _BAD_OFFSETS,
              lambda r: f"{r[0]} of article {r[1]}: offsets {r[2]}–{r[3]} do not fit the text"),
    DataCheck("article numbers", _ARTICLE_NUMBERS,
              lambda r: f"{r[0]} of article {r[1]}: article_key {r[2]} is missing, not the article's, or taken "
                        "by another article"),
    DataCheck("actor numbers",  # a mention is read by its actor's number too (migration 021)
              """SELECT m.article_id, m.actor_id, m.actor_key FROM {mentions} m LEFT JOIN actor_keys k USING (actor_id)
              WHERE {scope} AND m.actor_key IS DISTINCT FROM k.actor_key ORDER BY 1, 2""",
              lambda r: f"mention of {r[1]!r} in article {r[0]}: actor_key {r[2]} is not the actor's number"),
)


def check_by_name(name: str) -> DataCheck:
    return next(c for c in DATA_CHECKS if c.name == name)


def enforce(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str] | None = None,
            tables: Mapping[str, str] = STORED) -> None:
    """Run every data check (for these articles, or all, in `tables`); raise DataCheckFailed at the first
    failing one."""
    for check in DATA_CHECKS:
        rows = check.failures(con, article_ids, tables)
        if rows:
            raise DataCheckFailed(check.name, check.describe(rows[0]), len(rows))
