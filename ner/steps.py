"""The steps of `python -m ner`, each reading and writing under the build folder."""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ner import experiments
from ner.convert import convert
from ner.vectors import FloretParams, build_vectors

DEFAULTS = {"scheme": "O", "config": "gazetteer"}


@dataclass(frozen=True)
class Run:
    train: Path
    dev: Path
    build: Path
    scheme: str
    config: Path
    name: str
    floret: FloretParams | None
    overrides: dict[str, str]
    log: Path
    model_out: Path

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Run:
        from ner.train import config_path

        config = config_path(args.config)
        floret = None if args.no_vectors else _floret(args.floret)
        name = args.name or f"{config.stem}-{args.scheme}" + ("-novec" if floret is None else "")
        overrides = dict(o.split("=", 1) for o in args.override)
        for p in (args.train, args.dev):
            if not p.is_file():
                raise SystemExit(f"not found: {p} (set --train/--dev or LAGEBILD_NER_TRAIN/LAGEBILD_NER_DEV)")
        return cls(args.train.resolve(), args.dev.resolve(), args.build.resolve(), args.scheme, config.resolve(),
                   name, floret, overrides, (args.log or experiments.LOG).resolve(), args.model_out.resolve())

    @property
    def corpus(self) -> Path:
        return self.build / f"corpus-{self.scheme}"

    @property
    def vectors(self) -> Path | None:
        if self.floret is None:
            return None
        f = self.floret
        return self.build / f"vectors-d{f.dim}-n{f.minn}{f.maxn}-h{f.hash_count}-b{f.bucket // 1000}k-e{f.epoch}"

    @property
    def out(self) -> Path:
        return self.build / "runs" / self.name


def _floret(spec: str | None) -> FloretParams:
    params = FloretParams()
    if not spec:
        return params
    known = {f.name for f in fields(FloretParams)}
    values = dict(kv.split("=", 1) for kv in spec.split(","))
    unknown = set(values) - known
    if unknown:
        raise SystemExit(f"unknown floret parameter(s) {sorted(unknown)}; known: {sorted(known)}")
    return replace(params, **{k: int(v) for k, v in values.items()})


def _env() -> dict[str, str]:
    return {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def convert_step(run: Run) -> None:
    for split, src in (("train", run.train), ("dev", run.dev)):
        counts = convert(src, run.corpus / f"{split}.spacy", run.scheme)
        print(f"[convert] {src.name} -> {run.corpus / (split + '.spacy')}: {dict(counts)}", flush=True)


def vectors_step(run: Run) -> None:
    if run.vectors is None or run.floret is None:
        print("[vectors] skipped (--no-vectors)", flush=True)
        return
    stamp = {"params": asdict(run.floret), "train_sha256": _sha(run.train)}
    stamp_file = run.vectors / "params.json"
    if stamp_file.exists() and json.loads(stamp_file.read_text()) == stamp and (run.vectors / "spacy_vectors").is_dir():
        print(f"[vectors] up to date: {run.vectors}", flush=True)
        return
    build_vectors(run.train, run.vectors, run.floret, _env())
    stamp_file.write_text(json.dumps(stamp, indent=2))


def train_step(run: Run) -> None:
    from ner.train import train

    if not (run.corpus / "train.spacy").exists():
        convert_step(run)
    if run.vectors is not None and not (run.vectors / "spacy_vectors").is_dir():
        vectors_step(run)
    train(run.config, run.corpus, run.vectors / "spacy_vectors" if run.vectors else None, run.out,
          run.overrides, _env())


def _hyper(model: Path) -> dict[str, Any]:
    from spacy.util import load_config

    c = load_config(model / "config.cfg")
    t2v, tr = c["components"]["tok2vec"]["model"], c["training"]
    return {"width": t2v["encode"]["width"], "depth": t2v["encode"]["depth"],
            "window_size": t2v["encode"]["window_size"], "maxout_pieces": t2v["encode"]["maxout_pieces"],
            "attrs": t2v["embed"]["attrs"], "rows": t2v["embed"]["rows"],
            "static_vectors": t2v["embed"]["include_static_vectors"],
            "ner_hidden_width": c["components"]["ner"]["model"]["hidden_width"],
            "dropout": tr["dropout"], "learn_rate": tr["optimizer"]["learn_rate"], "max_steps": tr["max_steps"],
            "patience": tr["patience"], "eval_frequency": tr["eval_frequency"], "seed": c["system"]["seed"],
            "batch_size_stop": tr["batcher"]["size"]["stop"]}


def evaluate_step(run: Run) -> dict[str, Any]:
    from ner.evaluate import evaluate

    model = run.out / "model-best"
    if not model.is_dir():
        raise SystemExit(f"no trained model at {model}: run the train step first")
    info = json.loads((run.out / "run.json").read_text())
    result = evaluate(model, run.dev)
    entry = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "name": run.name,
             "config": run.config.stem, "scheme": run.scheme,
             "vectors": asdict(run.floret) if run.floret else None, "hyper": _hyper(model),
             "steps": info.get("steps"), "best_step": info.get("best_step"), "epochs": info.get("epochs"),
             "wall_s": info["wall_s"], "overrides": run.overrides, "train_file": run.train.name,
             "train_sha256": _sha(run.train), "machine": f"{platform.machine()} {os.cpu_count()} cores",
             "load_avg": round(os.getloadavg()[0], 2), **{k: info[k] for k in ("note",) if k in info}, **result}
    experiments.record(entry, run.log, run.log.with_name("EXPERIMENTS.md"))
    return entry


def package_step(run: Run, entry: dict[str, Any] | None = None) -> None:
    from ner.package import package

    if entry is None:
        mine = [e for e in experiments.load(run.log) if e["name"] == run.name]
        entry = mine[-1] if mine else evaluate_step(run)
    package(run.out / "model-best", run.model_out, entry, entry)


def all_steps(run: Run) -> None:
    convert_step(run)
    vectors_step(run)
    train_step(run)
    package_step(run, evaluate_step(run))
