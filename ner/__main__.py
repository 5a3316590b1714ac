"""`python -m ner STEP`: convert -> vectors -> train -> evaluate (-> package); `all` runs every step."""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # single-threaded training and tagging, before numpy is imported

import argparse  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from ner import steps  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GERMEVAL = ROOT.parent / "shared" / "corpora" / "germeval2014"


def _common(p: argparse.ArgumentParser) -> None:
    env = os.environ
    p.add_argument("--train", type=Path, default=Path(env.get("LAGEBILD_NER_TRAIN", GERMEVAL / "NER-de-train.tsv")),
                   help="GermEval 2014 training TSV (env LAGEBILD_NER_TRAIN; default: %(default)s)")
    p.add_argument("--dev", type=Path, default=Path(env.get("LAGEBILD_NER_DEV", GERMEVAL / "NER-de-dev.tsv")),
                   help="GermEval 2014 dev TSV, for early stopping and scores "
                        "(env LAGEBILD_NER_DEV; default: %(default)s)")
    p.add_argument("--build", type=Path, default=ROOT / "ner" / "build",
                   help="folder for DocBins, vectors and training runs (git-ignored; default: %(default)s)")
    p.add_argument("--scheme", choices=("O", "labels"), default=steps.DEFAULTS["scheme"],
                   help="deriv/part entities (LOCderiv, ORGpart, ...): 'O' drops them, 'labels' keeps them as "
                        "labels of their own (default: %(default)s)")
    p.add_argument("--config", default=steps.DEFAULTS["config"],
                   help="config name in ner/configs or a .cfg path (default: %(default)s)")
    p.add_argument("--name", default=None, help="run name (default: CONFIG-SCHEME[-novec])")
    p.add_argument("--no-vectors", action="store_true", help="train without floret static vectors")
    p.add_argument("--floret", default=None, metavar="K=V,...",
                   help=f"floret parameters, e.g. 'minn=4,bucket=50000' (defaults: {steps.FloretParams()})")
    p.add_argument("--override", action="append", default=[], metavar="KEY=VALUE",
                   help="spaCy config override, e.g. training.max_steps=200 (repeatable)")
    p.add_argument("--log", type=Path, default=None, help="experiment log (default: ner/experiments.jsonl)")
    p.add_argument("--model-out", type=Path, default=ROOT / "lagebild" / "models" / "de_lagebild_ner",
                   help="where `package` and `all` write the shipped model (default: %(default)s)")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m ner", description=__doc__)
    sub = ap.add_subparsers(dest="step", required=True)
    helps = {
        "convert": "GermEval TSV (train, dev) -> spaCy DocBins under BUILD/corpus-SCHEME",
        "vectors": "train floret vectors on the training file's sentences only -> BUILD/vectors-*",
        "train": "run `python -m spacy train` on the config (early stopping on the dev DocBin)",
        "evaluate": "dev P/R/F1 per PER/LOC/ORG, tokens/s on one thread, model size; appends to the experiment log",
        "package": "write the evaluated run's model-best as de_lagebild_ner to --model-out",
        "all": "convert, vectors, train, evaluate, package: what `make model` runs",
    }
    for name, text in helps.items():
        _common(sub.add_parser(name, help=text, description=text))
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    run = steps.Run.from_args(args)
    {"convert": steps.convert_step, "vectors": steps.vectors_step, "train": steps.train_step,
     "evaluate": steps.evaluate_step, "package": steps.package_step, "all": steps.all_steps}[args.step](run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
