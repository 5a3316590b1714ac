"""Files uploaded in the dashboard, written into the inbox: safe names, type and size limits."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from lagebild.files import atomic_write, temp_path
from lagebild.limits import too_large

ALLOWED = (".txt", ".jsonl", ".ndjson")
_UNSAFE = re.compile(r"[^\w.\- ]+")


@dataclass(frozen=True)
class Outcome:
    """What happened to one uploaded file: saved under `saved`, or refused with `message`."""

    name: str
    saved: str | None
    message: str


def safe_name(raw: str) -> str | None:
    """The last path component, stripped of anything but word characters, dots, dashes, spaces.

    None when nothing usable is left (empty, only dots, a hidden file).
    """
    base = PureWindowsPath(PurePosixPath(raw.replace("\x00", "")).name).name
    base = unicodedata.normalize("NFC", base).strip()
    base = _UNSAFE.sub("_", base).strip(" .")
    if not base or base.startswith(".") or set(base) <= {".", "_"}:
        return None
    if len(base) > 120:  # keep the extension: it decides the format
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 119 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else base[:120]
    return base


def check(raw: str, size: int, max_txt: int, max_jsonl: int) -> tuple[str | None, str]:
    """(safe name, '') when acceptable, else (None, why it is refused)."""
    name = safe_name(raw)
    if name is None:
        return None, f"{raw!r}: refused, the file name is empty or not usable"
    if not name.lower().endswith(ALLOWED):
        return None, f"{raw}: refused, only {', '.join(ALLOWED)} files are accepted"
    refusal = too_large(name, size, max_txt, max_jsonl)
    if refusal is not None:
        return None, f"{raw}: refused, {refusal}"
    if size == 0:
        return None, f"{raw}: refused, the file is empty"
    return name, ""


def free_name(inbox: Path, name: str) -> Path:
    """inbox/name, or inbox/stem-2.ext … when that name is taken."""
    target = inbox / name
    stem, suffix = os.path.splitext(name)
    n = 2
    while target.exists() or temp_path(target).exists():
        target = inbox / f"{stem}-{n}{suffix}"
        n += 1
    return target


def save(inbox: Path, raw: str, data: bytes, max_txt: int, max_jsonl: int) -> Outcome:
    """Write one upload into the inbox atomically (hidden temp file, then rename)."""
    name, why = check(raw, len(data), max_txt, max_jsonl)
    if name is None:
        return Outcome(raw, None, why)
    inbox.mkdir(parents=True, exist_ok=True)
    target = free_name(inbox, name)
    if target.resolve().parent != inbox.resolve():
        return Outcome(raw, None, f"{raw}: refused, the name points outside the inbox")
    atomic_write(target, data)
    renamed = f" (renamed from {raw})" if target.name != raw else ""
    return Outcome(raw, target.name, f"{target.name}: saved to the inbox{renamed}")
