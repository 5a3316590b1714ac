"""What story clustering adds to the CPU time of ingesting: `python -m bench.stories_cost [N]`.

N Wikinews articles (default 300, in date order) are enriched and loaded through the real load step
(warehouse.batch_commit.commit_batch, batches of 100) into a fresh warehouse, twice in one process: once
as shipped and once with the story assignment left out. Process CPU time is measured for each part.
Process start-up and Prefect are left out, so the share is larger than in a whole `lagebild ingest`.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from lagebild.enrich import enrich, load_resources
from lagebild.parse import parse_text_article
from warehouse import Warehouse, batch_commit
from warehouse.batch_commit import BatchRows
from warehouse.load import RunRow

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "wikinews-de" / "articles"


def _load(target: Path, articles: list, enrichments: list, themes: list) -> float:
    warehouse = Warehouse(target)
    warehouse.initialise()
    start = time.process_time()
    for i in range(0, len(articles), 100):
        part = articles[i:i + 100]
        warehouse.commit_batch(BatchRows(RunRow(f"b{i}", None, datetime.now(), "running"), part,
                                         enrichments[i:i + 100], themes, [], frozenset(a.article_id for a in part),
                                         datetime.now()))
    return time.process_time() - start


def main(n: int) -> None:
    files = sorted(CORPUS.iterdir())[:n]
    articles = sorted((parse_text_article(f.name, f.read_text(encoding="utf-8")) for f in files),
                      key=lambda a: (a.published_date, a.source_file))
    res = load_resources()
    start = time.process_time()
    parsed = [parse_text_article(f.name, f.read_text(encoding="utf-8")) for f in files]
    enrichments = enrich(articles, res)
    enrich_cpu = time.process_time() - start
    assert len(parsed) == len(articles)
    shipped = batch_commit.assign_stories
    with tempfile.TemporaryDirectory() as tmp:
        batch_commit.assign_stories = lambda con, ids: None  # type: ignore[assignment,misc,return-value]
        without = _load(Path(tmp) / "without.duckdb", articles, enrichments, list(res.themes))
        batch_commit.assign_stories = shipped
        with_stories = _load(Path(tmp) / "with.duckdb", articles, enrichments, list(res.themes))
    added = with_stories - without
    total = enrich_cpu + without
    print(f"{n} Wikinews articles, {datetime.now():%Y-%m-%d}: parse + enrich {enrich_cpu:.2f} s CPU, "
          f"load without stories {without:.2f} s, with stories {with_stories:.2f} s")
    print(f"story clustering adds {added:.2f} s CPU = {100 * added / total:.1f} % of parse + enrich + load")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
