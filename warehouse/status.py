"""Read-side summary for `lagebild status` and the dashboard overview."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from warehouse.db import connect

COUNTED = ("articles", "actors", "mentions", "themes", "quotes")


def article_count(target: str | Path) -> int:
    from warehouse.ducklake import is_ducklake

    if not is_ducklake(target) and not Path(target).exists():
        return 0
    with connect(target, read_only=True) as con:
        row = con.execute("SELECT count(*) FROM articles").fetchone()
        return int(row[0]) if row else 0


def _scalar(con: Any, sql: str) -> Any:
    row = con.execute(sql).fetchone()
    return row[0] if row else None


def summary(target: str | Path, recent: int = 5) -> dict[str, Any]:
    """Counts, newest article date, last runs and rejected files."""
    with connect(target, read_only=True) as con:
        counts = {t: _scalar(con, f"SELECT count(*) FROM {t}") for t in COUNTED}  # table names are ours
        newest = _scalar(con, "SELECT max(published_date) FROM articles")
        runs = con.execute(
            """SELECT run_id, status, started_at, finished_at, files, loaded, duplicates, rejected, articles, message
               FROM ingest_runs ORDER BY started_at DESC LIMIT ?""", [recent]).df()
        rejected = con.execute(
            """SELECT file, reason, line, "at", destination FROM ingest_log
               WHERE status = 'rejected' ORDER BY "at" DESC LIMIT 50""").df()
        outcomes = dict(
            con.execute("SELECT status, count(*) FROM ingest_log WHERE line IS NULL GROUP BY ALL").fetchall())
    return {"counts": counts, "newest_article": newest, "runs": runs.to_dict("records"),
            "rejected": rejected.to_dict("records"), "files": outcomes}


def format_summary(info: dict[str, Any]) -> str:
    c = info["counts"]
    lines = [
        f"articles {c['articles']}, actors {c['actors']}, mentions {c['mentions']}, themes {c['themes']}, "
        f"quotes {c['quotes']}",
        f"newest article: {info['newest_article'] or '-'}",
        f"inbox backlog: {info.get('backlog', 0)} file(s)",
        "files: " + (", ".join(f"{v} {k}" for k, v in sorted(info["files"].items())) or "none yet"),
        "last runs:",
    ]
    for r in info["runs"]:
        lines.append(f"  {r['run_id']}  {r['status']:<9} {r['files']} files: {r['loaded']} loaded, "
                     f"{r['duplicates']} duplicate, {r['rejected']} rejected"
                     + (f"  ({r['message']})" if r.get("message") else ""))
    if not info["runs"]:
        lines.append("  none yet")
    if info["rejected"]:
        lines.append("rejected:")
        for r in info["rejected"][:20]:
            where = f" line {int(r['line'])}" if r["line"] == r["line"] and r["line"] is not None else ""
            lines.append(f"  {r['file']}{where}: {r['reason']}")
    return "\n".join(lines)
