"""Story clustering against hand labels (eval/gold/stories.yaml, guide in eval/STORIES.md): B-cubed P/R/F1.

The labelled articles are enriched and loaded in date order, in batches, through the real load step
(warehouse.batch_commit.commit_batch with its story assignment) into a temporary DuckDB warehouse;
the stories it stored are compared with the labels. Tuning part: the seeds and the Wikinews articles of
2005; held out: the Wikinews articles of 2006, labelled before the clustering ever ran on them and not
looked at while the thresholds were chosen.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

from eval.metrics import PRF, f1, prf, score_line
from lagebild.article import Article
from lagebild.enrich import enrich, load_resources
from lagebild.parse import parse_text_article
from warehouse import Warehouse
from warehouse.batch_commit import BatchRows
from warehouse.load import RunRow

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold" / "stories.yaml"
FOLDERS = {"seeds": ROOT / "seeds", "wikinews-de": ROOT.parent / "shared" / "corpora" / "wikinews-de" / "articles"}
BATCH = 25


@dataclass(frozen=True)
class BCubed:
    precision: float
    recall: float
    items: int
    stories: int

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)

    def line(self, name: str) -> str:
        return score_line(name, self.precision, self.recall, f"{self.items} articles, {self.stories} labelled stories")


def bcubed(gold: Mapping[str, str], pred: Mapping[str, str], items: Sequence[str]) -> BCubed:
    """B-cubed precision and recall over `items` (clusters restricted to them)."""
    by_gold: dict[str, set[str]] = {}
    by_pred: dict[str, set[str]] = {}
    for i in items:
        by_gold.setdefault(gold[i], set()).add(i)
        by_pred.setdefault(pred[i], set()).add(i)
    p = sum(len(by_gold[gold[i]] & by_pred[pred[i]]) / len(by_pred[pred[i]]) for i in items)
    r = sum(len(by_gold[gold[i]] & by_pred[pred[i]]) / len(by_gold[gold[i]]) for i in items)
    n = len(items) or 1
    return BCubed(p / n, r / n, len(items), len(by_gold))


def labelled() -> tuple[dict[str, str], list[Article]]:
    """file -> story label, and the labelled articles parsed as the inbox parses them."""
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    labels: dict[str, str] = {}
    articles = []
    for corpus, files in gold.items():
        for file, label in files.items():
            labels[file] = label
            articles.append(parse_text_article(file, (FOLDERS[corpus] / file).read_text(encoding="utf-8")))
    return labels, articles


def load_stream(target: Path, articles: Sequence[Article], res: object | None = None) -> dict[str, str]:
    """Enrich and load the articles in date order, BATCH at a time; returns source file -> story id."""
    res = res or load_resources()
    ordered = sorted(articles, key=lambda a: (a.published_date, a.source_file))
    enrichments = enrich(ordered, res)
    themes = list(res.themes)  # type: ignore[attr-defined]
    warehouse = Warehouse(target)
    warehouse.initialise()
    for start in range(0, len(ordered), BATCH):
        part, enr = ordered[start:start + BATCH], enrichments[start:start + BATCH]
        run = RunRow(f"eval-{start}", None, datetime.now(), "running")
        warehouse.commit_batch(BatchRows(run, part, enr, themes, [], frozenset(a.article_id for a in part),
                                         datetime.now()))
    with warehouse.connect(read_only=True) as con:
        rows = con.execute("SELECT ar.source_file, sa.story_id FROM story_articles sa JOIN articles ar "
                           "USING (article_id)").fetchall()
    return dict(rows)


def tuning_part(file: str, articles: Mapping[str, Article]) -> bool:
    return not file.startswith("wikinews") or articles[file].published_date.year == 2005


def pairs(clusters: Mapping[str, str], items: Sequence[str]) -> set[tuple[str, str]]:
    """The pairs of items placed in the same cluster."""
    return {(a, b) for a in items for b in items if a < b and clusters[a] == clusters[b]}


def evaluate(res: object | None = None) -> dict[str, BCubed | PRF]:
    labels, articles = labelled()
    by_file = {a.source_file: a for a in articles}
    with tempfile.TemporaryDirectory() as tmp:
        pred = load_stream(Path(tmp) / "stories.duckdb", articles, res)
    files = sorted(labels)
    tune = [f for f in files if tuning_part(f, by_file)]
    held = [f for f in files if not tuning_part(f, by_file)]
    alone = {f: f for f in files}
    return {
        "stories, B-cubed, all labelled": bcubed(labels, pred, files),
        "stories, B-cubed, tuning part": bcubed(labels, pred, tune),
        "stories, B-cubed, held-out part": bcubed(labels, pred, held),
        "stories, every article alone (baseline), all": bcubed(labels, alone, files),
        "stories, same-story pairs, tuning part": prf(pairs(labels, tune), pairs(pred, tune)),
        "stories, same-story pairs, held-out part": prf(pairs(labels, held), pairs(pred, held)),
    }
