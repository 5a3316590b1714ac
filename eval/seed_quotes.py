"""Direct quotes of the five seed articles against eval/gold/seed_quotes.yaml: how many are found
(a predicted direct quote starts at the gold start) and how many of those carry the right speaker actor."""

from __future__ import annotations

from pathlib import Path

import yaml

from eval.metrics import PRF
from lagebild.enrich import enrich, load_resources
from lagebild.parse import parse_text_article

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold" / "seed_quotes.yaml"


def evaluate(res=None) -> dict[str, PRF]:
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    files = sorted(gold)
    arts = [parse_text_article(f, (ROOT / "seeds" / f).read_text(encoding="utf-8")) for f in files]
    found = speakers = n_pred = right_pred = 0
    n_gold = 0
    for f, art, enr in zip(files, arts, enrich(arts, res or load_resources()), strict=True):
        pred = {q.start_char: q.actor_id for q in enr.quotes if q.kind == "direct"}
        for start, actor, words in gold[f]:
            assert art.body[start:].startswith(words), (f, start, words)
            n_gold += 1
            found += start in pred
            speakers += pred.get(start) == actor
        starts = {g[0]: g[1] for g in gold[f]}
        n_pred += len(pred)
        right_pred += sum(starts.get(s) == a for s, a in pred.items())
    return {
        "seed direct quotes found": PRF(found, n_pred - found, n_gold - found),
        "seed direct quote speakers (exact actor)": PRF(right_pred, n_pred - right_pred, n_gold - speakers),
    }


if __name__ == "__main__":
    from eval.cli import parse

    parse("python -m eval.seed_quotes", __doc__)
    for name, score in evaluate().items():
        print(score.line(name))
