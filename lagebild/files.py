"""Files that appear complete or not at all: write to a hidden temp name beside the target, then rename."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

TEMP_SUFFIX = ".part"  # the inbox ignores files ending in it (lagebild.inbox.IGNORED_SUFFIXES)


def temp_path(path: Path) -> Path:
    """The hidden temp name a write to `path` goes through (in the same folder, so the rename is atomic)."""
    return path.with_name(f".{path.name[:200]}.{os.getpid()}{TEMP_SUFFIX}")


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write `data` (str as UTF-8) to `path` via a temp file; a failed write leaves nothing behind."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_path(path)
    try:
        temp.write_bytes(payload)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def atomic_copy(source: Path, destination: Path, preserve: bool = False) -> None:
    """Copy `source` to `destination` via a temp file; a failed copy leaves nothing behind.

    `preserve` keeps times and permissions and copies a symbolic link as a link (a move across file
    systems); otherwise the bytes the link points to are copied into a new file.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_path(destination)
    try:
        if preserve:
            shutil.copy2(source, temp, follow_symlinks=False)
        else:
            shutil.copyfile(source, temp)
        os.replace(temp, destination)
    finally:
        temp.unlink(missing_ok=True)
