"""The warehouse's status, built in one place for `lagebild status` and the dashboard overview."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warehouse import kept_reader
from warehouse.db import connect
from warehouse.maintenance import recent

if TYPE_CHECKING:  # pandas is imported where a frame is built: the pipeline's processes keep it out
    import pandas as pd

COUNTED = ("articles", "actors", "mentions", "themes", "quotes")


@dataclass(frozen=True)
class Status:
    """Counts, newest article, the latest runs and rejected files, read on one connection."""

    counts: dict[str, int]  # rows of each table in COUNTED
    duplicates: int  # articles that are syndicated copies (duplicate_of set)
    rejected_total: int  # ingest_log rows with status 'rejected' (files and JSONL lines)
    newest_article: date | None
    runs: pd.DataFrame  # newest first
    rejected: pd.DataFrame  # newest first: file, reason, line, at, destination
    files: dict[str, int]  # file outcomes (status → files; JSONL lines not counted)
    maintenance: pd.DataFrame = field(default_factory=lambda: _empty())  # latest jobs, running ones first

    def as_dict(self) -> dict[str, Any]:
        """What `lagebild status --json` prints (without the inbox backlog)."""
        return {
            "counts": self.counts,
            "newest_article": self.newest_article,
            "runs": self.runs.to_dict("records"),
            "rejected": self.rejected.to_dict("records"),
            "files": self.files,
            "maintenance": self.maintenance.to_dict("records"),
        }


def _empty() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame()


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


def _article_counts(con: Any) -> tuple[dict[str, int], int, date | None]:
    """Articles and mentions, syndicated copies and the newest date, from the daily summary `article_day`."""
    row = con.execute("""SELECT coalesce(sum(articles), 0)::BIGINT, coalesce(sum(mentions), 0)::BIGINT,
                                coalesce(sum(articles) FILTER (WHERE is_copy), 0)::BIGINT, max(published_date)
                         FROM article_day""").fetchone()
    return {"articles": int(row[0]), "mentions": int(row[1])}, int(row[2]), row[3]


def build_status(target: str | Path, runs: int = 5, rejected: int = 50, timeout: float = 30.0) -> Status:
    """The status of the warehouse: the `runs` latest runs and `rejected` latest rejected files."""
    with kept_reader.reading(target, timeout) as con:
        summed, duplicates, newest = _article_counts(con)
        counts = {t: summed[t] if t in summed else int(_scalar(con, f"SELECT count(*) FROM {t}"))
                  for t in COUNTED}  # table names are ours
        rejected_total = _scalar(con, "SELECT count(*) FROM ingest_log WHERE status = 'rejected'")
        run_rows = con.execute(
            """SELECT run_id, status, started_at, finished_at, files, loaded, duplicates, rejected, articles, message
               FROM ingest_runs ORDER BY started_at DESC LIMIT ?""", [runs]).df()
        rejected_rows = con.execute(
            """SELECT file, reason, line, "at", destination FROM ingest_log
               WHERE status = 'rejected' ORDER BY "at" DESC LIMIT ?""", [rejected]).df()
        outcomes = dict(
            con.execute("SELECT status, count(*) FROM ingest_log WHERE line IS NULL GROUP BY ALL").fetchall())
        jobs = recent(con, 10)
    return Status(counts, int(duplicates), int(rejected_total), newest, run_rows, rejected_rows, outcomes, jobs)


def format_job(job: dict[str, Any]) -> str:
    """One maintenance job as a status line: what, when, how long, how it ended."""
    if job["status"] == "running":
        return f"maintenance: {job['task']} running since {job['started_at']:%Y-%m-%d %H:%M:%S} (PID {job['pid']})"
    detail = f" ({job['detail']})" if job.get("detail") else ""
    return (f"maintenance: {job['task']} {job['status']} at {job['finished_at']:%Y-%m-%d %H:%M:%S} "
            f"after {job['seconds']:.1f} s{detail}")


def format_status(info: dict[str, Any]) -> str:
    """The text `lagebild status` prints, from `Status.as_dict()` plus `backlog` and `watcher`."""
    c = info["counts"]
    lines = [
        f"articles {c['articles']}, actors {c['actors']}, mentions {c['mentions']}, themes {c['themes']}, "
        f"quotes {c['quotes']}",
        f"newest article: {info['newest_article'] or '-'}",
        f"inbox backlog: {info.get('backlog', 0)} file(s); watcher: "
        + ("running" if info.get("watcher") else "not running"),
        "files: " + (", ".join(f"{v} {k}" for k, v in sorted(info["files"].items())) or "none yet"),
        "last runs:",
    ]
    for r in info["runs"]:
        lines.append(f"  {r['run_id']}  {r['status']:<9} {r['files']} files: {r['loaded']} loaded, "
                     f"{r['duplicates']} duplicate, {r['rejected']} rejected"
                     + (f"  ({r['message']})" if r.get("message") else ""))
    if not info["runs"]:
        lines.append("  none yet")
    lines += [format_job(j) for j in info.get("maintenance", [])[:5]]
    if info["rejected"]:
        lines.append("rejected:")
        for r in info["rejected"][:20]:
            where = f" line {int(r['line'])}" if r["line"] == r["line"] and r["line"] is not None else ""
            lines.append(f"  {r['file']}{where}: {r['reason']}")
    return "\n".join(lines)
