"""Gazetteer features for the statistical NER: one short tag string per token, carried in `token.lemma_`.

Tags, joined by `|` (`-` when none applies): `word` (the token or its lowercase is in the German lemma
table), `noun` (a capitalised common noun with inflected forms), `given`, `surname`, `place` (a city name
or a part of a multi-word one), and `reg-per` / `reg-org` / `reg-country` / `reg-place` (a token of a
registry actor's name or alias). The word lists come from the installed packages (lexicon.py) and are read
once per process; nothing of them is written into a model folder. The NER's tok2vec reads the tags through
its `LEMMA` embedding; `register()` makes the factory `lagebild_gazetteer` known to spaCy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cache

from spacy.attrs import LEMMA, ORTH
from spacy.language import Language
from spacy.tokens import Doc

from lagebild.enrich import lexicon
from lagebild.enrich.registry import RegistryActor, load_registry

FACTORY = "lagebild_gazetteer"
NONE = "-"
_KIND_TAGS = {"person": "reg-per", "organisation": "reg-org", "group": "reg-org",
              "country": "reg-country", "place": "reg-place"}
_STRIP = ".,;:()[]\"'„“”»«"


def _name_tokens(name: str) -> list[str]:
    """The capitalised (or digit-led) whitespace tokens of a name: 'Bank für X' -> Bank, X."""
    out = []
    for part in name.split():
        part = part.strip(_STRIP)
        if part[:1].isupper() or part[:1].isdigit():
            out.append(part)
    return out


def registry_tags(actors: Iterable[RegistryActor] | None = None) -> dict[str, frozenset[str]]:
    """Token of a registry actor's name or alias -> the registry tags of the kinds it occurs in
    (of `actors`, by default the shipped registry)."""
    tags: dict[str, set[str]] = defaultdict(set)
    for actor in load_registry() if actors is None else actors:
        for name in (actor.name, *actor.aliases):
            for token in _name_tokens(name):
                tags[token].add(_KIND_TAGS.get(actor.kind, "reg-org"))
    return {token: frozenset(kinds) for token, kinds in tags.items()}


@cache
def place_tokens() -> frozenset[str]:
    """City names and the single capitalised tokens of multi-word ones (other than given names: Sankt Peter)."""
    given = lexicon.given_names()
    out: set[str] = set()
    for name in lexicon.place_names():
        out.add(name)
        out.update(t for t in _name_tokens(name) if t not in given)
    return frozenset(out)


Tables = tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str], frozenset[str],
               dict[str, frozenset[str]]]
_PRIMED: list[Tables] = []


def build_tables(actors: Iterable[RegistryActor] | None = None) -> Tables:
    """All word lists the tags are read from (seconds of work: keep the result, see `prime`)."""
    return (lexicon.german_words(), lexicon.common_nouns(), lexicon.given_names(), lexicon.surnames(),
            place_tokens(), registry_tags(actors))


def prime(built: Tables) -> None:
    """Use these tables in this process (the enrichment keeps them with its cached resources)."""
    _PRIMED[:] = [built]


def tables() -> Tables:
    """The primed tables, else the shipped lists built once per process."""
    if not _PRIMED:
        _PRIMED.append(build_tables())
    return _PRIMED[0]


def tag_of(text: str, lists: Tables | None = None) -> str:
    """The feature string of one token text, e.g. 'word|given' for 'Peter', '-' for 'Xyzzy'."""
    words, nouns, given, surnames, places, registry = lists or tables()
    tags = []
    if text in words or text.lower() in words:
        tags.append("word")
    if text in nouns:
        tags.append("noun")
    if text in given:
        tags.append("given")
    if text in surnames:
        tags.append("surname")
    if text in places:
        tags.append("place")
    tags.extend(sorted(registry.get(text, ())))
    return "|".join(tags) or NONE


class Gazetteer:
    """Pipeline component: writes `tag_of(token.text)` into `token.lemma_` for every token."""

    def __init__(self, nlp: Language, name: str = FACTORY) -> None:
        self.name = name
        self.strings = nlp.vocab.strings
        self._memo: dict[int, int] = {}  # orth hash -> tag string hash, grows with the vocabulary
        self.lists = tables()  # the tables primed when this pipeline was loaded, for its whole life

    def _learn(self, orth: int) -> int:
        value = self.strings.add(tag_of(self.strings[orth], self.lists))
        self._memo[orth] = value
        return value

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        memo = self._memo
        orths = doc.to_array(ORTH)
        values = doc.to_array(LEMMA)  # 1-D, one entry per token
        for i, orth in enumerate(orths.tolist()):
            value = memo.get(orth)
            values[i] = value if value is not None else self._learn(orth)
        doc.from_array([LEMMA], values)  # type: ignore[arg-type]  # uint64 hashes; the stub says Ints2d
        return doc


def make_gazetteer(nlp: Language, name: str) -> Gazetteer:
    """The `lagebild_gazetteer` factory."""
    return Gazetteer(nlp, name)


def register() -> None:
    """Register the `lagebild_gazetteer` factory with spaCy; calling it again does nothing."""
    if not Language.has_factory(FACTORY):
        Language.factory(FACTORY, func=make_gazetteer)
