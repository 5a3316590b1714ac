"""The inbox on disk: which files are ready, reading them, and moving them out after commit."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from lagebild.files import atomic_copy, atomic_write
from lagebild.limits import too_large
from lagebild.parse import LineError

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
        files += [d for d in dirs if os.path.islink(os.path.join(root, d))]  # links are not followed
        for name in files:
            path = Path(root) / name
            if not is_candidate(relative_name(inbox, path)):
                continue
            try:
                found.append((path.lstat().st_mtime, name, path))
            except FileNotFoundError:
                continue
    return [p for _, _, p in sorted(found)]


class Readiness(NamedTuple):
    """What one look at the inbox found."""

    ready: list[Path]  # complete files, oldest first
    waiting: int  # files that may still be written
    next_check: float | None  # seconds until the earliest waiting file could be ready (None: none waits)


class StabilityTracker:
    """Which inbox files are complete.

    A file is ready at once when its writer closed it after writing, or when it was renamed into the inbox
    (the file events report both through `closed`), as long as its size and mtime are still what they were
    then. Any other file (written before the watcher started, or on a file system without such events) is
    ready once its size and mtime stayed the same for `settle` seconds.
    """

    def __init__(self, settle: float) -> None:
        self.settle = settle
        # path -> (size, mtime_ns, since): strings and flat tuples, as a backlog of 100,000 files is held
        # for as long as the watcher works through it (Path objects cost ~380 bytes each)
        self._seen: dict[str, tuple[int, int, float]] = {}
        self._closed: dict[str, tuple[int, int, float]] = {}  # absolute path -> (size, mtime_ns, when)
        self._lock = threading.Lock()

    def closed(self, path: Path) -> None:
        """The file's writer closed it, or it was renamed into the inbox: complete as it is now.
        Called from the file-event thread."""
        try:
            st = path.lstat()
        except OSError:
            return
        with self._lock:
            self._closed[_key(path)] = (st.st_size, st.st_mtime_ns, time.monotonic())

    def ready(self, paths: list[Path], now: float | None = None) -> Readiness:
        """The ready files, the number still settling and when to look again."""
        now = time.monotonic() if now is None else now
        ready, waiting, current, due = [], 0, {}, []
        with self._lock:
            closed = dict(self._closed)
        for path in paths:
            try:
                st = path.lstat()
            except FileNotFoundError:
                continue
            name = str(path)
            first = self._seen.get(name)
            same = first is not None and first[0] == st.st_size and first[1] == st.st_mtime_ns
            since = first[2] if first is not None and same else now
            current[name] = (st.st_size, st.st_mtime_ns, since)
            close = closed.get(_key(path))
            left = max(since + self.settle - now, st.st_mtime + self.settle - time.time())
            if (close is not None and close[0] == st.st_size and close[1] == st.st_mtime_ns) or left <= 0:
                ready.append(path)
            else:
                waiting += 1
                due.append(left)
        self._seen = current
        self._forget_closed({_key(p) for p in paths}, now)
        return Readiness(ready, waiting, min(due) if due else None)

    def _forget_closed(self, present: set[str], now: float) -> None:
        """Drop what is known of files that left the inbox (an event newer than the scan is kept)."""
        with self._lock:
            for key, (_, _, at) in list(self._closed.items()):
                if key not in present and now - at > 5.0:
                    del self._closed[key]


def _key(path: Path) -> str:
    return os.path.abspath(path)


def read_file(inbox: Path, path: Path, max_text_bytes: int, max_jsonl_bytes: int) -> RawFile:
    """Read one file's bytes, refusing symlinks, non-files and files over the size limit."""
    path = storable(inbox, path)
    name = relative_name(inbox, path)
    try:
        st = path.lstat()
        if path.is_symlink():
            return RawFile(name, _sha_of_name(name), None,
                           "symbolic link: copy the file itself into the inbox, links are not followed")
        if not path.is_file():
            return RawFile(name, _sha_of_name(name), None, "not a regular file")
        refusal = too_large(name, st.st_size, max_text_bytes, max_jsonl_bytes)
        if refusal is not None:
            return RawFile(name, _sha_of_name(name + str(st.st_size)), None, refusal)
        data = path.read_bytes()
    except PermissionError:
        return RawFile(name, _sha_of_name(name), None, "permission denied: make the file readable")
    return RawFile(name, hashlib.sha256(data).hexdigest(), data)


def storable(inbox: Path, path: Path) -> Path:
    """A name that is not valid UTF-8 cannot be logged: rename it in the inbox to an escaped form."""
    try:
        str(path).encode("utf-8")
        return path
    except UnicodeEncodeError:
        pass
    inbox, path = inbox.resolve(), path.parent.resolve() / path.name
    name = relative_name(inbox, path)
    escaped = flat_name(name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"))
    target, n = inbox / escaped, 1
    while target.exists() or target.is_symlink():
        target, n = inbox / f"{n}-{escaped}", n + 1
    os.rename(path, target)
    return target


def storable_paths(inbox: Path, paths: list[str]) -> list[str]:
    """The paths with non-UTF-8 names renamed first, so a flow run's parameters can carry them."""
    return [p if _utf8(p) else str(storable(inbox, Path(p))) for p in paths]


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _sha_of_name(name: str) -> str:
    return "name:" + hashlib.sha256(name.encode()).hexdigest()


def flat_name(file: str) -> str:
    """'sub/dir/a.txt' -> 'sub__dir__a.txt' (destination folders are flat)."""
    return file.replace("/", "__")


MAX_BASE_BYTES = 255 - len("12345678-12345678-") - len(".reason.txt")


def fitting_name(name: str) -> str:
    """`name`, or its start + a hash + its extension(s) when prefixes and notes would overflow 255 bytes."""
    if len(name.encode("utf-8")) <= MAX_BASE_BYTES:
        return name
    cut = name.find(".", max(0, len(name) - 24))
    suffix = name[cut:] if cut > 0 else ""
    tail = "~" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8] + suffix
    stem = name.encode("utf-8")[: MAX_BASE_BYTES - len(tail.encode("utf-8"))].decode("utf-8", "ignore")
    return stem + tail


def choose_destination(folder: Path, file: str, sha256: str, run_id: str, taken: set[Path]) -> Path:
    """A free name in `folder` for `file`: the name itself, else prefixed by content and run."""
    base = fitting_name(flat_name(file))
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
        atomic_copy(source, destination, preserve=True)
        source.unlink()
    _prune_empty_dirs(inbox, source.parent)
    return True


def keep_copy(destination: Path, data: bytes) -> None:
    """Write the bytes that were loaded to `destination` (atomically), when the inbox file changed or went."""
    if not destination.exists():
        atomic_write(destination, data)


def unchanged(path: Path, size: int, sha256: str) -> bool:
    """The inbox file is still there with exactly the bytes that were read."""
    try:
        if path.is_symlink() or path.stat().st_size != size:
            return False
        return hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    except OSError:
        return False


def _prune_empty_dirs(inbox: Path, folder: Path) -> None:
    while folder != inbox and inbox in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def write_reason(destination: Path, reason: str, file: str) -> None:
    """NAME.reason.txt beside a rejected file."""
    atomic_write(destination.with_name(destination.name + ".reason.txt"), f"{file}: {reason}\n")


def write_bad_lines(destination: Path, data: bytes, errors: tuple[LineError, ...]) -> None:
    """The failing lines of a JSONL file, kept in rejected/ with one reason per line."""
    lines = data.decode("utf-8", errors="replace").splitlines()
    atomic_write(destination, "".join(lines[e.line - 1] + "\n" for e in errors if e.line <= len(lines)))
    atomic_write(destination.with_name(destination.name + ".reason.txt"),
                 "".join(f"line {e.line}: {e.reason}\n" for e in errors))
