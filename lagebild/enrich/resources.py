"""Everything enrichment needs, read once: registry, overlay, theme lexicon, word lists.

`Resources` is plain data (picklable for Dask workers); the spaCy pipeline is built
lazily per process from it (see pipeline.py).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lagebild.enrich.gazetteer import FACTORY as GAZETTEER
from lagebild.enrich.gazetteer import Tables, build_tables
from lagebild.enrich.lexicon import given_names, place_names, surnames
from lagebild.enrich.registry import DATA_DIR, RegistryActor, load_registry
from lagebild.enrich.review import Overlay, apply_overlay, load_overlay
from lagebild.enrich.themes import THEMES_FILE, Theme, load_themes

CODE_VERSION = "enrich-7"


@dataclass(frozen=True)
class Resources:
    actors: tuple[RegistryActor, ...]
    theme_list: tuple[Theme, ...]
    overlay: Overlay
    given_names: frozenset[str]
    places: frozenset[str]
    model: str | None
    enrich_version: str
    by_id: dict[str, RegistryActor] = field(default_factory=dict, compare=False, repr=False)
    gazetteer: Tables | None = field(default=None, compare=False, repr=False)  # for a model that uses them
    # what is derived from the rest once and kept with it in the disk cache (pipeline.pattern_words)
    compiled: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def themes(self) -> list[tuple[str, str]]:
        """(theme_id, label) rows for the `themes` table."""
        return [(t.id, t.label) for t in self.theme_list]


def _version(paths: list[Path], overlay_path: Path | None, model: str | None) -> str:
    h = hashlib.sha256(CODE_VERSION.encode())
    for p in [*paths, *([overlay_path] if overlay_path and overlay_path.exists() else [])]:
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    h.update(_model_identity(model))
    h.update(f"{len(given_names())}/{len(place_names())}/{len(surnames())}".encode())  # optional word-list packages
    return h.hexdigest()[:12]


SHIPPED_MODEL = Path(__file__).resolve().parents[1] / "models" / "de_lagebild_ner"
RULES_ONLY = ("none", "rules")


def resolve_model(name: str | None) -> str | None:
    """The spaCy pipeline to load: None or '' -> the model shipped with Lagebild; 'none' -> the rules
    alone; anything else -> an installed pipeline's name or a model folder."""
    if name and name.strip().lower() in RULES_ONLY:
        return None
    if name:
        return name
    if not (SHIPPED_MODEL / "meta.json").exists():
        raise FileNotFoundError(
            f"the German NER model that ships with Lagebild is missing ({SHIPPED_MODEL}): "
            "reinstall, rebuild it with `make model`, or set LAGEBILD_SPACY_MODEL=none for the rules alone")
    return str(SHIPPED_MODEL)


def _model_identity(model: str | None) -> bytes:
    """What changes the enrichment when the model changes: a model folder's meta.json (name, version, scores),
    not where the folder lies (another checkout, a container's /app); an installed package's name."""
    if not model:
        return b""
    meta = Path(model) / "meta.json"
    return meta.read_bytes() if meta.exists() else model.encode()


def _uses_gazetteer(model: str) -> bool:
    """Whether a model folder's pipeline starts with Lagebild's gazetteer component."""
    meta = Path(model) / "meta.json"
    return meta.exists() and GAZETTEER in json.loads(meta.read_text(encoding="utf-8")).get("pipeline", [])


def load_resources(
    overlay_path: Path | None = None,
    model: str | None = None,
    registry_paths: list[Path] | None = None,
) -> Resources:
    """Read registry (every data/actors*.yaml), theme lexicon and review overlay.

    `model` (`Settings.spacy_model`, passed in by lagebild/resources.py) chooses the statistical NER,
    see `resolve_model`: by default the model shipped in lagebild/models/.
    """
    model = resolve_model(model)
    reg_paths = sorted(DATA_DIR.glob("actors*.yaml")) if registry_paths is None else registry_paths
    overlay = load_overlay(overlay_path)
    actors = tuple(apply_overlay(load_registry(reg_paths), overlay))
    version_paths = [*reg_paths, THEMES_FILE, DATA_DIR / "wordlists.yaml"]
    # the shipped registry's names, as in training: reviewed overlay entries do not change the model's features
    gazetteer = build_tables() if model and _uses_gazetteer(model) else None
    return Resources(
        actors=actors,
        theme_list=tuple(load_themes(THEMES_FILE)),
        overlay=overlay,
        given_names=given_names(),
        places=place_names(),
        model=model,
        enrich_version=_version(version_paths, overlay_path, model),
        by_id={a.id: a for a in actors},
        gazetteer=gazetteer,
    )
