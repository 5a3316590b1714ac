"""Crash points for fault-injection tests: a no-op unless LAGEBILD_FAULT names the point.

LAGEBILD_FAULT=after_parse|during_enrich|in_transaction|before_index|after_commit|during_move (comma-separated
for several) makes the process kill itself with SIGKILL when it reaches that point, exactly as a
power cut or the OOM killer would: no cleanup, no `finally`, no flush.
"""

from __future__ import annotations

import os
import signal

POINTS = ("after_parse", "during_enrich", "in_transaction", "before_index", "after_commit", "during_move")
ENV = "LAGEBILD_FAULT"


def point(name: str) -> None:
    """Die here (SIGKILL) when LAGEBILD_FAULT lists `name`."""
    wanted = os.environ.get(ENV)
    if wanted and name in wanted.split(","):
        os.kill(os.getpid(), signal.SIGKILL)
