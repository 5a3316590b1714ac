"""The command line of every evaluation module: `python -m eval.NAME --help` says what it measures."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence


def parse(prog: str, doc: str | None, argv: Sequence[str] | None = None,
          options: Callable[[argparse.ArgumentParser], object] = lambda parser: None) -> argparse.Namespace:
    """Parse `argv` (default: sys.argv) for `prog`, whose module docstring is its description."""
    parser = argparse.ArgumentParser(prog=prog, description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    options(parser)
    return parser.parse_args(argv)
