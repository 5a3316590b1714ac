"""Realistic dated German articles at any size, recombined from the shared corpora.

Paragraphs of gnad10k (DER STANDARD) and wikinews-de are sampled and recombined into new
articles with dates spread over two years, written in the inbox format
(` date YYYY-MM-DD Title`, blank line, paragraphs). Article `i` depends only on the seed and
`i`, so the first 1,000 articles of a 10k corpus are the 1k corpus.

The 1,863 sources hold 10,753 paragraphs, so a large corpus uses each many times. Verbatim, every
article would share passages with many others (at 10,000 articles: 15 recorded overlaps per
article, every article in some), where the real articles share almost none (2 overlaps among all
1,877); the load step's near-duplicate and story work grows with those links. So each use of a
paragraph or title swaps a share of its lower-case words of four letters or more (SWAP) for other
words of the corpora with the same length; names and capitalised nouns stay, so the actors an
article names stay those of its sources. As in a real stream, 2 % of the articles are syndicated
copies of an earlier one (its text, one sentence added) and 2 % re-use a long passage of an earlier
one verbatim: the loader finds both (duplicate_of, overlaps).

    python -m bench.corpus OUT_DIR --size 10000 [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from lagebild.files import atomic_write

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
FIRST_DAY = date(2024, 1, 1)
DAYS = 731  # two years
COPY_SHARE = 0.02  # share of articles that are edited copies of an earlier one
PASSAGE_SHARE = 0.02  # share of articles that re-use a long passage of an earlier one verbatim
SWAP = 0.8  # share of the lower-case words of four letters or more that each use of a paragraph swaps
KIND = (f"recombined paragraphs of the shared corpora, each use with {SWAP:.0%} of its lower-case words of four "
        f"letters or more swapped; {COPY_SHARE:.0%} syndicated copies, {PASSAGE_SHARE:.0%} re-used passages")
VERBATIM = "recombined paragraphs of the shared corpora, re-used verbatim; 2 % syndicated copies"  # before KIND
_LOWER_WORD = re.compile(r"\b[a-zäöüß]{4,}\b")
_SENTENCE_END = re.compile(r"(?<=[.!?“\"])\s+(?=[A-ZÄÖÜ„\"])")


@dataclass(frozen=True)
class Source:
    """One source article: a title and its paragraphs."""

    title: str
    paragraphs: tuple[str, ...]


def _wikinews(folder: Path) -> list[Source]:
    out = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        head, _, body = text.partition("\n")
        title = head.strip().split(" ", 2)[-1].strip()
        paras = tuple(" ".join(p.split()) for p in body.split("\n\n") if len(p.split()) >= 8)
        if title and paras:
            out.append(Source(title, paras))
    return out


def _gnad(path: Path) -> list[Source]:
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter=";", quotechar="'"):
            if len(row) < 2:
                continue
            sentences = [s.strip() for s in _SENTENCE_END.split(" ".join(row[1].split())) if s.strip()]
            if len(sentences) < 3:
                continue
            title = sentences[0][:120].rstrip(" .")
            paras = tuple(" ".join(sentences[i : i + 3]) for i in range(1, len(sentences), 3))
            out.append(Source(title, paras))
    return out


@lru_cache(maxsize=2)
def sources(root: Path = CORPORA) -> tuple[Source, ...]:
    """Every usable source article of both corpora (read once per process)."""
    found = _wikinews(root / "wikinews-de" / "articles") + _gnad(root / "gnad10k" / "articles.csv")
    if not found:
        raise FileNotFoundError(f"no articles found under {root} (expected wikinews-de/ and gnad10k/)")
    return tuple(found)


def _edit(paragraphs: list[str], rng: random.Random) -> list[str]:
    """A syndicated copy: same text, one sentence added at the end."""
    return [*paragraphs, rng.choice(["Die Agentur ergänzte die Meldung am Abend.",
                                     "(Mit Material von Nachrichtenagenturen.)",
                                     "Die Meldung wurde aktualisiert."])]


def _compose(i: int, seed: int, pool: tuple[Source, ...]) -> tuple[str, list[str]]:
    rng = random.Random(seed * 1_000_003 + i)
    base = pool[rng.randrange(len(pool))]
    keep = max(1, min(len(base.paragraphs), rng.randint(2, 6)))
    paragraphs = list(base.paragraphs[:keep])
    for _ in range(rng.randint(1, 4)):  # recombine with paragraphs of other articles
        other = pool[rng.randrange(len(pool))]
        paragraphs.insert(rng.randint(1, len(paragraphs)), rng.choice(other.paragraphs))
    words = _vocabulary()
    return _vary(base.title, rng, words), [_vary(p, rng, words) for p in paragraphs]


def _vary(text: str, rng: random.Random, words: dict[int, tuple[str, ...]]) -> str:
    """`text` with a share (SWAP) of its lower-case words of four letters or more swapped for corpus words of
    the same length: each use of a source paragraph reads differently, its names stay."""
    return _LOWER_WORD.sub(lambda m: rng.choice(words[len(m.group())]) if rng.random() < SWAP else m.group(), text)


@lru_cache(maxsize=1)
def _vocabulary() -> dict[int, tuple[str, ...]]:
    """The lower-case words of four letters or more of all sources, by length (sorted: the same on every run)."""
    found: set[str] = set()
    for src in sources():
        for text in (src.title, *src.paragraphs):
            found.update(_LOWER_WORD.findall(text))
    by_length: dict[int, list[str]] = {}
    for word in sorted(found):
        by_length.setdefault(len(word), []).append(word)
    return {n: tuple(ws) for n, ws in by_length.items()}


def article(i: int, seed: int = 7, pool: tuple[Source, ...] | None = None) -> tuple[str, str]:
    """(file name, file text) of article number `i`."""
    pool = pool or sources()
    rng = random.Random(seed * 7_919 + i)
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    draw = rng.random()
    if i > 10 and draw < COPY_SHARE:  # a syndicated copy of an earlier article
        title, paragraphs = _compose(rng.randrange(i), seed, pool)
        paragraphs = _edit(paragraphs, rng)
    elif i > 10 and draw < COPY_SHARE + PASSAGE_SHARE:  # a long passage of an earlier article, then its own
        _, earlier = _compose(rng.randrange(i), seed, pool)
        title, own = _compose(i, seed, pool)
        paragraphs = earlier[: max(2, len(earlier) // 2)] + own[1:]
    else:
        title, paragraphs = _compose(i, seed, pool)
    text = f" date {day.isoformat()} {title}\n\n" + "\n\n".join(paragraphs) + "\n"
    return f"artikel-{i:06d}.txt", text


def articles(size: int, seed: int = 7, start: int = 0) -> Iterator[tuple[str, str]]:
    """Articles start … start+size-1 as (file name, text)."""
    pool = sources()
    for i in range(start, start + size):
        yield article(i, seed, pool)


def write(folder: Path, size: int, seed: int = 7, start: int = 0) -> list[Path]:
    """Write the corpus into `folder` (created), each file complete before it is visible."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, text in articles(size, seed, start):
        path = folder / name
        atomic_write(path, text)
        out.append(path)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path, help="folder to write the article files into")
    p.add_argument("--size", type=int, default=1000, help="number of articles (default 1000)")
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = p.parse_args(argv)
    files = write(args.out, args.size, args.seed)
    print(f"wrote {len(files)} articles to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
