"""GermEval 2014 dev: PER/LOC/ORG outer spans, exact match, without a downloaded model.

Registry kinds map to GermEval types: person -> PER, organisation/group -> ORG, country/place
(and metonyms such as Moskau) -> LOC; adjectives and demonyms are GermEval's *deriv classes
and are left out. Scores are given for the whole dev set and for two halves fixed before any
tuning by sentence index parity: half A (even index, tuning) and half B (odd index, held out).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from eval.metrics import PRF, prf
from lagebild.article import Article
from lagebild.enrich import enrich, load_resources

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpora" / "germeval2014" / "NER-de-dev.tsv"
TYPES = ("PER", "LOC", "ORG")
KIND_TYPE = {"person": "PER", "organisation": "ORG", "group": "ORG", "country": "LOC", "place": "LOC"}


def read(path: Path = DEV) -> list[tuple[list[str], set[tuple[int, int, str]]]]:
    """Sentences as (tokens, {(start, end, type)}) from outer BIO tags."""
    sents, toks, tags = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#"):
            continue
        if not line.strip():
            if toks:
                sents.append((toks, _spans(tags)))
            toks, tags = [], []
            continue
        cols = line.split("\t")
        toks.append(cols[1])
        tags.append(cols[2])
    return sents


def _spans(tags: list[str]) -> set[tuple[int, int, str]]:
    out, start, kind = set(), None, None
    for i, tag in enumerate(tags + ["O"]):
        if start is not None and not (tag.startswith("I-") and tag[2:] == kind):
            if kind in TYPES:
                out.add((start, i, kind))
            start = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, kind = i, tag[2:]
    return out


def predict(sents, res) -> list[set[tuple[int, int, str]]]:
    arts, offsets = [], []
    for n, (toks, _) in enumerate(sents):
        text, offs, pos = " ".join(toks), [], 0
        for t in toks:
            offs.append(pos)
            pos += len(t) + 1
        offsets.append(offs)
        arts.append(Article(f"g{n}", "", text, date(2010, 1, 1), "day", None, "germeval"))
    out = []
    for offs, enr in zip(offsets, enrich(arts, res)):
        start_tok = {o: i for i, o in enumerate(offs)}
        end_tok = {o + len(t): i + 1 for i, (o, t) in enumerate(zip(offs, enr_tokens(offs, arts[len(out)].body)))}
        spans = set()
        for m in enr.mentions:
            kind = KIND_TYPE.get(m.kind)
            if kind and m.method not in ("adjective", "demonym") and m.start_char in start_tok and m.end_char in end_tok:
                spans.add((start_tok[m.start_char], end_tok[m.end_char], kind))
        out.append(spans)
    return out


def enr_tokens(offs: list[int], text: str) -> list[str]:
    return [text[a:b - 1] for a, b in zip(offs, offs[1:] + [len(text) + 1])]


def evaluate(res=None) -> dict[str, PRF]:
    sents = read()
    preds = predict(sents, res or load_resources())
    n = len(sents)
    scores = {}
    for part, rng in (("all", range(n)), ("A (tuning)", range(0, n, 2)), ("B (held out)", range(1, n, 2))):
        for kind in TYPES:
            g = {(i, *s) for i in rng for s in sents[i][1] if s[2] == kind}
            p = {(i, *s) for i in rng for s in preds[i] if s[2] == kind}
            scores[f"GermEval dev {part} {kind}"] = prf(g, p)
    return scores


if __name__ == "__main__":
    for name, score in evaluate().items():
        print(score.line(name))
