"""The steps of one ingest batch as plain functions; flows/ingest.py wraps them as Prefect tasks."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from lagebild import faults
from lagebild.article import Article, first_occurrences
from lagebild.enrich.model import Enrichment
from lagebild.inbox import (
    RawFile,
    choose_destination,
    keep_copy,
    move_out,
    read_file,
    unchanged,
    write_bad_lines,
    write_reason,
)
from lagebild.parse import ParsedFile, parse_file
from lagebild.settings import Settings
from warehouse.load import LogRow

EnrichFn = Callable[[Sequence[Article]], Iterable[Enrichment]]


@dataclass(frozen=True)
class Placement:
    """Where a file goes after its rows are committed (or were committed before a crash)."""

    file: str
    status: str  # loaded | duplicate | rejected
    destination: str
    reason: str | None = None
    bad_lines_destination: str | None = None
    articles: int = 0


@dataclass
class BatchReport:
    run_id: str
    files: int = 0
    loaded: int = 0
    duplicates: int = 0
    rejected: int = 0
    recovered: int = 0
    articles: int = 0
    placements: list[Placement] = field(default_factory=list)


class BatchRunner(Protocol):
    """Ingests one batch of inbox paths; `upcoming` (the next batch's paths) may start enriching meanwhile."""

    def __call__(self, paths: list[str], upcoming: Sequence[str] = ()) -> BatchReport: ...


def new_run_id() -> str:
    return datetime.now().strftime("%Y%m%dT%H%M%S-") + uuid.uuid4().hex[:8]


def read_all(settings: Settings, paths: Sequence[Path]) -> list[RawFile]:
    """Read each file; a file gone since the scan is skipped (nothing left to account for)."""
    inbox = settings.inbox.resolve()
    raws = []
    for p in paths:
        try:
            raws.append(read_file(inbox, Path(p).resolve() if not Path(p).is_symlink() else Path(p).absolute(),
                                  settings.max_file_bytes, settings.max_jsonl_bytes))
        except FileNotFoundError:
            continue
    return raws


def parse_all(raws: Sequence[RawFile]) -> list[ParsedFile]:
    """Pure: read errors become whole-file errors, the rest is parsed."""
    parsed = parse_raws(raws)
    faults.point("after_parse")
    return parsed


def parse_raws(raws: Sequence[RawFile]) -> list[ParsedFile]:
    return [ParsedFile(r.file, error=r.error) if r.data is None else parse_file(r.file, r.data) for r in raws]


def articles_to_enrich(parsed: Sequence[ParsedFile], skip: set[str], known: set[str]) -> list[Article]:
    """New articles of files not already committed, first occurrence of each id only."""
    return first_occurrences((a for p in parsed if p.file not in skip for a in p.articles), skip=known)


def month_folder(articles: Sequence[Article], fallback: datetime) -> str:
    day = min((a.published_date for a in articles), default=fallback.date())
    return f"{day.year:04d}-{day.month:02d}"


def place_files(settings: Settings, run_id: str, raws: Sequence[RawFile], parsed: Sequence[ParsedFile],
                new_ids: set[str], first_source: dict[str, str], now: datetime) -> tuple[list[Placement], list[LogRow]]:
    """Decide each file's status and destination, and the ingest_log rows that record it."""
    taken: set[Path] = set()
    placements, log = [], []
    for raw, p in zip(raws, parsed, strict=True):
        if p.error is not None:
            dest = choose_destination(settings.rejected.resolve(), raw.file, raw.sha256, run_id, taken)
            placements.append(Placement(raw.file, "rejected", str(dest), p.error))
            log.append(LogRow(raw.file, raw.sha256, "rejected", p.error, destination=str(dest)))
            continue
        fresh = _claimed(p, new_ids, first_source)
        month = month_folder(p.articles, now)
        bad_dest = None
        if p.line_errors:
            bad_dest = str(choose_destination(settings.rejected.resolve(), raw.file + ".bad-lines.jsonl",
                                              raw.sha256, run_id, taken))
            log += [LogRow(raw.file, raw.sha256, "rejected", e.reason, e.line, None, bad_dest) for e in p.line_errors]
        if fresh:
            dest = choose_destination(settings.archive.resolve() / month, raw.file, raw.sha256, run_id, taken)
            status, reason = "loaded", None
            if len(fresh) < len(p.articles):
                reason = f"{len(p.articles) - len(fresh)} of {len(p.articles)} articles were already loaded"
        else:
            dest = choose_destination(settings.archive.resolve() / "duplicates" / month, raw.file, raw.sha256,
                                      run_id, taken)
            first = p.articles[0].article_id
            status = "duplicate"
            reason = f"same text as article {first} (first loaded from {first_source.get(first, 'this batch')})"
        new_id = fresh[0].article_id if len(p.articles) == 1 and fresh else p.articles[0].article_id
        placements.append(Placement(raw.file, status, str(dest), reason, bad_dest, len(fresh)))
        log.append(LogRow(raw.file, raw.sha256, status, reason, None, new_id, str(dest)))
    return placements, log


def _claimed(p: ParsedFile, new_ids: set[str], first_source: dict[str, str]) -> list[Article]:
    """The new articles this file brought first (a copy later in the same batch claims none)."""
    return first_occurrences(a for a in p.articles
                             if a.article_id in new_ids and first_source.get(a.article_id) == p.file)


def finalize(settings: Settings, raws: Sequence[RawFile], parsed: Sequence[ParsedFile],
             placements: Sequence[Placement]) -> None:
    """Move each file out of the inbox to its recorded destination (safe to repeat)."""
    inbox = settings.inbox.resolve()
    by_file = {r.file: (r, p) for r, p in zip(raws, parsed, strict=True)}
    faults.point("after_commit")
    for number, pl in enumerate(placements):
        if number == len(placements) // 2:
            faults.point("during_move")
        raw, p = by_file[pl.file]
        dest = Path(pl.destination)
        if pl.status == "rejected":
            write_reason(dest, pl.reason or "rejected", pl.file)
        if pl.bad_lines_destination and raw.data is not None and p.line_errors:
            write_bad_lines(Path(pl.bad_lines_destination), raw.data, p.line_errors)
        if raw.data is not None and not unchanged(inbox / pl.file, len(raw.data), raw.sha256):
            keep_copy(dest, raw.data)  # deleted or rewritten meanwhile: keep what was loaded; a new version waits
        else:
            move_out(inbox, pl.file, dest)


def report_of(run_id: str, placements: Sequence[Placement], recovered: int) -> BatchReport:
    rep = BatchReport(run_id, files=len(placements), recovered=recovered, placements=list(placements))
    for pl in placements:
        rep.loaded += pl.status == "loaded"
        rep.duplicates += pl.status == "duplicate"
        rep.rejected += pl.status == "rejected"
        rep.articles += pl.articles
    return rep


def enrich_safely(articles: Sequence[Article], enrich_fn: EnrichFn) -> tuple[list[Enrichment], dict[str, str]]:
    """Enrich the batch; if it fails, article by article, so one bad text cannot block the rest."""
    try:
        results = list(enrich_fn(articles))
        faults.point("during_enrich")
        return results, {}
    except Exception:  # noqa: BLE001 - isolate the failing article below
        results, failed = [], {}
        for a in articles:
            try:
                results += enrich_fn([a])
            except Exception as exc:  # noqa: BLE001
                failed[a.article_id] = f"enrichment failed: {type(exc).__name__}: {exc}"
        if failed and len(failed) == len(articles):
            _canary(enrich_fn)
        return results, failed


def _canary(enrich_fn: EnrichFn) -> None:
    """Every article failed: if a plain known-good text fails too, the engine is broken, not the files."""
    from datetime import date

    from lagebild.article import article_id_for

    body = "Probe\n\nOlaf Scholz traf Emmanuel Macron in Berlin."
    probe = Article(article_id_for(body), "Probe", body, date(2022, 1, 1), "month", None, "(probe)")
    try:
        enrich_fn([probe])
    except Exception as exc:
        raise RuntimeError(f"enrichment fails for every article, even a plain probe text ({type(exc).__name__}: "
                           f"{exc}); the files stay in the inbox") from exc
