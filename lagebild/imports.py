"""Keeping pandas out of the pipeline's processes.

pyarrow and DuckDB import pandas the first time they are handed Python data, whenever it is installed
(it is: the dashboard, the brief and `lagebild sql` use it). The watcher and `lagebild ingest` never
need it, and in them the import cost ~47 MB of resident memory and ~0.2 s of start-up (measured
2026-12-05: `import pandas` after duckdb and pyarrow). `block_pandas()` makes `import pandas` fail in
this process, which both libraries take for "pandas is not installed".
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType

BLOCKED = "pandas"


class PandasBlocked(ImportError):
    """pandas was imported in a process that keeps it out (`block_pandas`)."""


class _Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname == BLOCKED or fullname.startswith(BLOCKED + "."):
            raise PandasBlocked(f"{fullname} is kept out of this process (lagebild/imports.py)")
        return None


def block_pandas() -> bool:
    """Make `import pandas` fail from now on in this process; False when it was imported already."""
    if BLOCKED in sys.modules:
        return False
    if not any(isinstance(f, _Blocker) for f in sys.meta_path):
        sys.meta_path.insert(0, _Blocker())
    return True


def unblock_pandas() -> None:
    """Allow the import again (tests)."""
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _Blocker)]
