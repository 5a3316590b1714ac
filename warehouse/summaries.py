"""Summary tables behind the dashboard (migrations 003, 005, 009, 013, 016, 019 and 022), kept by the writer in
its transaction.

| table | one row per | counts |
|---|---|---|
| `actor_day` | day, date precision, copy flag, actor | mentions, articles |
| `article_day` | day, date precision, copy flag | articles, mentions |
| `theme_day` | day, date precision, copy flag, theme | articles |
| `actor_theme_month` | month, copy flag, actor, theme | mentions, articles |
| `role_count` | mention role | mentions |
| `actor_pair_month` | month, copy flag, actor pair by `actor_keys` (key_lo < key_hi) | articles |
| `actor_role_day` | day, date precision, copy flag, actor, role | mentions, articles |
| `actor_methods` | actor, how its mentions were found (`mentions.method`) | mentions |
| `actor_month` | month, copy flag, actor | mentions, articles |
| `actor_mentions` | month, copy flag, day, precision, actor number, role, article, sentence (bounds), span | mentions |

and `actor_first_mentions` (migration 013, warehouse/first_mentions.py), each actor's first mention, and
`actor_keys` (migration 018), the number of each mentioned actor (`add_actor_keys`). The actor tables keyed
by day or month carry that number beside the actor id (migration 019), and their folded months are stored
by it, so that a read of a few actors skips the blocks of rows without their numbers.

Every count is a sum over articles, and an article has one date, so a batch's counts add to the rows with the
same keys. The large tables (`actor_day`, `actor_theme_month`, `actor_role_day`, `actor_pair_month`,
`actor_month`, `actor_mentions`) are **appended**: `add_articles(con, ids)`, the load step after its inserts,
writes the counts of its new articles as new rows; several rows of one key add up and every reader sums them,
so the load step never reads or rewrites a stored row and its cost does not grow with the table (merging the
touched keys of `actor_day`, `actor_theme_month` and `actor_role_day` took ~0.3 s of every transaction at
250,000 generated articles, and growing). `fold_summaries` folds them to one row per key, off the load path
(the watcher when idle, month by month, and `lagebild compact`). The small tables (`article_day`, `theme_day`,
`role_count`, `actor_methods`) are merged: the rows of the keys a batch touches are rewritten. Reprocessing
calls `remove_articles` before it deletes the old enrichment rows and `add_articles` after inserting the new
ones; a removal rewrites the touched keys of every table (so every stored count stays positive: a day an actor
appears on is a row with counts), except in `actor_pair_month`, several times the mention rows, and
`actor_mentions`, where it appends negative counts (`signed`; their readers drop keys whose counts add up to
zero).
`refresh_summaries(con, ids)` instead recounts the days and months of these articles from the raw rows
(right after any change to them, at the cost of reading those days), and `refresh_summaries(con)`
recounts everything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from warehouse import first_mentions, stories


@dataclass(frozen=True)
class Summary:
    """A summary table: its key and count columns, and the SELECT that computes them from raw rows."""

    table: str
    keys: tuple[str, ...]
    counts: tuple[str, ...]
    select: str  # {ids}: a condition on `article_id` that picks the articles counted
    period: str | None  # the key that holds the date ('published_date' or 'month'); None: no date key
    appended: bool = False  # a batch appends its counts (several rows per key add up; readers sum)
    signed: bool = False  # appended, and a removal appends negative counts instead of rewriting the keys
    fold_order: tuple[str, ...] = ()  # the order `fold_summaries` stores a folded period in, SQL over its
    # columns (default: its keys)


_DAY = "ar.published_date, ar.date_precision, ar.duplicate_of IS NOT NULL"
_MONTH = "date_trunc('month', ar.published_date)::DATE, ar.duplicate_of IS NOT NULL"
# a folded month of a daily actor summary, stored by the actors' numbers (migration 019): a chart's few
# actors are a few runs of rows in each month, and DuckDB skips the blocks of rows without their numbers
_DAY_BY_KEY = ("date_trunc('month', published_date)", "actor_key", "published_date", "date_precision", "is_copy")

SUMMARIES: tuple[Summary, ...] = (
    Summary("actor_day", ("published_date", "date_precision", "is_copy", "actor_id", "actor_key"),
            ("mentions", "articles"),
            f"""SELECT {_DAY}, m.actor_id, k.actor_key, count(*), count(DISTINCT m.article_id)
                FROM {{mentions}} m JOIN {{articles}} ar USING (article_id) JOIN actor_keys k USING (actor_id)
                WHERE m.{{ids}} GROUP BY ALL""",
            "published_date", appended=True, fold_order=_DAY_BY_KEY),
    Summary("article_day", ("published_date", "date_precision", "is_copy"), ("articles", "mentions"),
            f"""SELECT {_DAY}, count(*), coalesce(sum(mc.n), 0)
                FROM {{articles}} ar LEFT JOIN (SELECT article_id, count(*) AS n FROM {{mentions}} WHERE {{ids}}
                                            GROUP BY ALL) mc USING (article_id)
                WHERE ar.{{ids}} GROUP BY ALL""", "published_date"),
    Summary("theme_day", ("published_date", "date_precision", "is_copy", "theme_id"), ("articles",),
            f"""SELECT {_DAY}, t.theme_id, count(*)
                FROM {{article_themes}} t JOIN {{articles}} ar USING (article_id) WHERE t.{{ids}} GROUP BY ALL""",
            "published_date"),
    Summary("actor_theme_month", ("month", "is_copy", "actor_id", "actor_key", "theme_id"), ("mentions", "articles"),
            f"""SELECT {_MONTH}, m.actor_id, k.actor_key, t.theme_id, sum(m.n), count(*)
                FROM (SELECT article_id, actor_id, count(*) AS n FROM {{mentions}} WHERE {{ids}} GROUP BY ALL) m
                JOIN {{article_themes}} t USING (article_id) JOIN {{articles}} ar USING (article_id)
                JOIN actor_keys k USING (actor_id) GROUP BY ALL""",
            "month", appended=True, fold_order=('"month"', "actor_key", "theme_id", "is_copy")),
    Summary("role_count", ("role",), ("mentions",),
            "SELECT role, count(*) FROM {mentions} WHERE role IS NOT NULL AND {ids} GROUP BY ALL", None),
)

# migration 009: co-occurring actor pairs per month, mention roles per actor and day; the pairs by the actors'
# numbers (migration 018, `add_actor_keys`)
_PAIRS = ("(SELECT DISTINCT m.article_id, k.actor_key FROM {mentions} m JOIN actor_keys k USING (actor_id) "
          "WHERE m.{ids})")
SUMMARIES += (
    Summary("actor_pair_month", ("month", "is_copy", "key_lo", "key_hi"), ("articles",),
            f"""SELECT {_MONTH}, x.actor_key, y.actor_key, count(*)
                FROM {_PAIRS} x JOIN {_PAIRS} y ON x.article_id = y.article_id AND x.actor_key < y.actor_key
                JOIN {{articles}} ar ON ar.article_id = x.article_id GROUP BY ALL""", "month", appended=True,
            signed=True, fold_order=("key_hi", "key_lo", '"month"', "is_copy")),
    Summary("actor_role_day", ("published_date", "date_precision", "is_copy", "actor_id", "actor_key", "role"),
            ("mentions", "articles"),
            f"""SELECT {_DAY}, m.actor_id, k.actor_key, m.role, count(*), count(DISTINCT m.article_id)
                FROM {{mentions}} m JOIN {{articles}} ar USING (article_id) JOIN actor_keys k USING (actor_id)
                WHERE m.role IS NOT NULL AND m.{{ids}} GROUP BY ALL""", "published_date", appended=True,
            fold_order=(*_DAY_BY_KEY, "role")),
    # migration 013: how each actor's mentions were found (the Discovered actors list)
    Summary("actor_methods", ("actor_id", "method"), ("mentions",),
            'SELECT actor_id, "method", count(*) FROM {mentions} WHERE {ids} GROUP BY ALL', None),
    # migration 022: each mention by month and the actor's number, with its sentence's bounds (the sentence
    # drill-down)
    Summary("actor_mentions", ("month", "is_copy", "published_date", "date_precision", "actor_key", "role",
                               "article_key", "sentence", "sentence_start", "sentence_end", "start_char",
                               "end_char"), ("mentions",),
            f"""SELECT {_MONTH}, ar.published_date, ar.date_precision, k.actor_key, m.role, m.article_key, m.sentence,
                       s.start_char, s.end_char, m.start_char, m.end_char, count(*)
                FROM {{mentions}} m JOIN {{articles}} ar USING (article_id) JOIN actor_keys k USING (actor_id)
                JOIN {{sentences}} s ON s.article_id = m.article_id AND s.sentence = m.sentence
                WHERE m.{{ids}} GROUP BY ALL""",
            "month", appended=True, signed=True,
            fold_order=('"month"', "actor_key", "published_date", "article_key", "sentence", "start_char")),
    # migration 016: each actor per month (the questions over whole months)
    Summary("actor_month", ("month", "is_copy", "actor_id", "actor_key"), ("mentions", "articles"),
            f"""SELECT {_MONTH}, m.actor_id, k.actor_key, count(*), count(DISTINCT m.article_id)
                FROM {{mentions}} m JOIN {{articles}} ar USING (article_id) JOIN actor_keys k USING (actor_id)
                WHERE m.{{ids}} GROUP BY ALL""",
            "month", appended=True, fold_order=('"month"', "actor_key", "is_copy")),
)

_IDS = "article_id IN (SELECT article_id FROM _summary_ids)"
RAW = {t: t for t in ("mentions", "articles", "article_themes", "sentences")}  # {names} in a select
# A batch's merge reads its own rows once into these, instead of every summary scanning the raw tables (the
# load step's merge reads its staged tables instead, which hold those rows already):
_BATCH = {"mentions": "_summary_mentions", "articles": "_summary_articles", "article_themes": "_summary_themes",
          "sentences": "_summary_sentences"}
_BATCH_ROWS = {"mentions": "article_id, actor_id, role, method, article_key, sentence, start_char, end_char",
               "articles": "article_id, published_date, date_precision, duplicate_of",
               "article_themes": "article_id, theme_id",
               "sentences": "article_id, sentence, start_char, end_char"}
_PERIODS = {"published_date": ("d", "published_date"), "month": ("m", "date_trunc('month', published_date)::DATE")}
_MONTH_OF = {"published_date": "date_trunc('month', published_date)::DATE", "month": "month"}  # a period's month


def refresh_summaries(con: Any, article_ids: Sequence[str] | None = None) -> None:
    """Recount from the raw rows the days and months of these articles (right after any change to their
    rows), or every summary without ids, and what their story member rows carry of them
    (`stories.refresh_members`). Call on the writer's connection inside its transaction."""
    first_mentions.refresh(con, article_ids)
    stories.refresh_members(con, article_ids)
    add_actor_keys(con, "mentions" if article_ids is None else "(SELECT * FROM mentions WHERE article_id IN "
                   "(SELECT unnest(?::VARCHAR[])))", [] if article_ids is None else [list(article_ids)])
    if article_ids is None:
        for s in SUMMARIES:
            con.execute(f"DELETE FROM {s.table}")
            con.execute(f"INSERT INTO {s.table} ({_columns(s)}) {s.select.format(ids='article_id IS NOT NULL', **RAW)}")
        return
    if not article_ids:
        return
    con.execute("CREATE OR REPLACE TEMP TABLE _summary_days AS SELECT DISTINCT published_date AS d, "
                "date_trunc('month', published_date)::DATE AS m FROM articles "
                "WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [list(article_ids)])
    for s in SUMMARIES:  # table and column names are ours, never input
        if s.period is None:
            scope, ids = "true", "article_id IS NOT NULL"
        else:
            column, expr = _PERIODS[s.period]
            scope = f'"{s.period}" IN (SELECT {column} FROM _summary_days)'
            days = f"SELECT {column} FROM _summary_days"
            ids = f"article_id IN (SELECT article_id FROM articles WHERE {expr} IN ({days}))"
        con.execute(f"DELETE FROM {s.table} WHERE {scope}")
        con.execute(f"INSERT INTO {s.table} ({_columns(s)}) {s.select.format(ids=ids, **RAW)}")
    con.execute("DROP TABLE IF EXISTS _summary_days")


def add_articles(con: Any, article_ids: Sequence[str], staged: Mapping[str, str] | None = None) -> None:
    """Add the counts of these newly inserted articles (the load step, after its inserts). `staged`: the
    tables that hold exactly their rows of `mentions`, `articles` and `article_themes` (the load step's,
    warehouse/load.py), read instead of finding them among the stored rows."""
    _merge(con, article_ids, +1, staged)


def add_actor_keys(con: Any, mentions: str, params: Sequence[Any] = ()) -> None:
    """Number the actors of these mention rows (a table or SELECT of ours) that have no number yet (migration
    018): after the numbers given, the most mentioned first (in most articles, then by id)."""
    con.execute(f"""INSERT INTO actor_keys
                    SELECT actor_id, (SELECT coalesce(max(actor_key), 0) FROM actor_keys)
                                     + row_number() OVER (ORDER BY count(DISTINCT article_id) DESC, actor_id)
                    FROM {mentions} m WHERE NOT EXISTS (SELECT 1 FROM actor_keys k WHERE k.actor_id = m.actor_id)
                    GROUP BY actor_id""", list(params))


def actor_numbers(con: Any, actor_ids: Sequence[object], article_ids: Sequence[object]) -> dict[str, int]:
    """actor_id -> actor_key of the actors of these mentions (given as two columns), numbering those without
    one first (`add_actor_keys`): the load step stores each mention with its actor's number (migration 021)."""
    if not actor_ids:
        return {}
    add_actor_keys(con, "(SELECT unnest(?::VARCHAR[]) AS actor_id, unnest(?::VARCHAR[]) AS article_id)",
                   [list(actor_ids), list(article_ids)])
    return dict(con.execute("SELECT actor_id, actor_key FROM actor_keys WHERE actor_id IN (SELECT unnest(?))",
                            [sorted({str(a) for a in actor_ids})]).fetchall())


def remove_articles(con: Any, article_ids: Sequence[str]) -> None:
    """Subtract the counts of these articles (before their rows are deleted or replaced)."""
    _merge(con, article_ids, -1)


def _columns(s: Summary) -> str:
    return ", ".join(f'"{c}"' for c in (*s.keys, *s.counts))


def _merge(con: Any, article_ids: Sequence[str], sign: int, staged: Mapping[str, str] | None = None) -> None:
    """Rewrite the rows of the keys these articles touch: stored counts plus (or minus) theirs."""
    if not article_ids:
        return
    con.execute("CREATE OR REPLACE TEMP TABLE _summary_ids AS SELECT unnest(?::VARCHAR[]) AS article_id",
                [list(article_ids)])
    if staged:
        batch = {table: staged[table] for table in _BATCH}
    else:
        batch = _BATCH
        for table, temp in _BATCH.items():  # names are ours, never input
            con.execute(f"CREATE OR REPLACE TEMP TABLE {temp} AS SELECT {_BATCH_ROWS[table]} FROM {table} "
                        f"WHERE {_IDS}")
    if sign > 0:
        add_actor_keys(con, batch["mentions"])
    for s in SUMMARIES:  # table and column names are ours, never input
        if s.appended and (sign > 0 or s.signed):
            _append(con, s, sign, batch)
            continue
        keys = ", ".join(f'"{k}"' for k in s.keys)
        sums = ", ".join(f'sum("{c}")::BIGINT AS "{c}"' for c in s.counts)
        con.execute(f"CREATE OR REPLACE TEMP TABLE _summary_delta AS "
                    f"SELECT * FROM ({s.select.format(ids=_IDS, **batch)}) t({_columns(s)})")
        same = " AND ".join(f'd."{k}" IS NOT DISTINCT FROM {s.table}."{k}"' for k in s.keys)
        touched = f"EXISTS (SELECT 1 FROM _summary_delta d WHERE {same})"
        signed = ", ".join(f'{sign} * "{c}"' for c in s.counts)
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _summary_merged AS
                        SELECT {keys}, {sums} FROM (
                            SELECT {_columns(s)} FROM {s.table} WHERE {touched}
                            UNION ALL SELECT {keys}, {signed} FROM _summary_delta) GROUP BY ALL""")
        con.execute(f"DELETE FROM {s.table} WHERE {touched}")
        nonzero = " OR ".join(f'"{c}" <> 0' for c in s.counts)
        con.execute(f"INSERT INTO {s.table} ({_columns(s)}) SELECT {_columns(s)} FROM _summary_merged "
                    f"WHERE {nonzero}")
    if sign > 0:
        first_mentions.add(con, "_summary_ids", staged or first_mentions.STORED)
    else:
        first_mentions.remove(con, "_summary_ids")
    for temp in ("_summary_ids", "_summary_delta", "_summary_merged", *([] if staged else _BATCH.values())):
        con.execute(f"DROP TABLE IF EXISTS {temp}")


def _append(con: Any, s: Summary, sign: int, batch: Mapping[str, str]) -> None:
    """Append the (signed) counts of the articles in _summary_ids: no stored row is read or rewritten, so
    the cost does not grow with the table."""
    keys = ", ".join(f'"{k}"' for k in s.keys)
    signed = ", ".join(f'{sign} * "{c}"' for c in s.counts)
    con.execute(f"INSERT INTO {s.table} ({_columns(s)}) SELECT {keys}, {signed} "
                f"FROM ({s.select.format(ids=_IDS, **batch)}) t({_columns(s)})")


def fold_summaries(con: Any, months: Sequence[date] | None = None) -> dict[str, tuple[int, int]]:
    """Fold the appended summaries to one row per key (dropping keys whose counts add up to zero), stored in
    their `fold_order`: the pairs by (key_hi, key_lo), the actors' numbers (migration 018), so that a read of
    the top actors' pairs skips the blocks of rows without them. Folded whole (`lagebild compact`), the table
    is sorted whole: at 100,000 generated articles the co-occurrence of the top 12 took p50 25 ms. Folded a
    month at a time, each month is sorted on its own, and a month fits in one block there: 152 ms
    (docs/performance.md, 2026-12-07). Returns table -> (rows before, rows after). Maintenance, off the load
    path: the counts read stay the same. With `months`, only the rows of those months (the watcher folds one
    month at a time while it is idle, each in a short transaction)."""
    out = {}
    for s in SUMMARIES:
        if not s.appended:
            continue
        assert s.period is not None, s.table
        where, params = ("true", []) if months is None else (
            f"{_MONTH_OF[s.period]} IN (SELECT unnest(?::DATE[]))", [list(months)])
        keys = ", ".join(f'"{k}"' for k in s.keys)
        sums = ", ".join(f'sum("{c}")::BIGINT AS "{c}"' for c in s.counts)
        nonzero = " OR ".join(f'"{c}" <> 0' for c in s.counts)
        before = con.execute(f"SELECT count(*) FROM {s.table} WHERE {where}", params).fetchone()[0]
        order = ", ".join(s.fold_order) if s.fold_order else keys
        con.execute(f"CREATE OR REPLACE TEMP TABLE _summary_folded AS SELECT * FROM "
                    f"(SELECT {keys}, {sums} FROM {s.table} WHERE {where} GROUP BY ALL) WHERE {nonzero} "
                    f"ORDER BY {order}", params)
        con.execute(f"DELETE FROM {s.table} WHERE {where}", params)
        con.execute(f"INSERT INTO {s.table} ({_columns(s)}) SELECT {_columns(s)} FROM _summary_folded")
        after = con.execute("SELECT count(*) FROM _summary_folded").fetchone()[0]
        con.execute("DROP TABLE _summary_folded")
        out[s.table] = (int(before), int(after))
    return out


def months_of_runs(con: Any, run_ids: Sequence[str]) -> list[date]:
    """The months (first days) of the articles these runs stored: where their appended rows went."""
    rows = con.execute("SELECT DISTINCT date_trunc('month', published_date)::DATE FROM articles "
                       "WHERE run_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY 1", [list(run_ids)]).fetchall()
    return [r[0] for r in rows]
