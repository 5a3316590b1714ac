"""Constants and small helpers the tests share (importable as `helpers`)."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


def drop(settings, *files: Path, sub: str = "") -> list[Path]:
    """Copy files into the inbox the way a user would (complete files)."""
    out = []
    for f in files:
        target = settings.inbox / sub / f.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, target)
        out.append(target)
    return out
