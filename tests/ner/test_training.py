"""The NER training path end to end on tiny data, and the shipped model (real spaCy, no mocks)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from lagebild.enrich.gazetteer import register

register()  # the shipped config's first component, as lagebild/enrich/pipeline.py registers it before loading

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "lagebild" / "models" / "de_lagebild_ner"

_SENTENCES = [
    [("Angela", "B-PER"), ("Merkel", "I-PER"), ("besuchte", "O"), ("Berlin", "B-LOC"), (".", "O")],
    [("Die", "O"), ("Deutsche", "B-ORG"), ("Bank", "I-ORG"), ("sitzt", "O"), ("in", "O"),
     ("Frankfurt", "B-LOC"), (".", "O")],
    [("Olaf", "B-PER"), ("Scholz", "I-PER"), ("sprach", "O"), ("mit", "O"), ("der", "O"), ("SPD", "B-ORG"),
     ("in", "O"), ("Hamburg", "B-LOC"), (".", "O")],
    [("Der", "O"), ("deutsche", "B-LOCderiv"), ("Bundestag", "B-ORG"), ("tagte", "O"), ("am", "O"),
     ("Freitag", "O"), (".", "O")],
    [("Die", "O"), ("CDU-Vorsitzende", "B-ORGpart"), ("Annegret", "B-PER"), ("Kramp-Karrenbauer", "I-PER"),
     ("reiste", "O"), ("nach", "O"), ("Paris", "B-LOC"), ("und", "O"), ("las", "O"), ("Faust", "B-OTH"), (".", "O")],
]


def _write_germeval(path: Path, copies: int) -> None:
    lines = []
    for n, sent in enumerate(_SENTENCES * copies, 1):
        lines.append(f"# tiny sentence {n}")
        lines += [f"{i}\t{word}\t{tag}\tO" for i, (word, tag) in enumerate(sent, 1)]
        lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _ner(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    train, dev = tmp_path / "train.tsv", tmp_path / "dev.tsv"
    cmd = [sys.executable, "-m", "ner", *args, "--train", str(train), "--dev", str(dev),
           "--build", str(tmp_path / "build"), "--log", str(tmp_path / "experiments.jsonl"),
           "--model-out", str(tmp_path / "model")]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_convert_train_evaluate_package_on_tiny_data(tmp_path: Path) -> None:
    _write_germeval(tmp_path / "train.tsv", copies=4)
    _write_germeval(tmp_path / "dev.tsv", copies=1)
    steps = ["--override", "training.max_steps=30", "--override", "training.eval_frequency=10",
             "--override", "nlp.batch_size=8"]
    done = _ner(tmp_path, "all", "--no-vectors", "--name", "tiny", *steps)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (tmp_path / "build" / "corpus-O" / "train.spacy").is_file()
    nlp = spacy.load(tmp_path / "build" / "runs" / "tiny" / "model-best")
    assert "ner" in nlp.pipe_names
    assert {"PER", "LOC", "ORG"} <= set(nlp.get_pipe("ner").labels)
    assert not any(label.endswith(("deriv", "part")) for label in nlp.get_pipe("ner").labels)
    shipped = spacy.load(tmp_path / "model")
    assert shipped.meta["name"] == "de_lagebild_ner"
    assert "Benikova" in shipped.meta["sources"][0]["author"]
    entry = json.loads((tmp_path / "experiments.jsonl").read_text().splitlines()[-1])
    assert entry["name"] == "tiny" and set(entry["dev"]) == {"PER", "LOC", "ORG", "micro"}
    assert "| tiny |" in (tmp_path / "EXPERIMENTS.md").read_text()


def test_convert_keeps_deriv_part_as_labels_when_asked(tmp_path: Path) -> None:
    from ner.convert import convert, gold_spans, read_germeval

    _write_germeval(tmp_path / "train.tsv", copies=1)
    counts = convert(tmp_path / "train.tsv", tmp_path / "train.spacy", "labels")
    assert counts["LOCderiv"] == 1 and counts["ORGpart"] == 1 and counts["PER"] == 3
    last = list(read_germeval(tmp_path / "train.tsv"))[-1]
    assert gold_spans(last) == {(2, 4, "PER"), (6, 7, "LOC")}


@pytest.mark.parametrize("step", ["convert", "vectors", "train", "evaluate", "package", "all"])
def test_every_step_has_help(step: str, capsys: pytest.CaptureFixture[str]) -> None:
    from ner.__main__ import parser

    with pytest.raises(SystemExit) as exit_:
        parser().parse_args([step, "--help"])
    assert exit_.value.code == 0 and "--train" in capsys.readouterr().out


def test_shipped_model_tags_persons_and_places() -> None:
    nlp = spacy.load(SHIPPED)
    assert nlp.meta["name"] == "de_lagebild_ner" and nlp.meta["version"]
    doc = nlp("Angela Merkel traf in Berlin den Chef der Deutschen Bank .")
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Angela Merkel", "PER") in ents
    assert ("Berlin", "LOC") in ents
