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

from lagebild.article import Article, article_id_for  # noqa: E402
from lagebild.enrich import enrich, load_resources  # noqa: E402
from lagebild.enrich.pipeline import TOKENIZER_CACHE  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "gnad10k" / "articles.csv"


def load_texts(path: Path = CORPUS) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        return [row[1] for row in csv.reader(f, delimiter=";", quotechar="'") if len(row) >= 2]


def articles(texts: list[str]) -> list[Article]:
    day = date(2020, 1, 1)
    return [Article(article_id_for(t), t[:60], t, day, "day", None, f"gnad-{i}") for i, t in enumerate(texts)]


def _timed(fn) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process, result)."""
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - w0, time.process_time() - c0, out


def main(rounds: int = 3) -> None:
    texts = load_texts()
    arts = articles(texts)
    res = load_resources()
    enrich(arts, res)  # build the pipeline and per-word caches outside the timing
    nlp = spacy.blank("de")
    big = spacy.blank("de")  # the same tokenizer cache size as the enrichment pipeline, for comparison
    big.tokenizer.max_cache_size = TOKENIZER_CACHE
    list(nlp.pipe(texts)), list(big.pipe(texts))
    blank, full, blank_big = [], [], []
    for _ in range(rounds):  # interleaved, best of each: other load on the machine hits both sides
        w, c, n_tokens = _timed(lambda: sum(len(d) for d in nlp.pipe(texts, batch_size=64)))
        blank.append((w, c))
        blank_big.append(_timed(lambda: list(big.pipe(texts, batch_size=64)))[:2])
        w, c, _ = _timed(lambda: enrich(arts, res))
        full.append((w, c))
    bw, bc = min(b[0] for b in blank), min(b[1] for b in blank)
    fw, fc = min(f[0] for f in full), min(f[1] for f in full)
    print(f"articles: {len(texts)}  tokens: {n_tokens}  rounds: {rounds} (best of each)")
    print(f"spacy.blank('de') tokenization: {len(texts) / bw:8.1f} articles/s wall, {len(texts) / bc:8.1f} per CPU-s")
    print(f"enrich():                       {len(texts) / fw:8.1f} articles/s wall, {len(texts) / fc:8.1f} per CPU-s")
    print(f"ratio enrich/blank: {bw / fw:.0%} wall, {bc / fc:.0%} CPU (target >= 60%)")
    gw, gc = min(b[0] for b in blank_big), min(b[1] for b in blank_big)
    print(f"ratio enrich/blank with the same tokenizer cache ({TOKENIZER_CACHE}): "
          f"{gw / fw:.0%} wall, {gc / fc:.0%} CPU")


if __name__ == "__main__":
    from eval.cli import parse

    main(parse("python -m eval.speed", __doc__, options=lambda p: p.add_argument(
        "--rounds", type=int, default=3, help="interleaved rounds, the best of each side counts (default 3)")).rounds)
