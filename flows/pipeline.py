"""One ingest batch, step by step: read → parse → recall → (enrich next batch) → enrich → load → move.

The steps and their retry policies are declared once, here, without Prefect. flows/ingest.py runs
them as the tasks of a Prefect flow run (a `lagebild up` server, PREFECT_API_URL, or Prefect's
ephemeral mode in the watcher); `run_plain` runs the same steps as plain calls with the same retries,
for a one-shot command when no Prefect server runs (it spares the ~10 s start of an ephemeral server
and the import of Prefect itself).
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flows import batch, enrich_executor
from flows.batch import BatchReport, Placement
from flows.commit import PartlyLoaded, Recall, commit_batch, recall
from lagebild.article import Article
from lagebild.enrich.model import Enrichment
from lagebild.inbox import RawFile
from lagebild.parse import LineError, ParsedFile
from lagebild.resources import theme_rows
from lagebild.settings import Settings
from warehouse import Warehouse
from warehouse.load import RunRow

log = logging.getLogger("lagebild.ingest")


@dataclass(frozen=True)
class Step:
    """One step of a batch: a plain function, its name (the Prefect task's name) and its retries."""

    name: str
    fn: Callable[..., Any]
    retry_delays: tuple[float, ...] = ()  # one delay per retry
    final: tuple[type[Exception], ...] = ()  # errors that are never retried

    def retries(self, exc: BaseException) -> bool:
        """Whether a failure with `exc` is worth another attempt (attempts left aside)."""
        return not isinstance(exc, self.final)


def _read(settings: Settings, paths: Sequence[str]) -> list[RawFile]:
    return batch.read_all(settings, [Path(p) for p in paths])


def _parse(raws: Sequence[RawFile]) -> list[ParsedFile]:
    return batch.parse_all(raws)


def _recall(settings: Settings, raws: Sequence[RawFile], parsed: Sequence[ParsedFile]) -> Recall:
    return recall(Warehouse.of(settings), raws, parsed)


def _enrich(settings: Settings, articles: Sequence[Article]) -> tuple[list[Enrichment], dict[str, str]]:
    """In process, or in chunks on the process pool or Dask cluster (flows/enrich_executor.py)."""
    return batch.enrich_safely(articles, lambda arts: enrich_executor.enrich_in_order(settings, arts))


def _prefetch(settings: Settings, upcoming: Sequence[str], articles: Sequence[Article]) -> int:
    """Send this batch's `articles` to the executor, then read and parse the next batch's files and send
    theirs after them, so that the next batch enriches while this one loads (flows/enrich_executor.py);
    returns at once. Nothing happens with in-process enrichment."""
    if not enrich_executor.can_prefetch(settings):
        return 0
    try:
        enrich_executor.prefetch(settings, (), articles)  # first: the workers start on this batch at once
        parsed = batch.parse_raws(batch.read_all(settings, [Path(p) for p in upcoming]))
        return enrich_executor.prefetch(settings, batch.articles_to_enrich(parsed, set(), set()), articles)
    except Exception as exc:  # noqa: BLE001 - only a head start: the next batch enriches what is missing
        log.warning("could not start enriching the next batch early (%s: %s)", type(exc).__name__, exc)
        return 0


def _load(settings: Settings, run: RunRow, raws: Sequence[RawFile], parsed: Sequence[ParsedFile],
          enrichments: Sequence[Enrichment], known_sources: dict[str, str]) -> list[Placement]:
    return commit_batch(Warehouse.of(settings), settings, run, raws, parsed, enrichments, theme_rows(),
                        known_sources)


def _move(settings: Settings, raws: Sequence[RawFile], parsed: Sequence[ParsedFile],
          placements: Sequence[Placement]) -> None:
    batch.finalize(settings, raws, parsed, placements)


READ = Step("read files", _read, (1, 1, 1))
PARSE = Step("parse", _parse)
RECALL = Step("recall", _recall, (2, 2, 2))
PREFETCH = Step("enrich next batch", _prefetch)
ENRICH = Step("enrich", _enrich)
LOAD = Step("load", _load, (1, 5, 15), (PartlyLoaded,))
MOVE = Step("move files", _move, (1, 1, 1))
STEPS = (READ, PARSE, RECALL, PREFETCH, ENRICH, LOAD, MOVE)

# How a step is run: as a Prefect task (flows/ingest.py) or as a plain call (`call_plain`).
Call = Callable[..., Any]

# Wall seconds this process spent in each step (by step name), over all its batches, retries included:
# `lagebild ingest` prints where its time went (`time_split`).
STEP_SECONDS: defaultdict[str, float] = defaultdict(float)


def _timed(call: Call) -> Call:
    """`call`, adding the wall time of each step to STEP_SECONDS."""

    def timed(step: Step, *args: Any) -> Any:
        began = time.perf_counter()
        try:
            return call(step, *args)
        finally:
            STEP_SECONDS[step.name] += time.perf_counter() - began

    return timed


def time_split(total: float) -> str:
    """`total` seconds split by step, largest first, with what no step took ('other': start-up, copying files
    in, waiting for the inbox lock, steps under 0.05 s), e.g. 'enrich 253.1 s (81 %), load 51.2 s (16 %), …'."""
    parts = [(name, seconds) for name, seconds in sorted(STEP_SECONDS.items(), key=lambda kv: -kv[1])
             if seconds >= 0.05]
    parts.append(("other", max(0.0, total - sum(seconds for _, seconds in parts))))
    return ", ".join(f"{name} {seconds:.1f} s ({100 * seconds / total:.0f} %)" if total else f"{name} {seconds:.1f} s"
                     for name, seconds in parts)


def run_batch(paths: Sequence[str], settings: Settings, call: Call, flow_run_id: str | None = None,
              logger: logging.Logger | logging.LoggerAdapter[logging.Logger] = log,
              upcoming: Sequence[str] = ()) -> BatchReport:
    """Ingest one batch of inbox files: every file ends archived, rejected or (on failure) still waiting.
    `upcoming`: the next batch's files, whose enrichment starts on the executor while this batch loads."""
    run = RunRow(batch.new_run_id(), flow_run_id, datetime.now(), "running")
    call = _timed(call)
    try:
        raws = call(READ, settings, list(paths))
        parsed = call(PARSE, raws)
        known = call(RECALL, settings, raws, parsed)
        todo = [(r, p) for r, p in zip(raws, parsed, strict=True) if r.file not in known.recorded]
        articles = batch.articles_to_enrich([p for _, p in todo], set(), known.known_ids)
        if upcoming:
            call(PREFETCH, settings, list(upcoming), articles)
        enrichments, failed = call(ENRICH, settings, articles)
        todo = [(r, apply_failures(p, failed)) for r, p in todo]
        placements = call(LOAD, settings, run, [r for r, _ in todo], [p for _, p in todo], enrichments,
                          known.known_sources)
        recovered = list(known.recorded.values())
        call(MOVE, settings, raws, parsed, placements + recovered)
    except Exception as exc:
        _record_failure(settings, run, exc)
        raise
    report = batch.report_of(run.run_id, placements, len(recovered))
    logger.info("run %s: %s loaded, %s duplicate, %s rejected, %s recovered", run.run_id,
                report.loaded, report.duplicates, report.rejected, report.recovered)
    return report


def call_plain(step: Step, *args: Any) -> Any:
    """Run a step in this process, retrying it as its Prefect task would."""
    for attempt in range(len(step.retry_delays) + 1):
        try:
            return step.fn(*args)
        except Exception as exc:
            if attempt == len(step.retry_delays) or not step.retries(exc):
                raise
            delay = step.retry_delays[attempt]
            log.warning("step %r failed (%s: %s); retry %d of %d in %.0f s", step.name, type(exc).__name__, exc,
                        attempt + 1, len(step.retry_delays), delay)
            time.sleep(delay)
    raise AssertionError("unreachable")


def run_plain(paths: Sequence[str], settings: Settings, upcoming: Sequence[str] = ()) -> BatchReport:
    """One batch without Prefect: the same steps and retries, no flow run recorded."""
    return run_batch(paths, settings, call_plain, upcoming=upcoming)


def apply_failures(parsed: ParsedFile, failed: dict[str, str]) -> ParsedFile:
    """Articles whose enrichment raised become rejections (whole file, or the JSONL line)."""
    bad = [a for a in parsed.articles if a.article_id in failed]
    if not bad:
        return parsed
    if all(a.line is None for a in bad):
        return ParsedFile(parsed.file, error=failed[bad[0].article_id])
    keep = tuple(a for a in parsed.articles if a.article_id not in failed)
    errors = parsed.line_errors + tuple(LineError(a.line or 0, failed[a.article_id]) for a in bad)
    if not keep:
        return ParsedFile(parsed.file, line_errors=errors, error="every article of the file failed enrichment")
    return ParsedFile(parsed.file, keep, errors)


def _record_failure(settings: Settings, run: RunRow, exc: BaseException) -> None:
    """Best effort: a failed run is visible in ingest_runs; its files stay in the inbox for retry."""
    failed = RunRow(run.run_id, run.flow_run_id, run.started_at, "failed",
                    message=f"{type(exc).__name__}: {exc}"[:2000])
    try:
        Warehouse.of(settings).record_failed_run(failed, timeout=10)
    except Exception:  # noqa: BLE001 - the original error matters more
        pass
