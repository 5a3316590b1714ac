"""Quote speakers on Wikinews (quotes.jsonl): a gold quote counts as found when a predicted quote
overlaps its quote span and the predicted speaker span overlaps the gold speaker span.

Also reported: the exact speaker actor (on gold quotes whose speaker span holds a named actor, the
overlapping prediction must resolve to that actor) and cue spans (sagte, zufolge, Nach Angaben von …).

Gold offsets are into the article file as written (header line included); they are mapped to
the stored body by aligning the non-whitespace characters of both. Gold quotes without a speaker
span are left out. Every article of the corpus is enriched, so quotes predicted in articles without
gold quotes count as false positives.

Split, fixed before any tuning: half A (tuning) holds the files whose SHA-1 of the file name starts
with an even byte, half B (held out, never looked at while tuning) the others.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path

from eval import seed_quotes
from eval.metrics import PRF
from lagebild.enrich import enrich, load_resources
from lagebild.enrich.speakers import Speakers
from lagebild.parse import parse_text_article

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "wikinews-de"


def offset_map(raw: str, body: str) -> dict[int, int]:
    """File offset -> body offset, for every non-whitespace character after the date token."""
    start = raw.index("date") + len("date ")
    start = raw.index(" ", start)
    raw_pos = [i for i in range(start, len(raw)) if not raw[i].isspace()]
    body_pos = [i for i, c in enumerate(body) if not c.isspace()]
    return dict(zip(raw_pos, body_pos, strict=False))


def _span(spans, omap) -> tuple[int, int] | None:
    pts = [omap[i] for s, e in spans for i in range(s, e) if i in omap]
    return (min(pts), max(pts) + 1) if pts else None


def _overlap(a, b) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def load():
    gold = defaultdict(list)
    for line in (CORPUS / "quotes.jsonl").read_text(encoding="utf-8").splitlines():
        q = json.loads(line)
        if q.get("speaker") and q["speaker"].get("spans") and q.get("quote"):
            gold[q["file"]].append(q)
    return gold


def half(name: str) -> str:
    """'A' (tuning) or 'B' (held out), by the first byte of SHA-1 of the file name."""
    return "A" if hashlib.sha1(name.encode()).digest()[0] % 2 == 0 else "B"


MEASURES = ("speakers", "speaker actors", "cues")
HALVES = ("all", "half A (tuning)", "half B (held out)")


def parsed_articles(files: list[str]) -> tuple[list, list[dict[int, int]]]:
    """The corpus files as articles, with each file's offset map (raw text -> article body)."""
    arts, maps = [], []
    for f in files:
        raw = (CORPUS / "articles" / f).read_text(encoding="utf-8")
        art = parse_text_article(f, raw)
        arts.append(art)
        maps.append(offset_map(raw, art.body))
    return arts, maps


def evaluate(res=None) -> dict[str, PRF]:
    """Speaker spans, exact speaker actors and cue spans, on all articles and on each half."""
    gold = load()
    files = sorted(p.name for p in (CORPUS / "articles").glob("*.txt"))
    arts, maps = parsed_articles(files)
    out = enrich(arts, res or load_resources())
    counts = {(m, h): [0, 0, 0] for m in MEASURES for h in HALVES}
    for f, omap, enr in zip(files, maps, out, strict=False):
        golds = [(_span(q["quote"]["spans"], omap), _span(q["speaker"]["spans"], omap),
                  _span(q["cue"]["spans"], omap) if q.get("cue") else None) for q in gold[f]]
        preds = [q for q in enr.quotes if q.speaker_start is not None]
        for h in ("all", "half A (tuning)" if half(f) == "A" else "half B (held out)"):
            for m, c in zip(MEASURES, (_speakers(golds, preds), _actors(golds, preds, enr), _cues(golds, preds)),
                            strict=True):
                _add(counts[(m, h)], c)
    names = {"speakers": "Wikinews quote speakers", "speaker actors": "Wikinews speaker actors",
             "cues": "Wikinews quote cues"}
    scores = {f"{names[m]} {h}": _prf(c) for (m, h), c in counts.items()}
    return {**scores, **seed_quotes.evaluate(res)}


def _add(total: list[int], c: tuple[int, int, int, int]) -> None:
    for i in range(3):
        total[i] += c[i]
    total.append(c[3])


def _speakers(golds, preds) -> tuple[int, int, int, int]:
    """(tp among predictions, predictions, tp among gold, gold): quote and speaker spans overlap."""
    pairs = [((q.start_char, q.end_char), (q.speaker_start, q.speaker_end)) for q in preds]
    tp_r = sum(any(_overlap(gq, pq) and _overlap(gs, ps) for pq, ps in pairs) for gq, gs, _ in golds)
    tp_p = sum(any(_overlap(gq, pq) and _overlap(gs, ps) for gq, gs, _ in golds) for pq, ps in pairs)
    return tp_p, len(pairs), tp_r, len(golds)


def _actors(golds, preds, enr) -> tuple[int, int, int, int]:
    """Exact actor: on gold quotes whose speaker span names an actor (a mention inside it), the prediction
    overlapping the quote must carry that actor. Predictions overlapping only gold quotes whose speaker
    names no actor (er, die Polizei as a common noun) are not judged."""
    speakers = Speakers(enr.mentions)
    named = []
    for gq, gs, _ in golds:
        m = speakers.inside(*gs) if gs else None
        named.append((gq, m.actor_id if m else None))
    judged = [(gq, aid) for gq, aid in named if aid]
    tp_r = sum(any(_overlap(gq, (q.start_char, q.end_char)) and q.actor_id == aid for q in preds) for gq, aid in judged)
    tp_p = n_pred = 0
    for q in (q for q in preds if q.actor_id):
        hit = [aid for gq, aid in named if _overlap(gq, (q.start_char, q.end_char))]
        if hit and not any(hit):
            continue
        n_pred += 1
        tp_p += q.actor_id in hit
    return tp_p, n_pred, tp_r, len(judged)


def _cues(golds, preds) -> tuple[int, int, int, int]:
    """Cue spans: a predicted cue is right when it overlaps a gold cue; each distinct span counts once."""
    gold_cues = {gc for _, _, gc in golds if gc}
    pred_cues = {(q.cue_start, q.cue_end) for q in preds if q.cue_start is not None}
    tp_p = sum(any(_overlap(g, p) for g in gold_cues) for p in pred_cues)
    tp_r = sum(any(_overlap(g, p) for p in pred_cues) for g in gold_cues)
    return tp_p, len(pred_cues), tp_r, len(gold_cues)


def _prf(c: list[int]) -> PRF:
    tp_p, n_pred, tp_r, n_gold = c[0], c[1], c[2], sum(c[3:])
    # precision from predictions, recall from gold items; PRF(tp, fp, fn) reproduces both
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    return _Score(tp_r, n_pred - tp_p, n_gold - tp_r, p, r)


class _Score(PRF):
    def __init__(self, tp, fp, fn, p, r):
        for name, value in (("tp", tp), ("fp", fp), ("fn", fn), ("_p", p), ("_r", r)):
            object.__setattr__(self, name, value)

    @property
    def precision(self) -> float:
        return self._p

    @property
    def recall(self) -> float:
        return self._r


if __name__ == "__main__":
    from eval.cli import parse

    parse("python -m eval.quotes", __doc__)
    for name, score in evaluate().items():
        print(score.line(name))
