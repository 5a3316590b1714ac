"""GermEval 2014 dev: PER/LOC/ORG outer spans, exact match, of the whole enrichment and of the NER model alone.

Mention kinds map to GermEval types: person -> PER, organisation/group -> ORG, country/place
(and metonyms such as Moskau) -> LOC; adjective, demonym and prefix mentions are not names and
are left out. The sentences go through enrichment 20 to an article, one per line, as the
`lagebild enrich` command would get them; a mention that does not fall on the gold tokens counts
as a false positive. Scores are given for the whole dev set and for two halves fixed before any
tuning by sentence index parity: half A (even index), whose errors the linking rules were tuned on,
and half B (odd index). The shipped NER model was chosen and early-stopped on the whole dev file, so every
figure here is a dev figure; the official GermEval test set is not used anywhere.
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


SENTENCES_PER_ARTICLE = 20  # the sentences of a batch go through enrichment as one article, one per line
COUNTED = {"adjective", "demonym", "prefix"}  # mention methods that are not names (never a LOC/ORG span)


def articles_of(sents: list) -> tuple[list[Article], list[list[tuple[int, list[int]]]]]:
    """Batches of sentences as articles (tokens joined by spaces, one sentence per line) and, per
    article, each sentence's index with the character offset of each of its tokens."""
    arts, layout = [], []
    for first in range(0, len(sents), SENTENCES_PER_ARTICLE):
        lines, where, pos = [], [], 0
        for i in range(first, min(first + SENTENCES_PER_ARTICLE, len(sents))):
            toks = sents[i][0]
            offs = []
            for t in toks:
                offs.append(pos)
                pos += len(t) + 1
            lines.append(" ".join(toks))
            where.append((i, offs))
        text = "\n".join(lines)
        arts.append(Article(f"g{first}", "", text, date(2010, 1, 1), "day", None, "germeval"))
        layout.append(where)
    return arts, layout


def _to_tokens(spans: list[tuple[int, int, str]], where: list[tuple[int, list[int]]],
               sents: list) -> dict[int, set[tuple]]:
    """Character spans to (start_token, end_token, type) per sentence; an unaligned span stays a
    character span, which never equals a gold span (a false positive, as in the official scoring)."""
    out: dict[int, set[tuple]] = {}
    for start, end, kind in spans:
        for i, offs in where:
            toks = sents[i][0]
            if offs[0] <= start <= offs[-1] + len(toks[-1]):
                starts = {o: k for k, o in enumerate(offs)}
                ends = {o + len(t): k + 1 for k, (o, t) in enumerate(zip(offs, toks, strict=True))}
                if start in starts and end in ends:
                    out.setdefault(i, set()).add((starts[start], ends[end], kind))
                else:
                    out.setdefault(i, set()).add(("chars", start, end, kind))
                break
    return out


def predict(sents: list, res) -> list[set[tuple]]:
    """The whole enrichment: mentions by kind (person PER, organisation/group ORG, country/place LOC)."""
    arts, layout = articles_of(sents)
    out: list[set[tuple]] = [set() for _ in sents]
    for where, enr in zip(layout, enrich(arts, res), strict=True):
        spans = [(m.start_char, m.end_char, KIND_TYPE[m.kind]) for m in enr.mentions
                 if m.kind in KIND_TYPE and m.method not in COUNTED]
        for i, found in _to_tokens(spans, where, sents).items():
            out[i] |= found
    return out


def predict_model(sents: list, model: str) -> list[set[tuple]]:
    """The statistical model alone, on the same articles (its PER/LOC/ORG entities)."""
    from lagebild.enrich.pipeline import load_ner

    nlp = load_ner(model)
    arts, layout = articles_of(sents)
    out: list[set[tuple]] = [set() for _ in sents]
    for where, doc in zip(layout, nlp.pipe(a.body for a in arts), strict=True):
        spans = [(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in TYPES]
        for i, found in _to_tokens(spans, where, sents).items():
            out[i] |= found
    return out


def evaluate(res=None) -> dict[str, PRF]:
    sents = read()
    res = res or load_resources()
    scores = _scores("GermEval dev", sents, predict(sents, res))
    if res.model:
        scores.update(_scores("GermEval dev, model alone,", sents, predict_model(sents, res.model)))
    return scores


def _scores(title: str, sents: list, preds: list[set[tuple]]) -> dict[str, PRF]:
    n = len(sents)
    scores = {}
    # The linking rules were tuned by reading their errors on half A only; the shipped model's configuration
    # and early stopping used the whole dev file, so neither half is held out: these are dev figures.
    for part, rng in (("all", range(n)), ("A", range(0, n, 2)), ("B", range(1, n, 2))):
        for kind in TYPES:
            g = {(i, *s) for i in rng for s in sents[i][1] if s[2] == kind}
            p = {(i, *s) for i in rng for s in preds[i] if s[-1] == kind}
            scores[f"{title} {part} {kind}"] = prf(g, p)
    return scores


if __name__ == "__main__":
    from eval.cli import parse

    parse("python -m eval.germeval", __doc__)
    for name, score in evaluate().items():
        print(score.line(name))
