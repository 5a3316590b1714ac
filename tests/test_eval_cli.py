"""Every evaluation command answers --help with what it measures, and refuses an unknown option."""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers import ROOT

MODULES = ["eval", "eval.quotes", "eval.germeval", "eval.seeds", "eval.seed_quotes", "eval.discovered",
           "eval.quote_errors", "eval.speed"]


@pytest.mark.parametrize("module", MODULES)
def test_help_and_unknown_options(module: str):
    shown = subprocess.run([sys.executable, "-m", module, "--help"], cwd=ROOT, capture_output=True, text=True,
                           timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith(f"usage: python -m {module} ") and len(shown.stdout.splitlines()) > 3
    refused = subprocess.run([sys.executable, "-m", module, "--no-such-option"], cwd=ROOT, capture_output=True,
                             text=True, timeout=120)
    assert refused.returncode == 2 and "unrecognized arguments: --no-such-option" in refused.stderr
