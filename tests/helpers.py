"""Constants and small helpers the tests share (importable as `helpers`)."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPORA = ROOT.parent / "shared" / "corpora"  # real German text by others, beside the project (see README)
SHARED = ROOT.parent / "shared"

# Where the compiled enrichment resources of this test run are kept (set by conftest.py); see warm_cache.
WARM_ROOT: Path | None = None
_warm: Path | None = None


def drop(settings, *files: Path, sub: str = "") -> list[Path]:
    """Copy files into the inbox the way a user would (complete files)."""
    out = []
    for f in files:
        target = settings.inbox / sub / f.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, target)
        out.append(target)
    return out


def warm_resources() -> Path:
    """The disk cache of the default enrichment resources (lagebild/resource_cache.py), built once per run.

    Built by the product's own `load_cached` on first use, under a file lock so that parallel test
    workers share one build (~20 s on a loaded 2-core machine; reading it back takes ~2 s).
    """
    global _warm
    if _warm is not None and _warm.exists():
        return _warm
    from lagebild.resource_cache import PREFIX, load_cached
    from lagebild.settings import Settings

    root = WARM_ROOT or Path(tempfile.mkdtemp(prefix="lagebild-warm-"))
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        found = sorted(root.glob(f"{PREFIX}*.pickle"))
        if not found:
            load_cached(None, Settings.load(env={}).spacy_model, root)
            found = sorted(root.glob(f"{PREFIX}*.pickle"))
        assert len(found) == 1, found
    _warm = found[0]
    return _warm


def warm_cache(data: Path) -> None:
    """Give a fresh data folder the run's compiled resources, as a folder that ran before has them.

    Its processes then read them in ~2 s instead of building them (~20 s each); a change of the
    sources (or an overlay in the folder) changes the cache key, and the process builds afresh.
    """
    src = warm_resources()
    target = data / "cache" / src.name
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, target)  # the product replaces cache files atomically, never writes into them
    except OSError:
        shutil.copyfile(src, target)




HOLD = ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('holding', flush=True); "
        "time.sleep(float(sys.argv[2])); c.close(); print('released', flush=True); time.sleep(30)")


def hold_read_write(path: Path, seconds: float) -> subprocess.Popen:
    """A real second process holding the DuckDB file open read-write for `seconds` (a DuckDB CLI or notebook
    would); it prints 'released' when it lets go. Kill it when done."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    return proc
