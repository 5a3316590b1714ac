"""What `lagebild sql` prints: the rows of a query as a text table, CSV or JSON, without pandas (whose import
alone took ~0.2 s of every call)."""

from __future__ import annotations

import csv
import json
import math
import numbers
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import IO, Any

MAX_WIDTH = 80  # characters of a cell in the text table; longer ones end in "..."


def write_csv(out: IO[str], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A header and one line per row; NULL is an empty field."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[_plain(v) for v in row] for row in rows])


def write_json(out: IO[str], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A list of objects, one per row; NULL, NaN and infinities are null, dates and times ISO 8601."""
    records = [dict(zip(columns, (_json_value(v) for v in row), strict=True)) for row in rows]
    out.write(json.dumps(records, ensure_ascii=False, default=_json_default) + "\n")


def write_table(out: IO[str], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Aligned columns under their names: numbers to the right, the rest to the left; "OK" for a statement
    without columns."""
    if not columns:
        out.write("OK\n")
        return
    cells = [[_cell(v) for v in row] for row in rows]
    by_column = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    right = [any(v is not None for v in col) and all(v is None or _is_number(v) for v in col) for col in by_column]
    widths = [max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right, strict=True))

    out.write(line(columns).rstrip() + "\n")
    for row in cells:
        out.write(line(row).rstrip() + "\n")


def _is_number(v: Any) -> bool:
    return isinstance(v, numbers.Number) and not isinstance(v, bool)


def _plain(v: Any) -> Any:
    """A value as CSV and the table show it: NULL empty, dates and times ISO 8601."""
    if v is None:
        return ""
    if isinstance(v, datetime | date | time):
        return v.isoformat(sep=" ") if isinstance(v, datetime) else v.isoformat()
    return v


def _cell(v: Any) -> str:
    text = str(_plain(v)).replace("\n", " ")
    return text if len(text) <= MAX_WIDTH else text[:MAX_WIDTH - 3] + "..."


def _json_value(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _json_default(v: Any) -> Any:
    if isinstance(v, datetime | date | time):
        return v.isoformat()
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, timedelta):
        return v.total_seconds()
    if isinstance(v, bytes | bytearray | memoryview):
        return bytes(v).hex()
    if isinstance(v, set | frozenset | tuple):
        return list(v)
    return str(v)
