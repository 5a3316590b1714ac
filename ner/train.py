"""Run `python -m spacy train` on a config with the paths (and optional overrides) filled in."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

CONFIGS = Path(__file__).resolve().parent / "configs"
CODE = Path(__file__).resolve().parent / "gazetteer_code.py"  # registers the gazetteer component (harmless for base)


def config_path(name: str) -> Path:
    """A config by name (`base`) or by path."""
    p = Path(name)
    return p if p.suffix == ".cfg" else CONFIGS / f"{name}.cfg"


def train(config: Path, corpus: Path, vectors: Path | None, out: Path, overrides: dict[str, str],
          env: dict[str, str]) -> dict[str, object]:
    """Train into `out` (model-best, model-last); writes and returns `out/run.json` (wall time, overrides)."""
    args = {"paths.train": str(corpus / "train.spacy"), "paths.dev": str(corpus / "dev.spacy"),
            "paths.vectors": str(vectors) if vectors else "null", **overrides}
    if vectors is None:
        args["components.tok2vec.model.embed.include_static_vectors"] = "false"
    cmd = [sys.executable, "-m", "spacy", "train", str(config), "--output", str(out), "--code", str(CODE)]
    for key, value in args.items():
        cmd += [f"--{key}", value]
    print("[train] " + " ".join(cmd), flush=True)
    out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    with (out / "train.log").open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert proc.stdout is not None
        for line in proc.stdout:
            print(line, end="", flush=True)
            log.write(line)
        if proc.wait():
            raise SystemExit(f"spacy train failed with exit code {proc.returncode}; see {out / 'train.log'}")
    info: dict[str, object] = {"config": config.stem, "config_path": str(config), "overrides": args,
                               "wall_s": round(time.time() - started, 1), **parse_log(out / "train.log")}
    (out / "run.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
    return info


_ROW = re.compile(r"^\s*(\d+)\s+(\d+)\s+[\d.]+\s+[\d.]+\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$")


def parse_log(log: Path) -> dict[str, object]:
    """Last step, best step and best dev ents_f from spaCy's console table."""
    rows = [m.groups() for line in log.read_text(encoding="utf-8").splitlines() if (m := _ROW.match(line))]
    if not rows:
        return {"steps": 0, "best_step": 0, "epochs": 0}
    best = max(rows, key=lambda r: float(r[5]))
    return {"steps": int(rows[-1][1]), "epochs": int(rows[-1][0]), "best_step": int(best[1]),
            "best_spacy_ents_f": float(best[2])}
