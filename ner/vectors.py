"""Floret static vectors trained only on the GermEval training sentences (CC BY 4.0)."""
from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from ner.convert import sentence_texts


@dataclass(frozen=True)
class FloretParams:
    dim: int = 100
    minn: int = 4  # 4-5-grams: as good on dev as 3-5 and half the hashing per token
    maxn: int = 5
    hash_count: int = 2
    bucket: int = 30_000  # 30k x 100 float32 = 12 MB inside the model folder
    epoch: int = 10
    min_count: int = 2


def build_vectors(train_tsv: Path, workdir: Path, params: FloretParams, env: dict[str, str]) -> Path:
    """Train floret on the train file's sentences, then `spacy init vectors --mode floret`; returns the dir."""
    import floret

    workdir.mkdir(parents=True, exist_ok=True)
    text = workdir / "train_sentences.txt"
    with text.open("w", encoding="utf-8") as f:
        for line in sentence_texts(train_tsv):
            f.write(line + "\n")
    started = time.time()
    print(f"[vectors] floret skipgram {asdict(params)} on {text}", flush=True)
    model = floret.train_unsupervised(
        str(text), model="skipgram", mode="floret", dim=params.dim, minn=params.minn, maxn=params.maxn,
        hashCount=params.hash_count, bucket=params.bucket, epoch=params.epoch, minCount=params.min_count,
        thread=1, verbose=2,
    )
    raw = workdir / "vectors.floret"
    model.save_floret_vectors(str(raw))
    print(f"\n[vectors] floret trained in {time.time() - started:.0f} s", flush=True)
    out = workdir / "spacy_vectors"
    cmd = [sys.executable, "-m", "spacy", "init", "vectors", "de", str(raw), str(out), "--mode", "floret"]
    subprocess.run(cmd, check=True, env=env)
    return out
