"""Dev scores (exact outer PER/LOC/ORG spans), one-core tagging speed and size of a trained pipeline."""
from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from lagebild.enrich.gazetteer import register
from ner.convert import EVAL_TYPES, Sentence, gold_spans, read_germeval, spaces


def folder_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6, 2)


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4)}


_HYPHEN = re.compile(r"(?<=[A-Za-zÄÖÜäöüß0-9])-(?=[A-Za-zÄÖÜäöüß])")  # Lagebild's split_hyphens infix


def split_hyphens(sent: Sentence) -> tuple[list[str], set[tuple[int, int, str]]]:
    """The sentence as Lagebild's tokenizer splits it (Nato-Chef -> Nato - Chef), gold spans re-indexed."""
    words: list[str] = []
    starts: list[int] = []
    for w in sent.words:
        starts.append(len(words))
        pieces = _HYPHEN.split(w)
        for i, piece in enumerate(pieces):
            words += ([piece] if i == 0 else ["-", piece]) if piece else []
    starts.append(len(words))
    return words, {(starts[a], starts[b], label) for a, b, label in gold_spans(sent)}


def dev_scores(nlp: Language, dev_tsv: Path, hyphens: bool = False) -> dict[str, dict[str, float]]:
    """P/R/F1 per type and micro over PER/LOC/ORG on the dev file's own tokens (other labels are ignored);
    `hyphens=True`: on the tokens as Lagebild's product tokenizer splits hyphenated compounds."""
    sents = list(read_germeval(dev_tsv))
    prepared = [split_hyphens(s) if hyphens else (s.words, gold_spans(s)) for s in sents]
    docs = (Doc(nlp.vocab, words=w, spaces=spaces(w)) for w, _ in prepared)
    counts: Counter[tuple[str, str]] = Counter()
    for (_, gold), doc in zip(prepared, nlp.pipe(docs, batch_size=256), strict=True):
        pred = {(e.start, e.end, e.label_) for e in doc.ents if e.label_ in EVAL_TYPES}
        for _, _, label in pred & gold:
            counts[label, "tp"] += 1
        for _, _, label in pred - gold:
            counts[label, "fp"] += 1
        for _, _, label in gold - pred:
            counts[label, "fn"] += 1
    out = {t: prf(counts[t, "tp"], counts[t, "fp"], counts[t, "fn"]) for t in EVAL_TYPES}
    out["micro"] = prf(*(sum(counts[t, k] for t in EVAL_TYPES) for k in ("tp", "fp", "fn")))
    return out


def tokens_per_second(nlp: Language, texts: list[str], repeats: int = 3) -> tuple[int, int]:
    """Best of `repeats` passes of nlp.pipe over raw text (tokenizer included), single-threaded:
    (tokens per CPU second of this process, tokens per wall second). CPU time is robust to a busy machine."""
    list(nlp.pipe(texts[:200]))
    cpu = wall = 0.0
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        n = sum(len(doc) for doc in nlp.pipe(texts, batch_size=256))
        cpu = max(cpu, n / (time.process_time() - c0))
        wall = max(wall, n / (time.perf_counter() - w0))
    return round(cpu), round(wall)


def evaluate(model: Path, dev_tsv: Path) -> dict[str, Any]:
    """Everything the experiment log records about a trained pipeline."""
    register()  # the gazetteer component of the shipped config
    nlp = spacy.load(model)
    print(f"[evaluate] {model} on {dev_tsv.name}", flush=True)
    scores = dev_scores(nlp, dev_tsv)
    texts = ["".join(w + (" " if sp else "") for w, sp in zip(s.words, spaces(s.words), strict=True))
             for s in read_germeval(dev_tsv)]
    tps, tps_wall = tokens_per_second(nlp, texts)
    split = dev_scores(nlp, dev_tsv, hyphens=True)
    labels = list(getattr(nlp.get_pipe("ner"), "labels", ()))
    result: dict[str, Any] = {"dev": scores, "tokens_per_s": tps, "tokens_per_s_wall": tps_wall,
                              "model_mb": folder_mb(model), "labels": labels, "dev_split_hyphens": split}
    for t in (*EVAL_TYPES, "micro"):
        s = scores[t]
        print(f"  {t:6s} P {s['p']:.3f}  R {s['r']:.3f}  F {s['f']:.3f}", flush=True)
    print(f"  with Lagebild's hyphen splitting: micro F {split['micro']['f']:.3f}", flush=True)
    print(f"  {tps} tokens per CPU second on one thread ({tps_wall}/s wall), "
          f"model folder {result['model_mb']} MB", flush=True)
    return result
