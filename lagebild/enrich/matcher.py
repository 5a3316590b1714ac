"""Registry matching: patterns for the PhraseMatcher, and turning matches into mentions.

Labels are `method|actor_id`. Strong methods (alias, metonym, demonym, adjective) count
anywhere; weak ones (surname, context alias) only after the actor was named earlier in
the article, or right after a role word (Außenminister Lawrow) or a given name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lagebild.enrich.lexicon import role_heads
from lagebild.enrich.registry import RegistryActor
from lagebild.enrich.variants import adjective_forms, demonym_forms, name_variants, surname

if TYPE_CHECKING:
    from lagebild.enrich.resources import Resources

STRONG = ("alias", "metonym", "demonym", "adjective")
RANK = {m: i for i, m in enumerate((*STRONG, "surname", "context"))}


@dataclass(frozen=True)
class Hit:
    """A resolved registry match, in tokens and characters."""

    actor_id: str
    method: str
    start: int  # token
    end: int
    start_char: int
    end_char: int
    part_of_word: bool = False  # only part of a hyphenated word (SPD in SPD-Chef): mention method `prefix`


def _person_names(a: RegistryActor) -> tuple[list[str], list[str]]:
    strong = [a.name, *a.aliases]
    weak = list(a.context_aliases)
    sur = surname(a.name)
    if a.ambiguous_surname:
        weak += [s for s in strong if " " not in s]
        strong = [s for s in strong if " " in s]
    if sur and sur not in strong and sur not in weak:
        weak.append(sur)
    return strong, weak


def actor_patterns(res: Resources) -> dict[str, list[str]]:
    """PhraseMatcher label -> surface texts (inflected and case variants included)."""
    out: dict[str, list[str]] = {}

    def add(method: str, actor: RegistryActor, texts: list[str]) -> None:
        forms = [v for t in texts for v in name_variants(t)]
        if forms:
            out.setdefault(f"{method}|{actor.id}", []).extend(dict.fromkeys(forms))

    for a in res.actors:
        if a.kind == "person":
            strong, weak = _person_names(a)
            add("alias", a, strong)
            add("surname", a, weak)
        else:
            add("alias", a, [a.name, *a.aliases])
            add("context", a, list(a.context_aliases))
        add("metonym", a, list(a.metonyms))
        forms = [f for d in a.demonyms for f in demonym_forms(d)]
        if forms:
            out.setdefault(f"demonym|{a.id}", []).extend(forms)
        forms = [f for s in a.adjectives for f in adjective_forms(s)]
        if forms:
            out.setdefault(f"adjective|{a.id}", []).extend(forms)
    return out


def is_role_word(text: str) -> bool:
    low = text.lower()
    return text[:1].isupper() and any(low.endswith(h) for h in role_heads())


def _pick(cands: list[tuple[str, str]], seen: dict[str, int], active: set[str]) -> tuple[str, str]:
    """Among (method, actor_id) on one span: best method, then most recently seen, then in office."""
    return min(cands, key=lambda c: (RANK[c[0]], -seen.get(c[1], -1), c[1] not in active, c[1]))


def resolve(
    matches: list[tuple[str, int, int]], tokens: Sequence[str], offsets: Sequence[int], res: Resources,
    active: set[str], given: frozenset[str],
) -> list[Hit]:
    """Turn raw matcher output into non-overlapping hits (strong first, then weak in context)."""
    spans: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for label, s, e in matches:
        method, _, aid = label.partition("|")
        spans.setdefault((s, e), []).append((method, aid))
    taken = [False] * len(tokens)
    seen: dict[str, int] = {}
    hits: list[Hit] = []

    def accept(method: str, aid: str, s: int, e: int) -> None:
        for i in range(s, e):
            taken[i] = True
        seen.setdefault(aid, s)
        end_char = offsets[e - 1] + len(tokens[e - 1])
        hits.append(Hit(aid, method, s, e, offsets[s], end_char))

    strong = [(k, [c for c in v if c[0] in STRONG]) for k, v in spans.items()]
    for (s, e), cands in sorted(strong, key=lambda kv: (kv[0][0] - kv[0][1], kv[0][0])):
        if cands and not any(taken[s:e]):
            method, aid = _pick(cands, seen, active)
            accept(method, aid, s, e)
    weak = [(k, [c for c in v if c[0] not in STRONG]) for k, v in spans.items()]
    for (s, e), cands in sorted(weak, key=lambda kv: (kv[0][0], kv[0][0] - kv[0][1])):
        if not cands or any(taken[s:e]):
            continue
        named = [c for c in cands if seen.get(c[1], len(tokens)) < s]
        if named:
            method, aid = _pick(named, seen, active)
            accept(method, aid, s, e)
        elif s > 0 and (is_role_word(tokens[s - 1]) or tokens[s - 1] in given):
            method, aid = _pick(cands, seen, active)
            start = s - 1 if tokens[s - 1] in given and not taken[s - 1] else s
            accept(method, aid, start, e)
    return sorted(hits, key=lambda h: h.start)
