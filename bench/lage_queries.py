"""Time the Lage page's queries on a warehouse: `python -m bench.lage_queries WAREHOUSE [REPEAT]`.

Each query of warehouse/queries/lage.py runs REPEAT times (default 5) for the week of the newest article,
each on its own short read-only connection as the dashboard does; p50 and max in milliseconds.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from warehouse.queries import lage


def cases(target: str, p: lage.Period) -> dict[str, Callable[[], Any]]:
    actors = list(lage.rising(target, "actor", p, 8)["id"]) or ["country-ru"]
    return {
        "latest_day": lambda: lage.latest_day(target),
        "top_stories": lambda: lage.top_stories(target, p, 10),
        "rising actors": lambda: lage.rising(target, "actor", p, 8),
        "rising themes": lambda: lage.rising(target, "theme", p, 8),
        "sparklines actors": lambda: lage.sparklines(target, "actor", actors, p),
        "new_actors": lambda: lage.new_actors(target, p),
        "new_roles": lambda: lage.new_roles(target, p),
    }


def main(target: str, repeat: int) -> None:
    newest = lage.latest_day(target) or date.today()
    p = lage.Period.of(newest, "week")
    print(f"{target}, week of {p.start}, {date.today()}: query p50 / max ms over {repeat} runs")
    for name, run in cases(target, p).items():
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(f"  {name:<20} {times[len(times) // 2]:8.0f} {times[-1]:8.0f}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5)
