"""Write the shipped model folder: the trained pipeline plus meta (name, version, sources, dev scores)."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import spacy
from thinc.api import Config

from lagebild.enrich.gazetteer import register

NAME = "de_lagebild_ner"
VERSION = "1.1.0"  # 1.1: gazetteer features (ner/configs/gazetteer.cfg)
SOURCE = {
    "name": "GermEval 2014 NER training set (NoSta-D)",
    "url": "https://sites.google.com/site/germeval2014ner/",
    "license": "CC BY 4.0",
    "author": "D. Benikova, C. Biemann, M. Reznicek: NoSta-D Named Entity Annotation for German, LREC 2014",
}


def package(model: Path, dest: Path, result: dict[str, Any], run: dict[str, Any]) -> Path:
    """Copy `model` (a spacy train output) to `dest` with Lagebild's meta.json."""
    register()  # the gazetteer component of the shipped config
    nlp = spacy.load(model)
    dev = result["dev"]
    nlp.meta.update({
        "name": NAME,
        "version": VERSION,
        "description": "German NER (PER, LOC, ORG, OTH) for Lagebild: tok2vec CNN + ner, trained with `make model` "
                       "on the GermEval 2014 training set only; floret vectors trained on the same sentences.",
        "author": "Lagebild",
        "license": "CC BY 4.0",
        "sources": [SOURCE],
        "performance": {
            "ents_p": dev["micro"]["p"], "ents_r": dev["micro"]["r"], "ents_f": dev["micro"]["f"],
            "ents_per_type": {t: dict(dev[t]) for t in ("PER", "LOC", "ORG")},
            "evaluated_on": "GermEval 2014 dev, exact outer spans of PER/LOC/ORG (not the official test set)",
            "tokens_per_cpu_second": result["tokens_per_s"],
        },
        "lagebild": {"run": run["name"], "config": run["config"], "scheme": run["scheme"],
                     "steps": run["steps"], "best_step": run["best_step"], "seed": run["hyper"]["seed"]},
    })
    if dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(dest)
    config = Config().from_disk(dest / "config.cfg", interpolate=False)
    config["paths"] = {key: None for key in config["paths"]}  # no build-folder paths in the shipped config
    config.to_disk(dest / "config.cfg")
    print(f"[package] wrote {NAME} {VERSION} to {dest}", flush=True)
    return dest
