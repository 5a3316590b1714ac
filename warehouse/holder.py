"""Who holds the warehouse's file lock: the process DuckDB names in its lock error, described truly."""

from __future__ import annotations

import re
from pathlib import Path

_PID = re.compile(r"\(PID (\d+)\)")
LAGEBILD_ROLES = {"watch": "the watcher", "up": "the watcher of `lagebild up`", "ingest": "`lagebild ingest`",
                  "reprocess": "`lagebild reprocess`", "search-rebuild": "`lagebild search-rebuild`",
                  "compact": "`lagebild compact`", "doctor": "`lagebild doctor`"}
COMMANDS = (*LAGEBILD_ROLES, "sql", "status", "dashboard", "enrich")


def holder_pid(message: str) -> int | None:
    """The PID in DuckDB's 'Conflicting lock is held in … (PID n)'."""
    found = _PID.search(message)
    return int(found.group(1)) if found else None


def command_line(pid: int) -> list[str]:
    """The process's argv, [] when it is gone or not readable."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode("utf-8", "replace") for part in raw.split(b"\0") if part]


def describe(pid: int) -> tuple[str, bool]:
    """A name for the process holding the lock, and whether it is one of Lagebild's own."""
    argv = command_line(pid)
    words = [Path(a).name for a in argv]
    if "lagebild" in words or "cli" in words:
        at = words.index("lagebild") if "lagebild" in words else words.index("cli")
        sub = next((w for w in argv[at + 1:] if w in COMMANDS), "")
        role = LAGEBILD_ROLES.get(sub, f"`lagebild {sub}`" if sub else "a `lagebild` command")
        return f"{role} (PID {pid})", True
    if "streamlit" in words:
        return f"the dashboard (PID {pid})", True
    shown = " ".join(argv)[:120] or "a process that has ended since"
    return f"another process (PID {pid}: {shown})", False


def busy_message(path: Path, error: str, waited: float) -> str:
    """What a reader or writer that gave up waiting is told: who holds the file, and what to do."""
    pid = holder_pid(error)
    if pid is None:
        return (f"the warehouse {path} is locked by another process (for more than {waited:.0f} s): "
                "close other DuckDB sessions on it (DuckDB CLI, notebooks) and try again")
    who, ours = describe(pid)
    if ours:
        return (f"the warehouse {path} is being written by {who}; it was still busy after {waited:.0f} s "
                "(it holds the file while it commits a batch or runs maintenance): try again in a moment, "
                "or raise the time limit")
    return (f"the warehouse {path} is held open by {who} for more than {waited:.0f} s: close that DuckDB "
            "session and try again")


def waiting_message(path: Path, error: str) -> str:
    """What a waiting reader is told while it waits."""
    pid = holder_pid(error)
    who = describe(pid)[0] if pid is not None else "another process"
    return f"waiting for {who}, which holds the warehouse {path} …"
