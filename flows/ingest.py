"""The Prefect ingest flow: read → parse → enrich → load → move, one flow run per batch."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from flows import batch, enrich_executor
from flows.batch import BatchReport, Placement
from flows.commit import Recall, commit_batch, recall
from lagebild.article import Article
from lagebild.enrich.model import Enrichment
from lagebild.inbox import RawFile
from lagebild.parse import LineError, ParsedFile
from lagebild.resources import theme_rows
from lagebild.settings import Settings
from warehouse import Warehouse
from warehouse.load import RunRow


@task(name="read files", retries=3, retry_delay_seconds=1, cache_policy=NO_CACHE)
def read_task(settings: Settings, paths: Sequence[str]) -> list[RawFile]:
    return batch.read_all(settings, [Path(p) for p in paths])


@task(name="parse", cache_policy=NO_CACHE)
def parse_task(raws: Sequence[RawFile]) -> list[ParsedFile]:
    return batch.parse_all(raws)


@task(name="recall", retries=3, retry_delay_seconds=2, cache_policy=NO_CACHE)
def recall_task(settings: Settings, raws: Sequence[RawFile], parsed: Sequence[ParsedFile]) -> Recall:
    return recall(Warehouse.of(settings), raws, parsed)


@task(name="enrich", cache_policy=NO_CACHE)
def enrich_task(settings: Settings, articles: Sequence[Article]) -> tuple[list[Enrichment], dict[str, str]]:
    """In process, or in chunks on the process pool or Dask cluster (flows/enrich_executor.py)."""
    return batch.enrich_safely(articles, lambda arts: enrich_executor.enrich_in_order(settings, arts))


@task(name="load", retries=3, retry_delay_seconds=[1, 5, 15], cache_policy=NO_CACHE)
def load_task(settings: Settings, run: RunRow, raws: Sequence[RawFile], parsed: Sequence[ParsedFile],
              enrichments: Sequence[Enrichment], known_sources: dict[str, str]) -> list[Placement]:
    return commit_batch(Warehouse.of(settings), settings, run, raws, parsed, enrichments, theme_rows(settings),
                        known_sources)


@task(name="move files", retries=3, retry_delay_seconds=1, cache_policy=NO_CACHE)
def move_task(settings: Settings, raws: Sequence[RawFile], parsed: Sequence[ParsedFile],
              placements: Sequence[Placement]) -> None:
    batch.finalize(settings, raws, parsed, placements)


@flow(name="lagebild-ingest", log_prints=False, validate_parameters=False)
def ingest_files(paths: list[str], settings: Settings) -> BatchReport:
    """Ingest one batch of inbox files: every file ends archived, rejected or (on failure) still waiting."""
    run = RunRow(batch.new_run_id(), _flow_run_id(), datetime.now(), "running")
    try:
        # quote(): Prefect would otherwise walk every byte string and dataclass of the batch
        # looking for futures, which cost more than the enrichment itself.
        raws = read_task(settings, paths)
        parsed = parse_task(quote(raws))
        known = recall_task(settings, quote(raws), quote(parsed))
        todo = [(r, p) for r, p in zip(raws, parsed, strict=True) if r.file not in known.recorded]
        articles = batch.articles_to_enrich([p for _, p in todo], set(), known.known_ids)
        enrichments, failed = enrich_task(settings, quote(articles))
        todo = [(r, apply_failures(p, failed)) for r, p in todo]
        # Prefect unwraps quote() before the call, but its Task.__call__ typing does not know that.
        placements = load_task(settings, run, quote([r for r, _ in todo]),  # type: ignore[call-overload]
                               quote([p for _, p in todo]), quote(enrichments), quote(known.known_sources))
        recovered = list(known.recorded.values())
        move_task(settings, quote(raws), quote(parsed), quote(placements + recovered))
    except Exception as exc:
        _record_failure(settings, run, exc)
        raise
    report = batch.report_of(run.run_id, placements, len(recovered))
    get_run_logger().info("run %s: %s loaded, %s duplicate, %s rejected, %s recovered", run.run_id,
                          report.loaded, report.duplicates, report.rejected, report.recovered)
    return report


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


def _flow_run_id() -> str | None:
    from prefect.runtime import flow_run

    return str(flow_run.id) if flow_run.id else None


def _record_failure(settings: Settings, run: RunRow, exc: BaseException) -> None:
    """Best effort: a failed run is visible in ingest_runs; its files stay in the inbox for retry."""
    failed = RunRow(run.run_id, run.flow_run_id, run.started_at, "failed",
                    message=f"{type(exc).__name__}: {exc}"[:2000])
    try:
        Warehouse.of(settings).record_failed_run(failed, timeout=10)
    except Exception:  # noqa: BLE001 - the original error matters more
        pass
