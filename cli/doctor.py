"""`lagebild doctor`: audit a live installation — folders ↔ ingest_log ↔ rows, and the warehouse itself."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from lagebild.inbox import scan
from lagebild.settings import Settings
from warehouse import Warehouse, integrity
from warehouse.integrity import Check, LogFile

REASON = ".reason.txt"
DEFAULT_MAX_AGE = 600.0  # seconds an inbox file may wait before the doctor calls it stuck


def diagnose(settings: Settings, max_age: float = DEFAULT_MAX_AGE, lock_timeout: float = 30.0) -> list[Check]:
    """Every check; the warehouse is opened read-only, once, for as short as possible."""
    with Warehouse(settings.warehouse, lock_timeout).connect(read_only=True) as con:
        checks = integrity.run_all(con)
        rows = integrity.recorded_files(con)
    return checks + [archive_check(settings, rows), rejected_check(settings, rows),
                     inbox_check(settings, max_age)]


def _files(folder: Path) -> list[Path]:
    if not folder.exists():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_symlink() or p.is_file())


def _shown(settings: Settings, path: Path | str) -> str:
    path = Path(path)
    try:
        return path.relative_to(settings.data_dir.resolve()).as_posix()
    except ValueError:
        return str(path)


def _key(path: Path | str) -> Path:
    """An absolute path with its folders resolved but not its last part (a symlink stays itself)."""
    path = Path(path)
    return path.parent.resolve() / path.name


def _pending(settings: Settings, file: str) -> bool:
    """Committed but not yet moved (a crash between commit and move): the next run moves it."""
    path = settings.inbox / file
    return path.exists() or path.is_symlink()


def _pending_note(n: int) -> str:
    return f"; {n} committed, still in the inbox, moved by the next run" if n > 0 else ""


def archive_check(settings: Settings, rows: Iterable[LogFile]) -> Check:
    """Every loaded/duplicate file is in archive/ where the log says; every archived file is logged."""
    recorded = {_key(d): f for f, status, d, line in rows if line is None and status in ("loaded", "duplicate") and d}
    missing = [(d, f) for d, f in recorded.items() if not (d.exists() or d.is_symlink())]
    pending = sum(_pending(settings, f) for _d, f in missing)
    problems = [f"{f!r}: logged as archived at {_shown(settings, d)}, but that file is missing"
                for d, f in missing if not _pending(settings, f)]
    on_disk = _files(settings.archive.resolve())
    problems += [f"{_shown(settings, p)}: in archive/ but no ingest_log row names it"
                 for p in on_disk if _key(p) not in recorded]
    summary = f"{len(on_disk)} archived files, each with its ingest_log row" + _pending_note(pending)
    return Check.of("archive ↔ log", problems, len(problems), summary, "{n} mismatch(es)")


def rejected_check(settings: Settings, rows: Iterable[LogFile]) -> Check:
    """Every rejected file (and bad-lines file) is in rejected/ with its reason, and logged."""
    recorded = {_key(d): f for f, status, d, line in rows if status == "rejected" and d}
    problems = []
    for dest, file in recorded.items():
        if not (dest.exists() or dest.is_symlink()) and _pending(settings, file):
            continue
        if not (dest.exists() or dest.is_symlink()):
            problems.append(f"{file!r}: logged as rejected to {_shown(settings, dest)}, but that file is missing")
        elif not dest.with_name(dest.name + REASON).exists():
            problems.append(f"{_shown(settings, dest)}: rejected without its {REASON} file")
    files = [p for p in _files(settings.rejected.resolve()) if not p.name.endswith(REASON)]
    problems += [f"{_shown(settings, p)}: in rejected/ but no ingest_log row names it"
                 for p in files if _key(p) not in recorded]
    summary = f"{len(files)} rejected files, each with a reason"
    return Check.of("rejected ↔ reasons", problems, len(problems), summary, "{n} mismatch(es)")


def inbox_check(settings: Settings, max_age: float) -> Check:
    """Files waiting in the inbox longer than `max_age` seconds (the watcher should have taken them)."""
    inbox = settings.inbox
    if not inbox.exists():
        return Check("inbox", True, "no inbox folder")
    now = time.time()
    waiting = scan(inbox)
    old = []
    for path in waiting:
        try:
            age = now - path.lstat().st_mtime
        except FileNotFoundError:
            continue
        if age > max_age:
            old.append(f"{path.relative_to(inbox).as_posix()}: waiting for {age / 60:.0f} min")
    summary = f"{len(waiting)} file(s) waiting, none older than {max_age:.0f} s"
    return Check.of("inbox", old, len(old), summary,
                    "{n} file(s) waiting longer than " + f"{max_age:.0f} s: is `lagebild watch` running?")


def to_json(checks: list[Check]) -> dict[str, object]:
    return {"ok": all(c.ok for c in checks), "failed": sum(not c.ok for c in checks),
            "checks": [asdict(c) for c in checks]}


def format_report(settings: Settings, checks: list[Check]) -> str:
    """A readable report: one line per check, examples under each failed one."""
    lines = [f"lagebild doctor: {settings.data_dir.resolve()} (warehouse {settings.warehouse})"]
    for c in checks:
        lines.append(f"  {'ok  ' if c.ok else 'FAIL'}  {c.name}: {c.summary}")
        lines += [f"          - {p}" for p in c.problems]
        if c.count > len(c.problems):
            lines.append(f"          … and {c.count - len(c.problems)} more")
    failed = sum(not c.ok for c in checks)
    lines.append(f"{failed} of {len(checks)} checks failed" if failed else f"all {len(checks)} checks passed")
    return "\n".join(lines)
