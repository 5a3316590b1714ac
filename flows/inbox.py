"""The inbox on disk: which files are ready, reading them, and moving them out after commit."""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

from flows.parse import JSONL_SUFFIXES, LineError

IGNORED_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".swp", "~")


@dataclass(frozen=True)
class RawFile:
    """A file read from the inbox: its bytes, or the reason it could not be read."""

    file: str  # path relative to the inbox, '/'-separated
    sha256: str
    data: bytes | None
    error: str | None = None


def relative_name(inbox: Path, path: Path) -> str:
    return path.relative_to(inbox).as_posix()


def is_candidate(name: str) -> bool:
    """Not a dotfile, not a partial download or temporary file."""
    parts = name.split("/")
    return not any(p.startswith(".") for p in parts) and not parts[-1].lower().endswith(IGNORED_SUFFIXES)


def scan(inbox: Path) -> list[Path]:
    """Every candidate file under the inbox, subfolders included, oldest first."""
    found: list[tuple[float, str, Path]] = []
    for root, dirs, files in os.walk(inbox, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            path = Path(root) / name
            if not is_candidate(relative_name(inbox, path)):
                continue
            try:
                found.append((path.lstat().st_mtime, name, path))
            except FileNotFoundError:
                continue
    return [p for _, _, p in sorted(found)]


class StabilityTracker:
    """A file is ready once its size and mtime stayed the same for `settle` seconds."""

    def __init__(self, settle: float) -> None:
        self.settle = settle
        self._seen: dict[Path, tuple[tuple[int, int], float]] = {}

    def ready(self, paths: list[Path], now: float | None = None) -> tuple[list[Path], int]:
        """(ready files, number still settling)."""
        now = time.monotonic() if now is None else now
        ready, waiting, current = [], 0, {}
        for path in paths:
            try:
                st = path.lstat()
            except FileNotFoundError:
                continue
            sig = (st.st_size, st.st_mtime_ns)
            first = self._seen.get(path)
            since = first[1] if first and first[0] == sig else now
            current[path] = (sig, since)
            settled = now - since >= self.settle and time.time() - st.st_mtime >= self.settle
            if settled:
                ready.append(path)
            else:
                waiting += 1
        self._seen = current
        return ready, waiting


def read_file(inbox: Path, path: Path, max_text_bytes: int, max_jsonl_bytes: int) -> RawFile:
    """Read one file's bytes, refusing symlinks, non-files and files over the size limit."""
    name = relative_name(inbox, path)
    try:
        st = path.lstat()
        if path.is_symlink():
            return RawFile(name, _sha_of_name(name), None,
                           "symbolic link: copy the file itself into the inbox, links are not followed")
        if not path.is_file():
            return RawFile(name, _sha_of_name(name), None, "not a regular file")
        limit = max_jsonl_bytes if name.lower().endswith(JSONL_SUFFIXES) else max_text_bytes
        if st.st_size > limit:
            return RawFile(name, _sha_of_name(name + str(st.st_size)), None,
                           f"file too large: {st.st_size / 1048576:.1f} MB, the limit is {limit / 1048576:.1f} MB "
                           "(LAGEBILD_MAX_FILE_MB / LAGEBILD_MAX_JSONL_MB); split it or raise the limit")
        data = path.read_bytes()
    except PermissionError:
        return RawFile(name, _sha_of_name(name), None, "permission denied: make the file readable")
    return RawFile(name, hashlib.sha256(data).hexdigest(), data)


def _sha_of_name(name: str) -> str:
    return "name:" + hashlib.sha256(name.encode()).hexdigest()


def flat_name(file: str) -> str:
    """'sub/dir/a.txt' -> 'sub__dir__a.txt' (destination folders are flat)."""
    return file.replace("/", "__")


def choose_destination(folder: Path, file: str, sha256: str, run_id: str, taken: set[Path]) -> Path:
    """A free name in `folder` for `file`: the name itself, else prefixed by content and run."""
    base = flat_name(file)
    for name in (base, f"{sha256[:8]}-{base}", f"{sha256[:8]}-{run_id[:8]}-{base}"):
        candidate = folder / name
        if candidate not in taken and not candidate.exists() and not candidate.is_symlink():
            taken.add(candidate)
            return candidate
    raise RuntimeError(f"no free destination name for {file} in {folder}")


def move_out(inbox: Path, file: str, destination: Path) -> bool:
    """Move an inbox file to its destination (atomic on one file system); False if already gone."""
    source = inbox / file
    if not source.exists() and not source.is_symlink():
        return False
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(source, destination)
    except OSError as exc:
        if exc.errno != 18:  # EXDEV: inbox and archive on different file systems
            raise
        import shutil

        shutil.copy2(source, destination)
        source.unlink()
    _prune_empty_dirs(inbox, source.parent)
    return True


def _prune_empty_dirs(inbox: Path, folder: Path) -> None:
    while folder != inbox and inbox in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def write_reason(destination: Path, reason: str, file: str) -> None:
    """NAME.reason.txt beside a rejected file."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    note = destination.with_name(destination.name + ".reason.txt")
    note.write_text(f"{file}: {reason}\n", encoding="utf-8")


def write_bad_lines(destination: Path, data: bytes, errors: tuple[LineError, ...]) -> None:
    """The failing lines of a JSONL file, kept in rejected/ with one reason per line."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    lines = data.decode("utf-8", errors="replace").splitlines()
    destination.write_text("".join(lines[e.line - 1] + "\n" for e in errors if e.line <= len(lines)),
                           encoding="utf-8")
    note = destination.with_name(destination.name + ".reason.txt")
    note.write_text("".join(f"line {e.line}: {e.reason}\n" for e in errors), encoding="utf-8")
