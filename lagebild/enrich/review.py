"""Review of discovered actors: an overlay file (YAML) that survives registry upgrades.

    promote:  [{id, name, kind, country, role, aliases}]   # accept a discovered actor
    alias:    [{name, actor_id}]                           # a discovered name is a registry actor
    ignore:   [disc-id or name]                            # never report this again

`load_resources` applies the overlay; `candidates` lists what discovery found.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from lagebild.enrich.model import Enrichment
from lagebild.enrich.registry import RegistryActor, RegistryError, parse_actor


@dataclass(frozen=True)
class Overlay:
    promote: tuple[dict[str, Any], ...] = ()
    alias: tuple[dict[str, str], ...] = ()
    ignore: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Candidate:
    actor_id: str
    name: str
    kind: str
    role: str | None
    mentions: int
    articles: int


def _read(path: Path | None) -> dict[str, Any]:
    if path is None or not path.exists():
        return {}
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(doc, dict):
        raise RegistryError(f"{path}: overlay must be a mapping with promote/alias/ignore")
    return doc


def load_overlay(path: Path | None) -> Overlay:
    doc = _read(path)
    return Overlay(
        promote=tuple(doc.get("promote") or ()),
        alias=tuple(doc.get("alias") or ()),
        ignore=frozenset(str(x) for x in doc.get("ignore") or ()),
    )


def apply_overlay(actors: list[RegistryActor], overlay: Overlay) -> list[RegistryActor]:
    """Registry actors plus promoted ones, with merged aliases added."""
    out = list(actors)
    for i, entry in enumerate(overlay.promote):
        out.append(parse_actor({**entry}, f"overlay promote #{i + 1}"))
    index = {a.id: n for n, a in enumerate(out)}
    for entry in overlay.alias:
        target = entry.get("actor_id", "")
        if target not in index:
            raise RegistryError(f"overlay alias {entry.get('name')!r}: unknown actor_id {target!r}")
        actor = out[index[target]]
        out[index[target]] = replace(actor, aliases=(*actor.aliases, entry["name"]))
    return out


def candidates(enrichments: Iterable[Enrichment], overlay: Overlay = Overlay()) -> list[Candidate]:
    """Discovered actors across enrichments, most mentioned first (ignored ones left out)."""
    mentions: Counter[str] = Counter()
    articles: Counter[str] = Counter()
    info: dict[str, Any] = {}
    for enr in enrichments:
        seen = {m.actor_id for m in enr.mentions}
        for actor in enr.actors:
            if actor.origin != "discovered" or actor.actor_id in overlay.ignore or actor.name in overlay.ignore:
                continue
            info.setdefault(actor.actor_id, actor)
            mentions[actor.actor_id] += sum(1 for m in enr.mentions if m.actor_id == actor.actor_id)
            articles[actor.actor_id] += actor.actor_id in seen
    return [
        Candidate(a, info[a].name, info[a].kind, info[a].role, n, articles[a])
        for a, n in sorted(mentions.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _write(path: Path, doc: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        yaml.safe_dump(doc, f, allow_unicode=True, sort_keys=False)
    os.replace(tmp, path)


def promote(path: Path, actor_id: str, name: str, kind: str, country: str | None = None,
            role: str | None = None, aliases: Iterable[str] = ()) -> None:
    """Accept a discovered actor: it joins the registry under `actor_id`."""
    doc = _read(path)
    entry = {"id": actor_id, "name": name, "kind": kind, "country": country, "role": role,
             "aliases": list(aliases)}
    parse_actor(entry, f"{path} promote {actor_id}")
    doc["promote"] = [e for e in doc.get("promote") or [] if e.get("id") != actor_id] + [entry]
    _write(path, doc)


def merge(path: Path, name: str, actor_id: str) -> None:
    """Record `name` (a discovered actor's name) as an alias of registry actor `actor_id`."""
    doc = _read(path)
    entries = [e for e in doc.get("alias") or [] if e.get("name") != name]
    doc["alias"] = entries + [{"name": name, "actor_id": actor_id}]
    _write(path, doc)


def ignore(path: Path, key: str) -> None:
    """Never report the discovered actor with this id or name again."""
    doc = _read(path)
    doc["ignore"] = sorted(set(doc.get("ignore") or []) | {key})
    _write(path, doc)
