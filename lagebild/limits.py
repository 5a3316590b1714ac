"""The size limit of a file, decided by its suffix: the inbox and the dashboard's upload both ask here."""

from __future__ import annotations

from lagebild.parse import JSONL_SUFFIXES

MB = 1024 * 1024  # Settings.max_file_mb and max_jsonl_mb count in these


def is_jsonl(name: str) -> bool:
    return name.lower().endswith(JSONL_SUFFIXES)


def limit_for(name: str, max_text_bytes: int, max_jsonl_bytes: int) -> int:
    """JSON Lines files (.jsonl, .ndjson) have their own limit; every other file has the text limit."""
    return max_jsonl_bytes if is_jsonl(name) else max_text_bytes


def too_large(name: str, size: int, max_text_bytes: int, max_jsonl_bytes: int) -> str | None:
    """Why a file of this name and size is refused (None when it is within its limit).

    The limits are `Settings.max_file_bytes` and `Settings.max_jsonl_bytes`.
    """
    limit = limit_for(name, max_text_bytes, max_jsonl_bytes)
    if size <= limit:
        return None
    variable = "LAGEBILD_MAX_JSONL_MB" if is_jsonl(name) else "LAGEBILD_MAX_FILE_MB"
    return (f"file too large: {size / MB:.1f} MB is over the limit of {limit / MB:.1f} MB ({variable}); "
            "split it or raise the limit")
