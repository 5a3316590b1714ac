"""Hybrid actor finding: statistical NER spans linked to the registry, registry matches kept where they agree.

Rules, in order, for each NER entity (PER/LOC/ORG) of a document:
1. A registry hit with exactly the entity's span stays (the registry knows the actor).
2. A registry hit that crosses the entity's boundary, or that the entity adds only role words to
   (Außenminister Lawrow), wins: the entity is dropped. A registry hit around exactly one entity of
   its kind takes the entity's span (Nachrichtenagentur AFP -> AFP). A surname or context match of
   another kind than the entity on the same span gives way to the entity (Walter Wagner).
3. Registry hits inside a larger entity are suppressed (Deutschland inside "Deutschen Bank", Iceland
   inside "Rhode Island", the surname Michel inside "Michel Platini"); the entity is linked by name to
   a registry actor if one has that name in any inflected form, else it becomes a discovered actor
   with the NER label.
4. An entity with no registry hit is linked by name (exact inflected forms, or a surname that the
   registry knows for exactly one person in office on the article's date), else discovered.
Registry hits that no entity touches stay as they are. Adjective/demonym hits ("russische Truppen")
are never entities and never suppressed by a PER/LOC/ORG entity unless they lie inside one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from lagebild.enrich.discovery import Found
from lagebild.enrich.matcher import Hit, is_role_word
from lagebild.enrich.variants import name_variants

if TYPE_CHECKING:
    from lagebild.enrich.resources import Resources

NER_KIND = {"PER": "person", "PERSON": "person", "ORG": "organisation", "LOC": "place", "GPE": "place"}
FAMILY = {"person": "PER", "organisation": "ORG", "group": "ORG", "country": "LOC", "place": "LOC"}
WEAK = ("surname", "context")
LOCATIVE = frozenset({"in", "nach", "aus", "bei", "nahe", "In", "Nach", "Aus", "Bei"})
GOVERNMENT = ("Regierung", "Führung", "Staatsführung", "Machthaber", "Behörden", "Verwaltung", "Administration")
_ADJ_ENDINGS = ("en", "es", "em", "er")


def name_key(text: str) -> str:
    """Lookup key of a name: case-folded, single spaces, no spaces around hyphens."""
    return " ".join(text.replace(" - ", "-").split()).casefold()


@dataclass(frozen=True)
class NameIndex:
    """Registry actors by every strong name form (names, aliases and their inflections)."""

    ids: dict[str, str]

    def lookup(self, text: str) -> str | None:
        key = name_key(text)
        found = self.ids.get(key)
        if found is None and key.endswith("s"):
            found = self.ids.get(key[:-1])
        return found or None


_INDEXES: dict[str, NameIndex] = {}


def _build_index(res: Resources) -> NameIndex:
    ids: dict[str, str] = {}
    for a in res.actors:
        names = [a.name, *a.aliases]  # not metonyms: an entity "Moskau" is the city unless the registry says so
        if a.kind == "person" and a.ambiguous_surname:
            names = [n for n in names if " " in n]
        for name in names:
            for v in name_variants(name):
                key = name_key(v)
                ids[key] = a.id if ids.get(key, a.id) == a.id else ""  # "" marks a name two actors share
    return NameIndex(ids)


def name_index(res: Resources) -> NameIndex:
    """The name index for these resources (built once per process and version)."""
    if res.enrich_version not in _INDEXES:
        _INDEXES.clear()
        _INDEXES[res.enrich_version] = _build_index(res)
    return _INDEXES[res.enrich_version]


def canonical_name(text: str, kind: str) -> str:
    """A discovered name in its base form: Deutschen Bank -> Deutsche Bank; genitive kept for persons."""
    name = text.replace(" - ", "-")
    words = name.split()
    if kind != "person" and len(words) >= 2 and words[1][:1].isupper():
        first = words[0]
        for ending in _ADJ_ENDINGS[:3]:
            if first.endswith(ending) and len(first) > len(ending) + 3 and first[0].isupper():
                words[0] = first[: -len(ending)] + "e"
                break
    return " ".join(words)


def link_entities(
    ents: Sequence[tuple[str, int, int]], hits: Sequence[Hit], matches: Sequence[tuple[str, int, int]],
    tokens: Sequence[str], offsets: Sequence[int], res: Resources, active: set[str],
) -> tuple[list[Hit], list[Found]]:
    """Merge NER entities (label, start, end) with registry hits: the hits to keep and the discoveries."""
    index = name_index(res)
    weak = _weak_candidates(matches)
    kept = list(hits)
    dropped: set[int] = set()
    linked: list[Hit] = []
    found: list[Found] = []
    ents = [(NER_KIND[label], *_trimmed(tokens, s, e)) for label, s, e in ents if label in NER_KIND]
    ents = [(kind, s, e) for kind, s, e in ents if s < e]
    for kind, s, e in ents:
        touching = [i for i, h in enumerate(kept) if h.start < e and s < h.end and i not in dropped]
        same = [i for i in touching if (kept[i].start, kept[i].end) == (s, e)]
        if same and not _weak_of_other_kind(res, kept[same[0]], kind):
            continue
        inside = [i for i in touching if s <= kept[i].start and kept[i].end <= e]
        if len(inside) < len(touching):
            if len(touching) == 1:
                kept[touching[0]] = _narrowed(res, kept[touching[0]], kind, ents, s, e, offsets, tokens)
            continue  # the entity crosses a registry span: the registry's evidence wins
        if any(_role_plus_name(res, kept[i], kind, tokens, s, e) for i in inside):
            continue
        dropped.update(inside)
        hit = _link(index, weak.get((s, e), []), tokens, offsets, s, e, res, active)
        if hit is not None:
            linked.append(hit)
        else:
            found.append(Found(canonical_name(" ".join(tokens[s:e]), kind), kind, s, e, "ner"))
    kept = [h for i, h in enumerate(kept) if i not in dropped]
    return sorted(kept + linked, key=lambda h: h.start), found


def _trimmed(tokens: Sequence[str], s: int, e: int) -> tuple[int, int]:
    """An entity without punctuation at its edges (a closing quote the model took along: Bild Live ”)."""
    while s < e and not any(ch.isalnum() for ch in tokens[s]):
        s += 1
    while e > s and not any(ch.isalnum() for ch in tokens[e - 1]):
        e -= 1
    return s, e


def _weak_of_other_kind(res: Resources, hit: Hit, kind: str) -> bool:
    """A surname or context match whose actor is of another kind than the entity (Walter Wagner)."""
    actor = res.by_id.get(hit.actor_id)
    return hit.method in WEAK and (actor is None or FAMILY.get(actor.kind) != FAMILY[kind])


def _narrowed(res: Resources, hit: Hit, kind: str, ents: Sequence[tuple[str, int, int]], s: int, e: int,
              offsets: Sequence[int], tokens: Sequence[str]) -> Hit:
    """A registry match around exactly one entity of its kind keeps its actor and takes the entity's
    span: the name without its introducer (Nachrichtenagentur AFP -> AFP)."""
    actor = res.by_id.get(hit.actor_id)
    inside = [x for x in ents if hit.start <= x[1] and x[2] <= hit.end]
    if not (hit.start <= s and e <= hit.end) or len(inside) != 1 or actor is None:
        return hit
    if FAMILY.get(actor.kind) != FAMILY[kind]:
        return hit
    return Hit(hit.actor_id, hit.method, s, e, offsets[s], offsets[e - 1] + len(tokens[e - 1]), hit.part_of_word)


def _role_plus_name(res: Resources, hit: Hit, kind: str, tokens: Sequence[str], s: int, e: int) -> bool:
    """The entity is the registry actor's name plus role words only (Außenminister Lawrow)."""
    actor = res.by_id.get(hit.actor_id)
    if actor is None or FAMILY.get(actor.kind) != FAMILY[kind] or hit.method in ("adjective", "demonym"):
        return False
    rest = [t for k, t in enumerate(tokens[s:e], start=s) if not hit.start <= k < hit.end]
    return all(is_role_word(t) or t == "-" for t in rest)


def _weak_candidates(matches: Sequence[tuple[str, int, int]]) -> dict[tuple[int, int], list[str]]:
    out: dict[tuple[int, int], list[str]] = {}
    for label, s, e in matches:
        method, _, aid = label.partition("|")
        if method in WEAK:
            out.setdefault((s, e), []).append(aid)
    return out


def _link(index: NameIndex, weak: list[str], tokens: Sequence[str], offsets: Sequence[int], s: int, e: int,
          res: Resources, active: set[str]) -> Hit | None:
    """The registry actor an entity names: by any inflected name, or by a surname of one actor in office."""
    end_char = offsets[e - 1] + len(tokens[e - 1])
    aid = index.lookup(" ".join(tokens[s:e]))
    if aid:
        return Hit(aid, "ner-linked", s, e, offsets[s], end_char)
    in_office = sorted({a for a in weak if a in active})
    if len(in_office) == 1:  # a surname the model calls a person, of the one such actor in office then
        return Hit(in_office[0], "surname", s, e, offsets[s], end_char)
    return None


def compound_parts(spans: Sequence[tuple[int, int]], tokens: Sequence[str],
                   glued: Sequence[bool] | np.ndarray) -> list[bool]:
    """Whether each (start, end) token span is only part of a hyphenated word (SPD in SPD-Chef)."""
    out = []
    n = len(tokens)
    for s, e in spans:
        before = s >= 2 and tokens[s - 1] == "-" and bool(glued[s - 1]) and bool(glued[s - 2])
        after = e + 1 < n and tokens[e] == "-" and bool(glued[e - 1]) and bool(glued[e])
        out.append(before or after)
    return out


def event_locations(hits: Sequence[Hit], tokens: Sequence[str], res: Resources) -> tuple[list[Hit], list[Found]]:
    """Capitals after a preposition of place are where something happened, not the government they
    can stand for: "in Kiew und Berlin" are places, "die Regierung in Moskau" stays Russia."""
    kept: list[Hit] = []
    places: list[Found] = []
    for h in hits:
        k = h.start - 1
        while k >= 2 and tokens[k] in ("und", "oder", ",") and tokens[k - 1][:1].isupper():
            k -= 2  # "in Kiew und Berlin": step back over coordinated names
        if h.method == "metonym" and k >= 0 and tokens[k] in LOCATIVE and not (k and tokens[k - 1] in GOVERNMENT):
            places.append(Found(" ".join(tokens[h.start:h.end]), "place", h.start, h.end, "location"))
        else:
            kept.append(h)
    return kept, places


def drop_genitives(found: Sequence[Found], tokens: Sequence[str]) -> list[Found]:
    """Discovered names in the genitive take the base form the article also uses (Afrikas -> Afrika,
    Münteferings -> Müntefering): the same actor, counted once."""
    words = set(tokens)
    names = {f.name for f in found}
    out = []
    for f in found:
        last = f.name.rsplit(" ", 1)[-1]
        base = f.name[:-1]
        if len(last) > 3 and last.endswith("s") and (base in names or (" " not in f.name and base in words)):
            f = replace(f, name=base)
        out.append(f)
    return out


def join_surnames(found: Sequence[Found]) -> list[Found]:
    """A person found by surname alone (Peskow, Peskows) whose full name the article also gives
    (Dmitri Peskow) is that person: canonical name and role of the full mention, method `surname`."""
    full: dict[str, Found] = {}
    for f in found:
        words = f.name.split()
        if f.kind == "person" and len(words) >= 2:
            full.setdefault(words[-1], f)
            full.setdefault(words[-1] + "s", f)
    out = []
    for f in found:
        named = full.get(f.name) if f.kind == "person" and " " not in f.name else None
        out.append(replace(f, name=named.name, role=f.role or named.role, method="surname") if named else f)
    return out
