"""Building the rows of a batch by hand, as flows/commit.py plans them (one article per file)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from lagebild.article import Article
from lagebild.enrich.model import Enrichment
from warehouse.batch_commit import BatchRows
from warehouse.load import LogRow, RunRow


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def batch_of(run_id: str, articles: Sequence[Article], enrichments: Sequence[Enrichment],
             themes: Sequence[tuple[str, str]], stored: set[str] = frozenset()) -> BatchRows:
    """Each article is its own file: loaded when its id is new, else a duplicate."""
    seen, log, new = set(stored), [], set()
    for a in articles:
        status = "duplicate" if a.article_id in seen else "loaded"
        if status == "loaded":
            new.add(a.article_id)
        seen.add(a.article_id)
        log.append(LogRow(a.source_file, sha(a.source_file + a.body), status, article_id=a.article_id,
                          destination=f"/archive/{run_id}/{a.source_file}"))
    run = RunRow(run_id, None, datetime(2026, 1, 1, 12), "running")
    return BatchRows(run, list(articles), list(enrichments), list(themes), log, frozenset(new), datetime.now())
