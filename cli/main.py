"""The `lagebild` command: watch, ingest, sql, dashboard, status, doctor, enrich, reprocess, up."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from lagebild.malloc import limit_arenas

limit_arenas()  # before an import starts a thread (numpy, pyarrow): later threads share two malloc arenas

from cli import commands, services  # noqa: E402
from lagebild.imports import block_pandas  # noqa: E402
from lagebild.settings import Settings  # noqa: E402

EPILOG = (
    "Configuration: LAGEBILD_DATA_DIR (default ./data) holds inbox/, archive/, rejected/, the warehouse "
    "and Prefect's home; LAGEBILD_INBOX and LAGEBILD_WAREHOUSE override single paths. "
    "Every LAGEBILD_* variable has a matching flag where it makes sense."
)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir",
                   help="folder for inbox, archive, rejected, warehouse (env LAGEBILD_DATA_DIR, default ./data)")
    p.add_argument("--inbox", help="inbox folder (env LAGEBILD_INBOX, default DATA_DIR/inbox)")
    p.add_argument("--warehouse", help="DuckDB file, or ducklake:sqlite:PATH / ducklake:postgres:CONNINFO "
                   "(env LAGEBILD_WAREHOUSE, default DATA_DIR/lagebild.duckdb)")


def _ingest_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--batch-size", type=int, help="files per flow run (env LAGEBILD_BATCH_SIZE, default 1000)")
    p.add_argument("--max-file-mb", type=float, help="size limit of .txt files (env LAGEBILD_MAX_FILE_MB, default 5)")
    p.add_argument("--enrich-workers", type=int, help="worker processes that enrich each batch, kept while the "
                   "command runs (env LAGEBILD_ENRICH_WORKERS, default 1: in process)")
    p.add_argument("--task-runner", help="'dask' (a local cluster) or 'dask=ADDRESS' to enrich on a Dask cluster "
                   "instead of --enrich-workers (default: in process)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lagebild", description="Follow who says and does what in German news: inbox → Prefect → DuckDB.",
        epilog=EPILOG,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("watch", help="watch the inbox and ingest files as they arrive (runs until Ctrl-C)",
                       description="Watch the inbox (events plus a periodic rescan), wait until files are "
                       "complete, and ingest them in batches, one Prefect flow run per batch. The runs go to "
                       "PREFECT_API_URL, or to the data folder's running Prefect server (`lagebild up`); when "
                       "none runs, the watcher starts one with its UI (http://127.0.0.1:4200, or a free port) "
                       "and stops it on exit.", epilog=EPILOG)
    _common(p)
    _ingest_options(p)
    p.add_argument("--prefect-port", type=int, help="port of the Prefect server the watcher starts when none "
                   "runs (env LAGEBILD_PREFECT_PORT, default 4200; a free port when taken)")
    p.add_argument("--settle", type=float, help="seconds a file must stay unchanged before it is read (default 0.5)")
    p.add_argument("--rescan", type=float, help="seconds between full rescans of the inbox (default 2)")

    p = sub.add_parser("ingest", help="ingest files or folders once, then exit",
                       description="Ingest files or folders once. Files inside the inbox end archived or "
                       "rejected; files elsewhere are copied into the inbox first and never changed. "
                       "While a watcher (`lagebild watch`, `lagebild up`) runs on the data folder, it loads "
                       "them and this command waits for their outcomes. "
                       "Exit status 1 only when a run fails, not for rejected files.", epilog=EPILOG)
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files (.txt, .jsonl) or folders")
    _common(p)
    _ingest_options(p)
    p.add_argument("--no-progress", action="store_true", help="do not show a progress bar")
    p.add_argument("--prefect", action="store_true",
                   help="record each batch as a Prefect flow run even when no Prefect server runs (starts "
                   "Prefect's ephemeral server, ~10 s); with a running server (`lagebild up`, PREFECT_API_URL) "
                   "batches are always flow runs")

    p = sub.add_parser("sql", help="run a read-only SQL query against the warehouse",
                       description="Run one read-only SQL statement. Files of the host, extensions and "
                       "settings are out of reach.", epilog=EPILOG)
    p.add_argument("query", metavar="QUERY", help="SQL, e.g. \"SELECT count(*) FROM articles\"; '-' reads stdin")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format (default table)")
    p.add_argument("--limit", type=int, default=10_000, help="at most this many rows (default 10000)")
    p.add_argument("--timeout", type=float, default=30.0, help="stop the query after this many seconds (default 30)")
    _common(p)

    p = sub.add_parser("dashboard", help="start the Streamlit dashboard",
                       description="Start the Streamlit dashboard (binds to 127.0.0.1 unless --address).",
                       epilog=EPILOG)
    p.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    p.add_argument("--address", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    _common(p)

    p = sub.add_parser("status", help="backlog, last run, counts and rejected files",
                       description="Show the inbox backlog, the last ingest runs, table counts and rejected files.",
                       epilog=EPILOG)
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    _common(p)

    p = sub.add_parser("doctor", help="audit the installation: files ↔ log ↔ rows, schema, storage",
                       description="Check that every file is archived with its rows or rejected with a reason, "
                       "that nothing waits in the inbox for too long, that no row is orphaned or stored twice, "
                       "the schema is current and every table reads back in full. Exit status 1 when a check "
                       "fails.", epilog=EPILOG)
    p.add_argument("--json", action="store_true", help="print the checks as JSON instead of a report")
    p.add_argument("--max-age", type=float, default=600.0,
                   help="seconds an inbox file may wait before it counts as stuck (default 600)")
    _common(p)

    p = sub.add_parser("enrich", help="print the enrichment of one article as JSON (no warehouse)",
                       description="Parse one article file (or '-' for stdin) and print its enrichment as "
                       "JSON: mentions with offsets into the text, themes, quotes. Touches no warehouse.",
                       epilog=EPILOG)
    p.add_argument("file", metavar="FILE", help="an article file in the inbox format, or '-' for stdin")
    p.add_argument("--name", default="stdin.txt", help="file name to assume for stdin (decides the format)")
    _common(p)

    p = sub.add_parser("reprocess", help="re-enrich stored articles after registry or lexicon changes",
                       description="Re-enrich stored articles whose enrich_version differs from the current "
                       "registry, overlay and lexicon (all with --all). Idempotent.", epilog=EPILOG)
    p.add_argument("--all", action="store_true", help="re-enrich every article, not only outdated ones")
    _common(p)

    p = sub.add_parser("brief", help="write the situation picture of the last days as Markdown or HTML",
                       description="Write the brief: the top stories, rising actors and themes (with charts as PNG "
                       "images), new actors and new roles of the last days up to the newest article dated to the "
                       "day (or --until). Runs as the Prefect flow lagebild-brief; see the README for running it on "
                       "a schedule.", epilog=EPILOG)
    p.add_argument("--since", type=_days, default=7, metavar="Nd|Nw",
                   help="how far back: days (7d) or weeks (2w), default 7d")
    p.add_argument("--until", type=_day, help="last day of the brief, YYYY-MM-DD (default: the newest article's day)")
    p.add_argument("--format", choices=("md", "html"), default="md",
                   help="md: Markdown with the charts as PNG files beside it; html: one file, charts embedded")
    p.add_argument("--output", help="the report's path (default DATA_DIR/briefs/brief-<last day>.<format>)")
    _common(p)

    p = sub.add_parser("compact", help="merge a DuckLake warehouse's small Parquet files; fold a DuckDB "
                       "file's appended summary rows",
                       description="On a DuckLake warehouse (LAGEBILD_WAREHOUSE=ducklake:…): write inlined rows "
                       "to Parquet, merge small adjacent files, expire old snapshots and delete the files only "
                       "they used. Readers keep working meanwhile. On a DuckDB file: fold the rows that batches "
                       "appended to the co-occurrence summary (actor_pair_month) to one row per pair and month, "
                       "stored by the pair's actor numbers, in one write transaction (the counts stay the same).",
                       epilog=EPILOG)
    p.add_argument("--expire-older-than", type=float, default=60.0, metavar="MINUTES",
                   help="expire snapshots older than this many minutes and delete their files (default 60)")
    _common(p)

    p = sub.add_parser("search-rebuild", help="re-index every article for search (recovery only)",
                       description="Rebuild the search index folder beside the warehouse (e.g. data/lagebild.search/) "
                       "from the warehouse's articles. Not needed in normal use: each batch indexes its own "
                       "articles and every watch/ingest start catches up after a crash. Use it when the index "
                       "folder was damaged or deleted. Searches keep using the old index until the rebuild "
                       "commits; ingesting waits meanwhile.", epilog=EPILOG)
    _common(p)

    p = sub.add_parser("up", help="set up, load the seeds if empty, run watcher and dashboard together",
                       description="Initialise the warehouse, drop the seed articles into the inbox when the "
                       "warehouse is empty, start a local Prefect server with its UI (http://127.0.0.1:4200), "
                       "then run the watcher and the dashboard until Ctrl-C. Other commands report their flow "
                       "runs to that server while it runs.", epilog=EPILOG)
    p.add_argument("--seeds", default="seeds", help="folder of seed articles (default ./seeds)")
    p.add_argument("--port", type=int, default=8501, help="dashboard port (default 8501)")
    p.add_argument("--address", default="127.0.0.1", help="dashboard address (default 127.0.0.1)")
    p.add_argument("--prefect-port", type=int, help="port of the Prefect server (API and UI) started alongside "
                   "unless PREFECT_API_URL names one (env LAGEBILD_PREFECT_PORT, default 4200; a free port when taken)")
    _common(p)
    _ingest_options(p)
    return parser


def _days(value: str) -> int:
    """'7d' -> 7, '2w' -> 14 (a plain number counts days)."""
    number, unit = (value[:-1], value[-1]) if value[-1:] in ("d", "w") else (value, "d")
    if not number.isdigit() or int(number) < 1:
        raise argparse.ArgumentTypeError(f"{value!r}: give a number of days or weeks, like 7d or 2w")
    return int(number) * (7 if unit == "w" else 1)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r}: give a date as YYYY-MM-DD, like 2022-01-21") from None


def settings_from(args: argparse.Namespace) -> Settings:
    flags = {k: getattr(args, k, None) for k in ("data_dir", "inbox", "warehouse", "batch_size", "max_file_mb",
                                                   "enrich_workers", "task_runner", "prefect_port")}
    flags["settle_seconds"] = getattr(args, "settle", None)
    flags["rescan_seconds"] = getattr(args, "rescan", None)
    return Settings.load(**flags)


PIPELINE = ("watch", "ingest", "up")  # commands that run the pipeline in this process and never need pandas


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = settings_from(args)
    except ValueError as exc:
        print(f"lagebild: {exc}", file=sys.stderr)
        return 2
    if args.command in PIPELINE:
        block_pandas()  # pyarrow and DuckDB would import it: ~47 MB and ~0.2 s that these never use
    name = "cmd_" + args.command.replace("-", "_")
    handler = getattr(commands, name, None) or getattr(services, name)
    try:
        return int(handler(settings, args) or 0)
    except commands.UserError as exc:
        print(f"lagebild {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["main", "build_parser", "Path"]
