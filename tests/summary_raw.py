"""Every summary table computed from the raw tables, written independently of warehouse/summaries.py
(importable as `summary_raw`): the tests compare the stored summaries with these after every kind of write."""

from __future__ import annotations

from typing import Any

RAW = {
    "actor_day": """SELECT published_date, date_precision, duplicate_of IS NOT NULL, actor_id, k.actor_key, count(*),
                           count(DISTINCT article_id)
                    FROM mentions JOIN articles USING (article_id) JOIN actor_keys k USING (actor_id) GROUP BY ALL""",
    "article_day": """SELECT published_date, date_precision, duplicate_of IS NOT NULL, count(*),
                             sum((SELECT count(*) FROM mentions m WHERE m.article_id = a.article_id))
                      FROM articles a GROUP BY ALL""",
    "theme_day": """SELECT published_date, date_precision, duplicate_of IS NOT NULL, theme_id, count(*)
                    FROM article_themes JOIN articles USING (article_id) GROUP BY ALL""",
    "actor_theme_month": """SELECT date_trunc('month', published_date)::DATE, duplicate_of IS NOT NULL, m.actor_id,
                                   k.actor_key, t.theme_id, count(*), count(DISTINCT m.article_id)
                            FROM mentions m JOIN article_themes t USING (article_id) JOIN articles USING (article_id)
                            JOIN actor_keys k ON k.actor_id = m.actor_id GROUP BY ALL""",
    "role_count": "SELECT role, count(*) FROM mentions WHERE role IS NOT NULL GROUP BY ALL",
    # co-occurring pairs: articles in which both actors are mentioned, each unordered pair once
    "actor_pair_month": """SELECT date_trunc('month', ar.published_date)::DATE, ar.duplicate_of IS NOT NULL,
                                  least(kx.actor_key, ky.actor_key), greatest(kx.actor_key, ky.actor_key),
                                  count(DISTINCT ar.article_id)
                           FROM mentions x JOIN mentions y ON x.article_id = y.article_id AND x.actor_id < y.actor_id
                           JOIN actor_keys kx ON kx.actor_id = x.actor_id JOIN actor_keys ky ON ky.actor_id = y.actor_id
                           JOIN articles ar ON ar.article_id = x.article_id GROUP BY ALL""",
    "actor_role_day": """SELECT published_date, date_precision, duplicate_of IS NOT NULL, actor_id, k.actor_key, role,
                                count(*), count(DISTINCT article_id)
                         FROM mentions JOIN articles USING (article_id) JOIN actor_keys k USING (actor_id)
                         WHERE role IS NOT NULL GROUP BY ALL""",
    "actor_methods": "SELECT actor_id, method, count(*) FROM mentions GROUP BY ALL",
    "actor_month": """SELECT date_trunc('month', published_date)::DATE, duplicate_of IS NOT NULL, actor_id, k.actor_key,
                             count(*), count(DISTINCT article_id)
                      FROM mentions JOIN articles USING (article_id) JOIN actor_keys k USING (actor_id) GROUP BY ALL""",
    "actor_mentions": """SELECT date_trunc('month', published_date)::DATE, duplicate_of IS NOT NULL, published_date,
                                date_precision, k.actor_key, role, a.article_key, m.sentence, s.start_char, s.end_char,
                                m.start_char, m.end_char, count(*)
                         FROM mentions m JOIN articles a USING (article_id) JOIN actor_keys k USING (actor_id)
                         JOIN sentences s USING (article_id, sentence) GROUP BY ALL""",
}

# each actor's first mention: the smallest (article_id, start_char), with its sentence's text (300 characters)
FIRST_MENTIONS = """
    SELECT m.actor_id, m.article_id, m.start_char, m.sentence,
           substr(ar.body, s.start_char + 1, least(s.end_char - s.start_char, 300))
    FROM mentions m JOIN sentences s USING (article_id, sentence) JOIN articles ar USING (article_id)
    QUALIFY row_number() OVER (PARTITION BY m.actor_id ORDER BY m.article_id, m.start_char) = 1"""

# what each story member carries of its article (migration 014), from the raw rows
MEMBER_ROWS = """
    SELECT sa.article_id, ar.title, ar.published_date, ar.duplicate_of, coalesce(ar.source, ar.source_file),
           coalesce((SELECT list({'actor_id': actor_id, 'role': role, 'mentions': n} ORDER BY actor_id)
                     FROM (SELECT actor_id, max(role) AS role, count(*)::INTEGER AS n FROM mentions m
                           WHERE m.article_id = sa.article_id AND m.method <> 'prefix' GROUP BY actor_id)), []),
           coalesce((SELECT list(theme_id ORDER BY theme_id) FROM article_themes t
                     WHERE t.article_id = sa.article_id), [])
    FROM story_articles sa JOIN articles ar USING (article_id)"""
STORED_MEMBER_ROWS = """SELECT article_id, title, published_date, duplicate_of, source, actors, themes
                        FROM story_articles"""

# each story's row (migration 017) from its members and the raw rows: its counts per actor (mentions without
# prefix matches, the role of the latest mention with a role, the greatest on a tie) and per theme
STORY_ROWS = """
    WITH actor_counts AS (
        SELECT sa.story_id, m.actor_id, count(*) AS mentions,
               arg_max(m.role, (ar.published_date::VARCHAR, m.role)) AS role,
               max(ar.published_date::VARCHAR) FILTER (WHERE m.role IS NOT NULL) AS role_day
        FROM story_articles sa JOIN mentions m USING (article_id) JOIN articles ar USING (article_id)
        WHERE m.method <> 'prefix' GROUP BY ALL),
    theme_counts AS (SELECT sa.story_id, t.theme_id, count(*) AS articles
                     FROM story_articles sa JOIN article_themes t USING (article_id) GROUP BY ALL),
    members AS (SELECT sa.story_id, sa.first_day, sa.last_day, ar.*,
                       {'is_copy': ar.duplicate_of IS NOT NULL, 'published_date': ar.published_date::VARCHAR,
                        'article_id': ar.article_id} AS title_from
                FROM story_articles sa JOIN articles ar USING (article_id))
    SELECT s.story_id, arg_min(s.title, s.title_from), min(s.first_day), max(s.last_day), count(*),
           count(*) FILTER (WHERE s.duplicate_of IS NOT NULL),
           list(DISTINCT coalesce(s.source, s.source_file) ORDER BY coalesce(s.source, s.source_file)),
           coalesce((SELECT list({'actor_id': c.actor_id, 'name': a.name, 'kind': a.kind, 'role': c.role,
                                  'mentions': c.mentions::INTEGER} ORDER BY c.mentions DESC, c.actor_id)[1:5]
                     FROM actor_counts c JOIN actors a USING (actor_id) WHERE c.story_id = s.story_id), []),
           coalesce((SELECT list(theme_id ORDER BY articles DESC, theme_id)[1:3] FROM theme_counts t
                     WHERE t.story_id = s.story_id), []),
           min(s.title_from),
           coalesce((SELECT list({'actor_id': actor_id, 'mentions': mentions, 'role': role, 'role_day': role_day}
                                 ORDER BY actor_id) FROM actor_counts c WHERE c.story_id = s.story_id), []),
           coalesce((SELECT list({'theme_id': theme_id, 'articles': articles} ORDER BY theme_id) FROM theme_counts t
                     WHERE t.story_id = s.story_id), [])
    FROM members s GROUP BY s.story_id"""
STORED_STORY_ROWS = """SELECT story_id, title, first_seen, last_seen, articles, copies, sources, top_actors, themes,
                              title_from, actor_counts, theme_counts FROM stories"""

COUNTS = ("mentions", "articles")  # the count columns; every other column of a summary is a key


def stored(con: Any, table: str) -> list[tuple[Any, ...]]:
    """The summary's rows, one per key: rows of the same key add up (a table may hold several, see
    warehouse/summaries.py) and keys whose counts add up to zero are no rows."""
    columns = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                         "ORDER BY ordinal_position", [table]).fetchall()]
    keys = ", ".join(f'"{c}"' for c in columns if c not in COUNTS)
    sums = ", ".join(f'sum("{c}")' if c in COUNTS else f'"{c}"' for c in columns)
    nonzero = " OR ".join(f'sum("{c}") <> 0' for c in columns if c in COUNTS)
    return sorted(con.execute(f"SELECT {sums} FROM {table} GROUP BY {keys} HAVING {nonzero}").fetchall())


def mismatches(con: Any) -> dict[str, tuple[int, int]]:
    """Summary tables whose counts differ from the raw counts: table -> (stored keys, raw keys)."""
    out = {}
    for table, raw in RAW.items():  # table names are ours
        kept = stored(con, table)
        counted = sorted(con.execute(raw).fetchall())
        if kept != counted:
            out[table] = (len(kept), len(counted))
    kept = sorted(con.execute("SELECT actor_id, article_id, start_char, sentence, example "
                              "FROM actor_first_mentions").fetchall())
    if kept != sorted(con.execute(FIRST_MENTIONS).fetchall()):
        out["actor_first_mentions"] = (len(kept), len(con.execute(FIRST_MENTIONS).fetchall()))
    kept = sorted(con.execute(STORED_MEMBER_ROWS).fetchall())
    if kept != sorted(con.execute(MEMBER_ROWS).fetchall()):
        out["story_articles"] = (len(kept), len(con.execute(MEMBER_ROWS).fetchall()))
    numbered = con.execute("""SELECT count(*), count(DISTINCT actor_id), count(DISTINCT actor_key),
                                     (SELECT count(DISTINCT actor_id) FROM mentions WHERE actor_id NOT IN
                                      (SELECT actor_id FROM actor_keys)) FROM actor_keys""").fetchone()
    if numbered[0] != numbered[1] or numbered[0] != numbered[2] or numbered[3]:  # one number per mentioned actor
        out["actor_keys"] = numbered[:2]
    kept = sorted(con.execute(STORED_STORY_ROWS).fetchall())
    if kept != sorted(con.execute(STORY_ROWS).fetchall()):
        out["stories"] = (len(kept), len(con.execute(STORY_ROWS).fetchall()))
    return out
