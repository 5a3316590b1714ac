"""The dashboard's reads: on the connection this process keeps open (warehouse/kept_reader.py, when it
keeps one), else on a short read-only connection: open, run the statements, close, so a writer waits one
query at most."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from warehouse import kept_reader

READ_TIMEOUT = 15.0


def frames(target: str | Path, *statements: tuple[str, Sequence[Any]]) -> list[pd.DataFrame]:
    """Run several statements on the kept connection, or on one short read-only connection."""
    with kept_reader.reading(target, READ_TIMEOUT) as con:
        return [con.execute(sql, list(params)).df() for sql, params in statements]


def frame(target: str | Path, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    return frames(target, (sql, params))[0]


Then = Callable[[pd.DataFrame], tuple[str, Sequence[Any]] | None]  # the next statement, made of an answer


def frame_then(target: str | Path, sql: str, params: Sequence[Any],
               then: Then) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Run a statement, then the statement that `then` makes of its answer (None: none), on one connection."""
    with kept_reader.reading(target, READ_TIMEOUT) as con:
        first = con.execute(sql, list(params)).df()
        second = then(first)
        return first, (con.execute(second[0], list(second[1])).df() if second is not None else None)
