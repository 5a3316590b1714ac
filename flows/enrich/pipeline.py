"""The spaCy pipeline: built through spaCy's registry, cached once per process.

Components are registered by `register_components()`, which `build_pipeline()` calls;
nothing is registered at import time. The pipeline holds no article state.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

import numpy
import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

if TYPE_CHECKING:
    from flows.enrich.resources import Resources

_HYPHEN_INFIX = r"(?<=[A-Za-zÄÖÜäöüß0-9])-(?=[A-Za-zÄÖÜäöüß])"
_PARA = re.compile(r"\n\s*")
_CACHE: dict[tuple[str, str | None], Language] = {}
_PATTERNS: dict[str, Callable[[], dict[str, list[str]]]] = {}


def split_hyphens(nlp: Language) -> None:
    """Split hyphenated compounds (Nato-Generalsekretär -> Nato - Generalsekretär)."""
    infixes = list(nlp.Defaults.infixes or []) + [_HYPHEN_INFIX]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


class ParagraphBreaks:
    """Start a sentence after every line break (title line, headings, paragraphs)."""

    def __call__(self, doc: Doc) -> Doc:
        if "\n" not in doc.text:
            return doc
        starts = doc.to_array("IDX")
        for m in _PARA.finditer(doc.text):
            i = int(numpy.searchsorted(starts, m.end()))
            if 0 < i < len(doc):
                doc[i].is_sent_start = True
        return doc


class ActorMatcher:
    """PhraseMatcher over ORTH; stores (label, start, end) tuples in doc.user_data."""

    def __init__(self, nlp: Language, patterns: dict[str, list[str]]) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for label, texts in patterns.items():
            self.matcher.add(label, list(nlp.tokenizer.pipe(texts)))
        self.strings = nlp.vocab.strings

    def __call__(self, doc: Doc) -> Doc:
        strings = self.strings
        doc.user_data["lagebild_matches"] = [(strings[m], s, e) for m, s, e in self.matcher(doc)]
        return doc


def register_components() -> None:
    """Register the factories and the pattern provider with spaCy's registry."""

    @Language.factory("lagebild_paragraphs")
    def _paragraphs(nlp: Language, name: str) -> ParagraphBreaks:
        return ParagraphBreaks()

    @Language.factory("lagebild_actor_matcher", default_config={"patterns_key": ""})
    def _matcher(nlp: Language, name: str, patterns_key: str) -> ActorMatcher:
        return ActorMatcher(nlp, _PATTERNS[patterns_key]())


def _base(model: str | None) -> Language:
    if not model:
        return spacy.blank("de")
    return spacy.load(model, exclude=["lemmatizer"])


def build_pipeline(res: "Resources") -> Language:
    """Tokenizer (hyphen split) + paragraph breaks + sentencizer + actor matcher [+ model NER]."""
    from flows.enrich.matcher import actor_patterns

    register_components()
    _PATTERNS[res.enrich_version] = lambda: actor_patterns(res)
    nlp = _base(res.model)
    split_hyphens(nlp)
    first = nlp.pipe_names[0] if nlp.pipe_names else None
    nlp.add_pipe("lagebild_paragraphs", **({"before": first} if first else {}))
    if not ({"parser", "senter", "sentencizer"} & set(nlp.pipe_names)):
        nlp.add_pipe("sentencizer")
    nlp.add_pipe("lagebild_actor_matcher", config={"patterns_key": res.enrich_version})
    return nlp


def get_pipeline(res: "Resources") -> Language:
    """The pipeline for these resources, built on first use in this process."""
    key = (res.enrich_version, res.model)
    if key not in _CACHE:
        _CACHE[key] = build_pipeline(res)
    return _CACHE[key]


def clear_cache() -> None:
    _CACHE.clear()
