"""Discovered actors on the Wikinews stream: how many, and a fixed random sample of those with two or more
mentions, for judging by hand whether each is a real name (`python -m eval.discovered [SAMPLE_SIZE]`)."""

from __future__ import annotations

import collections
import random
from pathlib import Path

from lagebild.enrich import enrich, load_resources
from lagebild.parse import parse_file

ROOT = Path(__file__).resolve().parents[1]
WIKINEWS = ROOT.parent / "shared" / "corpora" / "wikinews-de" / "articles"
SEED = 7  # fixed, so the judged sample can be reproduced


def main(size: int = 100) -> None:
    res = load_resources()
    arts = [a for f in sorted(WIKINEWS.glob("*")) for a in parse_file(f.name, f.read_bytes()).articles]
    count: collections.Counter[str] = collections.Counter()
    kinds: dict[str, str] = {}
    for enr in enrich(arts, res):
        for m in enr.mentions:
            if m.actor_id.startswith("disc-"):
                count[m.name] += 1
                kinds[m.name] = m.kind
    twice = [(n, c) for n, c in count.most_common() if c >= 2]
    print(f"{len(arts)} articles; {len(count)} discovered actors; {len(twice)} with two or more mentions")
    for name, c in sorted(random.Random(SEED).sample(twice, min(size, len(twice))), key=lambda x: (-x[1], x[0])):
        print(f"{c:4d}  {kinds[name]:<13} {name}")


if __name__ == "__main__":
    from eval.cli import parse

    main(parse("python -m eval.discovered", __doc__, options=lambda p: p.add_argument(
        "sample", nargs="?", type=int, default=100, help="how many discovered actors to list (default 100)")).sample)
