"""Throughput of enrich() against bare spacy.blank("de") tokenization on the same texts (gnad10k)."""

from __future__ import annotations

import csv
import sys
import time
from datetime import date
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.article import Article, article_id_for  # noqa: E402
from flows.enrich import enrich, load_resources  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "gnad10k" / "articles.csv"


def load_texts(path: Path = CORPUS) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        return [row[1] for row in csv.reader(f, delimiter=";", quotechar="'") if len(row) >= 2]


def articles(texts: list[str]) -> list[Article]:
    return [Article(article_id_for(t), t[:60], t, date(2020, 1, 1), "day", None, f"gnad-{i}") for i, t in enumerate(texts)]


def main() -> None:
    texts = load_texts()
    arts = articles(texts)
    res = load_resources()
    enrich(arts[:5], res)  # build the pipeline and caches outside the timing
    nlp = spacy.blank("de")
    list(nlp.pipe(texts[:5]))
    rounds = []
    for _ in range(2):
        t0 = time.perf_counter()
        n_tokens = sum(len(d) for d in nlp.pipe(texts, batch_size=64))
        t1 = time.perf_counter()
        enrich(arts, res)
        t2 = time.perf_counter()
        rounds.append((t1 - t0, t2 - t1))
    blank, full = min(r[0] for r in rounds), min(r[1] for r in rounds)
    print(f"articles: {len(texts)}  tokens: {n_tokens}")
    print(f"spacy.blank('de') tokenization: {len(texts) / blank:8.1f} articles/s ({n_tokens / blank:,.0f} tokens/s)")
    print(f"enrich():                       {len(texts) / full:8.1f} articles/s")
    print(f"ratio enrich/blank: {blank / full:.0%} (target >= 60%)")


if __name__ == "__main__":
    main()
