"""Actor mentions on the five seed articles against tests/enrich/seed_gold.yaml (document and mention level)."""

from __future__ import annotations

from pathlib import Path

import yaml

from eval.metrics import PRF, prf
from flows.enrich import enrich, load_resources
from flows.parse import parse_text_article

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "enrich" / "seed_gold.yaml"


def evaluate(res=None) -> dict[str, PRF]:
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["articles"]
    files = sorted(gold)
    arts = [parse_text_article(f, (ROOT / "seeds" / f).read_text(encoding="utf-8")) for f in files]
    out = enrich(arts, res or load_resources())
    g_m, p_m, g_d, p_d = set(), set(), set(), set()
    for f, art, enr in zip(files, arts, out):
        for actor, _surface, s, e in gold[f]["mentions"]:
            g_m.add((f, actor, s, e))
            g_d.add((f, actor))
        for m in enr.mentions:
            p_m.add((f, m.actor_id, m.start_char, m.end_char))
            p_d.add((f, m.actor_id))
    return {"seed actors, mention level": prf(g_m, p_m), "seed actors, document level": prf(g_d, p_d)}


if __name__ == "__main__":
    for name, score in evaluate().items():
        print(score.line(name))
