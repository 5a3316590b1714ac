"""GermEval 2014 TSV -> spaCy DocBin (outer level)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

SCHEMES = ("O", "labels")  # deriv/part -> O, or deriv/part as their own labels (LOCderiv, ORGpart, ...)
EVAL_TYPES = ("PER", "LOC", "ORG")
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "%", "…"}
_NO_SPACE_AFTER = {"(", "["}


@dataclass(frozen=True)
class Sentence:
    words: list[str]
    tags: list[str]  # outer BIO tags as in the file


def read_germeval(path: Path) -> Iterator[Sentence]:
    """Sentences of a GermEval 2014 file: `#` lines, `index token outer nested`, blank line between."""
    words: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                continue
            if not line.strip():
                if words:
                    yield Sentence(words, tags)
                words, tags = [], []
                continue
            cols = line.split("\t")
            words.append(cols[1])
            tags.append(cols[2])
    if words:
        yield Sentence(words, tags)


def map_tag(tag: str, scheme: str) -> str:
    """Outer tag under a label scheme: `O` drops deriv/part entities, `labels` keeps them as labels."""
    if tag == "O":
        return tag
    label = tag[2:]
    if scheme == "O" and (label.endswith("deriv") or label.endswith("part")):
        return "O"
    return tag[:2] + label


def spaces(words: list[str]) -> list[bool]:
    """Plausible whitespace after each token (no space before , . ) etc.), for readable doc.text."""
    out = []
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else None
        out.append(nxt is not None and nxt not in _NO_SPACE_BEFORE and w not in _NO_SPACE_AFTER)
    return out


def fix_bio(tags: list[str]) -> list[str]:
    """An I- tag after O or after another label starts a new entity (B-)."""
    out, prev = [], "O"
    for t in tags:
        if t.startswith("I-") and prev[2:] != t[2:]:
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def to_doc(vocab: Vocab, sent: Sentence, scheme: str) -> Doc:
    tags = fix_bio([map_tag(t, scheme) for t in sent.tags])
    return Doc(vocab, words=sent.words, spaces=spaces(sent.words), ents=tags)


def gold_spans(sent: Sentence, types: tuple[str, ...] = EVAL_TYPES) -> set[tuple[int, int, str]]:
    """Exact outer spans (start, end, label) of the given types, deriv/part excluded."""
    tags = fix_bio([map_tag(t, "O") for t in sent.tags])
    spans, start, label = set(), None, None
    for i, t in enumerate(tags + ["O"]):
        if start is not None and not t.startswith("I-"):
            if label in types:
                spans.add((start, i, label))
            start = None
        if t.startswith("B-"):
            start, label = i, t[2:]
    return spans


def convert(src: Path, dest: Path, scheme: str) -> Counter[str]:
    """Write a DocBin of the file's sentences; returns entity counts per label."""
    vocab = Vocab()
    db = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"], store_user_data=False)
    counts: Counter[str] = Counter()
    for n, sent in enumerate(read_germeval(src), 1):
        doc = to_doc(vocab, sent, scheme)
        counts.update(e.label_ for e in doc.ents)
        counts["sentences"] += 1
        db.add(doc)
        if n % 5000 == 0:
            print(f"  {src.name}: {n} sentences", flush=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(dest)
    return counts


def sentence_texts(src: Path) -> Iterator[str]:
    """One whitespace-joined line per sentence (floret training text)."""
    for sent in read_germeval(src):
        yield " ".join(sent.words)
