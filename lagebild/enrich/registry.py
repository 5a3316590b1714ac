"""Actor registry: load and validate the reviewed YAML files into plain, picklable records."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from lagebild.enrich.model import KINDS

DATA_DIR = Path(__file__).parent / "data"
_ALPHA2 = re.compile(r"^[A-Z]{2}$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.:-]*$")


class RegistryError(ValueError):
    """A registry file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Role:
    role: str
    org: str | None = None
    start: date | None = None  # inclusive
    end: date | None = None  # inclusive; None = still in office

    @property
    def label(self) -> str:
        """The role as shown on a mention, e.g. 'Generalsekretär (NATO)'."""
        if self.org and self.org.casefold() not in self.role.casefold():
            return f"{self.role} ({self.org})"
        return self.role


@dataclass(frozen=True)
class RegistryActor:
    id: str
    name: str
    kind: str
    country: str | None = None
    aliases: tuple[str, ...] = ()
    context_aliases: tuple[str, ...] = ()
    ambiguous_surname: bool = False
    adjectives: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    capital: str | None = None
    roles: tuple[Role, ...] = ()
    origin: str = "registry"
    role: str | None = None  # fixed role text (promoted discovered actors)
    source: str = field(default="", compare=False)


def _strs(value: Any, what: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RegistryError(f"{where}: '{what}' must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _date(value: Any, what: str, where: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise RegistryError(f"{where}: '{what}' is not a YYYY-MM-DD date: {value!r}") from None


def _roles(value: Any, where: str) -> tuple[Role, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise RegistryError(f"{where}: 'roles' must be a list")
    roles = []
    for i, r in enumerate(value):
        w = f"{where} role #{i + 1}"
        if not isinstance(r, dict) or not isinstance(r.get("role"), str):
            raise RegistryError(f"{w}: needs a 'role' string")
        start, end = _date(r.get("from"), "from", w), _date(r.get("to"), "to", w)
        if start and end and end < start:
            raise RegistryError(f"{w}: 'to' {end} is before 'from' {start}")
        org = r.get("org")
        roles.append(Role(r["role"].strip(), str(org).strip() if org else None, start, end))
    return tuple(roles)


def parse_actor(entry: Any, where: str) -> RegistryActor:
    """One YAML entry -> RegistryActor; raises RegistryError naming `where`."""
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: entry must be a mapping")
    aid = entry.get("id")
    where = f"{where} (id={aid!r})"
    if not isinstance(aid, str) or not _ID.match(aid):
        raise RegistryError(f"{where}: 'id' must be a lowercase slug")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RegistryError(f"{where}: 'name' is missing")
    kind = entry.get("kind")
    if kind not in KINDS:
        raise RegistryError(f"{where}: 'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
    country = entry.get("country")
    if country is not None and not (isinstance(country, str) and _ALPHA2.match(country)):
        raise RegistryError(f"{where}: 'country' must be ISO alpha-2 (e.g. DE) or null, not {country!r}")
    capital = entry.get("capital")
    return RegistryActor(
        id=aid, name=name.strip(), kind=kind, country=country,
        aliases=_strs(entry.get("aliases"), "aliases", where),
        context_aliases=_strs(entry.get("context_aliases"), "context_aliases", where),
        ambiguous_surname=bool(entry.get("ambiguous_surname", False)),
        adjectives=tuple(a.lower() for a in _strs(entry.get("adjectives"), "adjectives", where)),
        demonyms=_strs(entry.get("demonyms"), "demonyms", where),
        metonyms=_strs(entry.get("metonyms"), "metonyms", where),
        capital=capital.strip() if isinstance(capital, str) and capital.strip() else None,
        roles=_roles(entry.get("roles"), where),
        role=entry.get("role") if isinstance(entry.get("role"), str) else None,
        source=where.split(" entry")[0],
    )


def load_file(path: Path) -> list[RegistryActor]:
    """Read one registry file (top-level `actors:` list)."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("actors"), list):
        raise RegistryError(f"{path}: needs a top-level 'actors:' list")
    return [parse_actor(e, f"{path} entry #{i + 1}") for i, e in enumerate(doc["actors"])]


def load_registry(paths: list[Path] | None = None) -> list[RegistryActor]:
    """Load every `actors*.yaml` (default: lagebild/enrich/data/) and check ids are unique."""
    paths = sorted(DATA_DIR.glob("actors*.yaml")) if paths is None else paths
    actors: list[RegistryActor] = []
    seen: dict[str, str] = {}
    for path in paths:
        for actor in load_file(path):
            if actor.id in seen:
                raise RegistryError(f"{path}: id {actor.id!r} already defined in {seen[actor.id]}")
            seen[actor.id] = str(path)
            actors.append(actor)
    return actors
