"""Actor mentions on the five seed articles (document and mention level).

Primary: eval/gold/seed_actors.yaml, annotated blind (without looking at the matcher or its output).
Actors missing from the registry are `new:<Name>` there and match a discovered `disc-<slug>` actor.
Secondary, labelled as such: tests/enrich/seed_gold.yaml, which was pre-filled from the matcher
output and then corrected, so it favours the matcher.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from eval.metrics import PRF, prf
from lagebild.enrich import enrich, load_resources
from lagebild.enrich.discovery import slug
from lagebild.parse import parse_text_article

ROOT = Path(__file__).resolve().parents[1]
BLIND = ROOT / "eval" / "gold" / "seed_actors.yaml"
PREFILLED = ROOT / "tests" / "enrich" / "seed_gold.yaml"


def _actor(aid: str) -> str:
    return f"disc-{slug(aid[4:])}" if aid.startswith("new:") else aid


def _score(gold_path: Path, res, registry_only: bool = False, places: bool = True) -> tuple[PRF, PRF]:
    """Mention- and document-level scores; `places=False` leaves out place mentions on both sides
    (the annotation guide does not annotate places where something happened: no city is an actor)."""
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))["articles"]
    files = sorted(gold)
    arts = [parse_text_article(f, (ROOT / "seeds" / f).read_text(encoding="utf-8")) for f in files]
    keep = (lambda a: a in res.by_id) if registry_only else (lambda a: True)
    place = {a.id for a in res.actors if a.kind == "place"}
    g_m, p_m = set(), set()
    for f, enr in zip(files, enrich(arts, res), strict=True):
        g_m |= {(f, _actor(a), s, e) for a, _surface, s, e in gold[f]["mentions"]
                if keep(_actor(a)) and (places or _actor(a) not in place)}
        p_m |= {(f, m.actor_id, m.start_char, m.end_char) for m in enr.mentions
                if keep(m.actor_id) and (places or m.kind != "place")}
    return prf(g_m, p_m), prf({x[:2] for x in g_m}, {x[:2] for x in p_m})


def evaluate(res=None) -> dict[str, PRF]:
    res = res or load_resources()
    out: dict[str, PRF] = {}
    if BLIND.exists():
        m, d = _score(BLIND, res)
        out |= {"seed actors (blind gold), mention level": m, "seed actors (blind gold), document level": d}
        m, d = _score(BLIND, res, places=False)
        out |= {"seed actors without places (blind), mention": m, "seed actors without places (blind), document": d}
        m, d = _score(BLIND, res, registry_only=True)
        out |= {"seed registry actors (blind), mention": m, "seed registry actors (blind), document": d}
    m, d = _score(PREFILLED, res)
    out |= {"seed actors (matcher-prefilled gold, secondary), mention": m,
            "seed actors (matcher-prefilled gold, secondary), document": d}
    return out


if __name__ == "__main__":
    from eval.cli import parse

    parse("python -m eval.seeds", __doc__)
    for name, score in evaluate().items():
        print(score.line(name))
