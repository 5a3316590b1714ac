"""lagebild/imports.py: the pipeline's commands keep pandas out of their process (~47 MB, ~0.2 s)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from helpers import ROOT, SEEDS, warm_cache


def _imported(stderr: str) -> set[str]:
    """Module names from `python -X importtime` output."""
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines() if line.startswith("import time:")}


def test_ingest_loads_a_file_without_importing_pandas(tmp_path: Path):
    data = tmp_path / "data"
    warm_cache(data)
    seed = sorted(SEEDS.glob("*.txt"))[0]
    (data / "inbox").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(seed, data / "inbox" / seed.name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "LAGEBILD_"))}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "cli", "ingest", "--data-dir", str(data),
                           str(data / "inbox" / seed.name)], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    imported = _imported(done.stderr)
    assert {"duckdb", "pyarrow", "spacy"} <= imported  # the pipeline ran: its libraries are there
    # a blocked attempt is listed too (as `pandas`, in microseconds); an import that ran lists its parts
    assert not {m for m in imported if m.startswith("pandas.")}
    with duckdb.connect(str(data / "lagebild.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (1,)


def test_a_blocked_import_fails_with_a_reason_and_duckdb_and_pyarrow_work_without_it():
    code = """
import duckdb, pyarrow as pa
from lagebild.imports import PandasBlocked, block_pandas, unblock_pandas
assert block_pandas()
con = duckdb.connect()
con.register("t", pa.Table.from_pylist([{"a": 1, "b": ["x"]}, {"a": 2, "b": []}]))
assert con.execute("SELECT sum(a), count(*) FROM t WHERE a IN (SELECT unnest(?))", [[1, 2]]).fetchone() == (3, 2)
try:
    import pandas
except PandasBlocked as exc:
    print("blocked:", exc)
unblock_pandas()
import pandas
print("imported again")
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "blocked: pandas is kept out of this process" in done.stdout
    assert "imported again" in done.stdout
