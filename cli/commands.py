"""What each `lagebild` command does; cli/main.py only parses arguments."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lagebild.article import Article
from lagebild.files import atomic_copy
from lagebild.inbox import scan, storable_paths
from lagebild.locking import inbox_lock, watcher_running
from lagebild.settings import Settings
from warehouse.db import WarehouseBusy, WarehouseMissing

if TYPE_CHECKING:
    from flows.batch import BatchReport, BatchRunner
    from warehouse.load import FileOutcome
    from warehouse.store import Warehouse


class UserError(RuntimeError):
    """Something the user can fix; printed without a traceback."""


def warehouse_of(settings: Settings) -> Warehouse:
    """The data folder's warehouse. Imported here, not at the top: the load machinery (pyarrow, numpy,
    ~0.2 s) is for the commands that write, and `lagebild sql` or `status` start without it."""
    from warehouse.store import Warehouse

    return Warehouse.of(settings)


def _prepare(settings: Settings) -> str | None:
    """Folders, warehouse and Prefect's address: a running server's API URL, or None (ephemeral mode)."""
    settings.ensure_folders()
    try:
        warehouse_of(settings).initialise()
    except WarehouseBusy as exc:
        raise UserError(str(exc)) from None
    settings.apply_prefect_env()
    from cli.prefect_server import use_running_server  # here: `lagebild sql` and `status` need no Prefect

    return use_running_server(settings)  # the server of a running `lagebild up`, else Prefect's ephemeral mode


def batch_runner(settings: Settings, prefect: bool = True) -> BatchRunner:
    """A callable that ingests a list of inbox paths as one batch, holding the inbox lock; given the next
    batch's paths too, it starts their enrichment while this batch loads (with a pool or Dask).

    Each batch is a Prefect flow run, or with `prefect=False` the same steps without Prefect.

    First it brings the search index level with the warehouse (after a crash between a batch's commit
    and its indexing, or on a warehouse indexed by an older version).

    Enrichment runs in process, on a process pool (`--enrich-workers N`) or on Dask (`--task-runner
    dask[=ADDRESS]`); a wrong --task-runner or an unreachable scheduler fails here, before any batch.
    """
    from flows import enrich_executor, search_refresh

    ingest: Callable[[list[str], Settings, list[str]], BatchReport]
    if prefect:
        from flows.ingest import run_ingest_flow

        ingest = run_ingest_flow
    else:
        from flows.pipeline import run_plain

        ingest = run_plain

    try:
        enrich_executor.start(settings)
    except enrich_executor.TaskRunnerError as exc:
        raise UserError(str(exc)) from None

    with inbox_lock(settings):
        search_refresh.catch_up(settings)

    warehouse = warehouse_of(settings)

    def run(paths: list[str], upcoming: Sequence[str] = ()) -> BatchReport:
        with inbox_lock(settings), warehouse.serving_readers():  # readers ask this process meanwhile
            return ingest(storable_paths(settings.inbox, paths), settings,
                          storable_paths(settings.inbox, list(upcoming)))

    return run


def cmd_watch(settings: Settings, args: argparse.Namespace) -> int:
    """Watch the inbox; its flow runs go to the running Prefect server, or to one the watcher starts."""
    from cli.prefect_server import ServerError, local_server

    server = _prepare(settings)
    _log_to_stderr()
    if server is not None:
        return _watch(settings)
    try:
        with local_server(settings) as started:
            print(f"prefect: {started.ui} (flow runs: {started.ui}/runs)", flush=True)
            return _watch(settings)
    except ServerError as exc:
        raise UserError(str(exc)) from None


def _watch(settings: Settings) -> int:
    stop = stop_on_sigterm()
    print(f"watching {settings.inbox.resolve()} → {settings.warehouse} (Ctrl-C to stop)", flush=True)
    try:
        run_watcher(settings, stop)
    except KeyboardInterrupt:
        stop.set()
    return 0


def run_watcher(settings: Settings, stop: threading.Event) -> None:
    """The watch loop until `stop`, folding what its batches appended while it is idle (flows/idle_fold.py)."""
    from flows.idle_fold import IdleFold
    from flows.watch import run_watch

    fold = IdleFold(settings)
    run_watch(settings, fold.watching(batch_runner(settings)), stop, on_idle=fold)


def stop_on_sigterm() -> threading.Event:
    """An event set by SIGTERM (`docker stop`, `kill`); the watcher finishes its step and exits."""
    stop = threading.Event()

    def handler(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    return stop


def cmd_ingest(settings: Settings, args: argparse.Namespace) -> int:
    from cli import handover

    began = time.perf_counter()
    server = _prepare(settings)
    since = handover.watermark(settings)  # read before any file enters the inbox
    watched = watcher_running(settings)
    if server is None and not args.prefect and not watched:
        print("no Prefect server runs: ingesting without flow runs (start `lagebild up`, set PREFECT_API_URL, "
              "or pass --prefect to record them)", file=sys.stderr)
    files = list(_collect(settings, [Path(p) for p in args.paths]))
    if not files:
        print("nothing to ingest")
        return 0
    from tqdm import tqdm

    bar = tqdm(total=len(files), unit="file", disable=args.no_progress or len(files) < 2, file=sys.stderr)
    todo = files
    if watched:
        print(f"a watcher runs on {settings.data_dir}: it loads the {len(files)} file(s); waiting for its outcomes",
              file=sys.stderr)
        try:
            todo = handover.hand_over(settings, files, bar.update)
        except KeyboardInterrupt:
            bar.close()
            print("stopped waiting: the files stay in the inbox, where the watcher loads them", file=sys.stderr)
            return 130
        if todo:
            print(f"the watcher stopped: loading the {len(todo)} file(s) it left in the inbox here", file=sys.stderr)
    if todo:
        from flows import enrich_executor

        enrich_executor.start_early(settings, len(todo))
        run = batch_runner(settings, prefect=server is not None or args.prefect)
        spans = enrich_executor.batch_spans(len(todo), settings.batch_size, enrich_executor.can_prefetch(settings))
        try:
            for (start, end), (_, after) in zip(spans, [*spans[1:], (len(todo), len(todo))], strict=True):
                chunk, upcoming = todo[start:end], todo[end:after]
                run([str(p) for p in chunk], [str(p) for p in upcoming])
                bar.update(len(chunk))
        except Exception as exc:  # noqa: BLE001 - the run failed: files stay in the inbox
            bar.close()
            print(f"lagebild ingest: run failed: {type(exc).__name__}: {exc}\n"
                  "the files not yet processed stay in the inbox; run the command again", file=sys.stderr)
            return 1
    bar.close()
    code = _report(settings, files, handover.outcomes(settings, files, since))
    if todo:
        from flows.pipeline import time_split

        total = time.perf_counter() - began
        print(f"time: {total:.1f} s; {time_split(total)}")
    return code


def _report(settings: Settings, files: list[Path], outcomes: dict[str, FileOutcome]) -> int:
    """Print the recorded outcomes of the files (whoever loaded them) and any file without one."""
    from cli import handover

    count = {status: sum(o.status == status for o in outcomes.values())
             for status in ("loaded", "duplicate", "rejected")}
    print(f"{len(files)} files: {count['loaded']} loaded, {count['duplicate']} duplicate, {count['rejected']} "
          f"rejected; {sum(o.articles for o in outcomes.values())} new articles")
    if count["rejected"]:
        print(f"reasons: {settings.rejected.resolve()}/*.reason.txt or `lagebild status`")
    unseen = [p for p, name in zip(files, handover.names(settings, files), strict=True) if name not in outcomes]
    if unseen:  # a run that stopped after its commit recorded them: this one only moved them
        earlier = len(handover.outcomes(settings, unseen, datetime.min))  # any time before
        waiting = sum(os.path.lexists(p) for p in unseen)
        print(f"{len(unseen)} file(s) with no outcome recorded by this command: {earlier} recorded by an earlier "
              f"run that stopped before moving them, {waiting} still in the inbox (the next run loads them), "
              f"{len(unseen) - earlier - waiting} moved or deleted by another process", file=sys.stderr)
    return 0


def _collect(settings: Settings, paths: list[Path]) -> Iterator[Path]:
    """Inbox files as they are; files from elsewhere copied into the inbox first."""
    inbox = settings.inbox.resolve()
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UserError(f"no such file or folder: {path}")
        absolute = path.absolute()
        inside = absolute == inbox or inbox in absolute.parents
        if inside:
            yield from (scan(absolute) if absolute.is_dir() else [absolute])
        elif path.is_dir():
            for file in scan(path):
                yield _copy_in(file, inbox / path.name / file.relative_to(path))
        else:
            yield _copy_in(path, inbox / path.name)


def _copy_in(source: Path, target: Path) -> Path:
    """Copy atomically (hidden temp name, then rename) to a free name in the inbox."""
    target.parent.mkdir(parents=True, exist_ok=True)
    n, final = 1, target
    while final.exists():
        final = target.with_name(f"{target.stem}.{n}{target.suffix}")
        n += 1
    atomic_copy(source, final)
    return final


def cmd_sql(settings: Settings, args: argparse.Namespace) -> int:
    from cli import sql_output
    from warehouse.console import QueryError, run_query

    query = sys.stdin.read() if args.query == "-" else args.query
    try:
        result = run_query(settings.warehouse, query, row_limit=args.limit, timeout=args.timeout)
    except (QueryError, WarehouseMissing, WarehouseBusy) as exc:
        raise UserError(str(exc)) from None
    write = {"csv": sql_output.write_csv, "json": sql_output.write_json}.get(args.format, sql_output.write_table)
    write(sys.stdout, result.columns, result.rows)
    if result.truncated:
        print(f"(stopped at {args.limit} rows; use --limit to see more)", file=sys.stderr)
    return 0


def cmd_status(settings: Settings, args: argparse.Namespace) -> int:
    from warehouse import status as wh_status  # imports pandas: only for this command

    try:
        info = wh_status.build_status(settings.warehouse).as_dict()
    except (WarehouseMissing, WarehouseBusy) as exc:
        raise UserError(str(exc)) from None
    info["backlog"] = len(scan(settings.inbox)) if settings.inbox.exists() else 0
    info["watcher"] = watcher_running(settings)  # `lagebild watch` or `lagebild up` on this data folder
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2, default=str))
        return 0
    print(wh_status.format_status(info))
    return 0


def cmd_doctor(settings: Settings, args: argparse.Namespace) -> int:
    from cli.doctor import diagnose, format_report, to_json

    try:
        checks = diagnose(settings, max_age=args.max_age)
    except (WarehouseMissing, WarehouseBusy) as exc:
        raise UserError(str(exc)) from None
    if args.json:
        print(json.dumps(to_json(checks), ensure_ascii=False, indent=2, default=str))
    else:
        print(format_report(settings, checks))
    return 0 if all(c.ok for c in checks) else 1


def cmd_enrich(settings: Settings, args: argparse.Namespace) -> int:
    from lagebild.enrich_json import article_from_input, enrichment_json
    from lagebild.resources import enrich_with_defaults

    data = sys.stdin.buffer.read() if args.file == "-" else _read(Path(args.file))
    name = args.name if args.file == "-" else Path(args.file).name
    try:
        article: Article = article_from_input(name, data)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    [result] = enrich_with_defaults(settings, [article])
    print(json.dumps(enrichment_json(article, result), ensure_ascii=False, indent=2, default=str))
    return 0


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from None


def cmd_reprocess(settings: Settings, args: argparse.Namespace) -> int:
    from flows import search_refresh
    from flows.reprocess import reprocess

    _prepare(settings)
    with inbox_lock(settings):
        with warehouse_of(settings).serving_readers():
            done = reprocess(settings, everything=args.all)
        search_refresh.catch_up(settings)  # texts are unchanged; this only repairs an index left behind
    print(f"re-enriched {done.articles} articles (enrich_version {done.version}); {done.unchanged} already current")
    return 0


def cmd_search_rebuild(settings: Settings, args: argparse.Namespace) -> int:
    from warehouse import search_index
    from warehouse.maintenance import maintenance

    _prepare(settings)
    _log_to_stderr()
    try:
        with inbox_lock(settings), maintenance(settings.warehouse, "search index rebuild") as note:
            indexed = search_index.rebuild(settings.warehouse, timeout=settings.lock_timeout)
            note(f"{indexed} articles")
    except search_index.IndexUnavailable as exc:
        raise UserError(f"{exc}; search uses substring matching on this warehouse") from None
    except ValueError as exc:  # tantivy: another process holds the index writer
        raise UserError(f"the search index {search_index.index_dir(settings.warehouse)} is being written by "
                        f"another process ({exc}); try again when it is done") from None
    print(f"search index rebuilt: {indexed} articles in {search_index.index_dir(settings.warehouse)}")
    return 0


def cmd_compact(settings: Settings, args: argparse.Namespace) -> int:
    from warehouse import ducklake
    from warehouse.maintenance import maintenance

    if not ducklake.is_ducklake(settings.warehouse):
        return _fold_summaries(settings)

    _log_to_stderr()
    try:
        with maintenance(settings.warehouse, "compaction") as note:
            done = ducklake.compact(settings.warehouse, expire_older_than=args.expire_older_than)
            note(f"data files {done.files_before} → {done.files_after}, {done.snapshots_expired} snapshots expired")
    except (ducklake.LakeError, WarehouseBusy) as exc:
        raise UserError(str(exc)) from None
    print(f"data files: {done.files_before} → {done.files_after}; {done.snapshots_expired} snapshots expired, "
          f"{done.files_deleted} old files deleted")
    return 0


def _fold_summaries(settings: Settings) -> int:
    """`lagebild compact` on a DuckDB file: fold the summary rows that batches appended (warehouse/summaries.py)."""
    from warehouse.maintenance import maintenance
    from warehouse.summaries import fold_summaries

    _log_to_stderr()
    try:
        with maintenance(settings.warehouse, "summary fold") as note, \
                warehouse_of(settings).transaction() as con:
            folded = fold_summaries(con)
            note(", ".join(f"{t} {a} → {b} rows" for t, (a, b) in folded.items()))
    except WarehouseBusy as exc:
        raise UserError(str(exc)) from None
    for table, (before, after) in folded.items():
        print(f"{table}: {before} → {after} rows")
    return 0


def cmd_brief(settings: Settings, args: argparse.Namespace) -> int:
    from flows.brief import NothingToBrief, brief

    _prepare(settings)
    try:
        files = brief(settings, args.since, args.format, args.output, args.until)
    except NothingToBrief as exc:
        raise UserError(str(exc)) from None
    print(f"brief written: {files[0]}" + (f" (charts: {', '.join(files[1:])})" if files[1:] else ""))
    return 0


def _log_to_stderr() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    logging.getLogger("lagebild").setLevel(logging.INFO)

