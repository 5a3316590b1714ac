"""The spaCy pipeline: built through spaCy's registry, cached once per process.

Components are registered by `register_components()`, which `build_pipeline()` calls;
nothing is registered at import time. The pipeline holds no article state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy
import spacy
from spacy.attrs import IS_SPACE, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

if TYPE_CHECKING:
    from lagebild.enrich.gazetteer import Tables
    from lagebild.enrich.resources import Resources

_HYPHEN_INFIX = r"(?<=[A-Za-zÄÖÜäöüß0-9])-(?=[A-Za-zÄÖÜäöüß])"
_CACHE: dict[tuple[str, str | None], Language] = {}
TOKENIZER_CACHE = 250_000  # chunks; spaCy's default of 10,000 leaves most of a news vocabulary uncached
_PATTERNS: dict[str, Callable[[], dict[str, list[list[str]]]]] = {}
_NER: dict[str, Language] = {}


def split_hyphens(nlp: Language) -> None:
    """Split hyphenated compounds (Nato-Generalsekretär -> Nato - Generalsekretär)."""
    infixes = list(nlp.Defaults.infixes or []) + [_HYPHEN_INFIX]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer  # type: ignore[union-attr]


_ENDS = (".", "!", "?", "…", "...", "!?", "?!")
_CLOSERS = (".", "!", "?", "…", '"', "“", "”", "'", "’", "»", "«", ")", "]", "‘")


class Sentences:
    """Sentence starts after end punctuation (and its closing quotes) and after line breaks.

    Works on the ORTH array instead of Token objects, so it costs little next to tokenizing.
    """

    def __init__(self, nlp: Language) -> None:
        strings = nlp.vocab.strings
        self.ends = numpy.array([strings.add(s) for s in _ENDS], dtype="uint64")
        self.closers = numpy.array([strings.add(s) for s in _CLOSERS], dtype="uint64")
        self.strings = strings

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        arr = doc.to_array([ORTH, SPACY, IS_SPACE])
        orth, glued = arr[:, 0], arr[:, 1] == 0  # glued: no whitespace after the token
        starts = numpy.full(n, -1, dtype="int64")
        starts[0] = 1
        ends = numpy.nonzero((orth[:, None] == self.ends).any(axis=1))[0]
        if len(ends):
            # closing quotes glued to the end mark (or to each other) stay in the sentence
            skip = numpy.zeros(n + 1, dtype=bool)
            skip[1:n] = (orth[1:, None] == self.closers).any(axis=1) & glued[:-1]
            keep = numpy.nonzero(~skip)[0]
            nxt = keep[numpy.searchsorted(keep, ends + 1)]
            starts[nxt[nxt < n]] = 1
        for i in numpy.nonzero(arr[:, 2])[0].tolist():  # line breaks are space tokens
            if i + 1 < n and "\n" in self.strings[int(orth[i])]:
                starts[i + 1] = 1
        doc.from_array([SENT_START], starts.reshape(n, 1).astype("uint64"))  # type: ignore[arg-type]
        return doc


class ActorMatcher:
    """PhraseMatcher over ORTH; stores (label, start, end) tuples in doc.user_data."""

    def __init__(self, nlp: Language, patterns: dict[str, list[list[str]]]) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        vocab = nlp.vocab
        for label, token_lists in patterns.items():
            self.matcher.add(label, [Doc(vocab, words=words) for words in token_lists])
        self.strings = nlp.vocab.strings

    def __call__(self, doc: Doc) -> Doc:
        strings = self.strings
        doc.user_data["lagebild_matches"] = [(strings[m], s, e) for m, s, e in self.matcher(doc)]
        return doc


def pattern_words(res: Resources) -> dict[str, list[list[str]]]:
    """The actor patterns (label -> names) as the tokens of the pipeline's tokenizer.

    Tokenizing ~14,000 names costs about a second; the result is kept with the resources, so it is
    stored in their disk cache (lagebild/resource_cache.py) and a new process only builds the matcher.
    """
    words = res.compiled.get("pattern_words")
    if words is None:
        from lagebild.enrich.matcher import actor_patterns

        nlp = spacy.blank("de")
        split_hyphens(nlp)
        tokenizer = _twin(nlp.tokenizer)  # pattern texts would otherwise fill the tokenizer's cache
        words = {label: [[t.text for t in doc] for doc in tokenizer.pipe(texts)]
                 for label, texts in actor_patterns(res).items()}
        res.compiled["pattern_words"] = words
    return words


def _twin(tok: Tokenizer) -> Tokenizer:
    """A tokenizer with the same rules and vocab: pattern texts would otherwise fill the cache
    (spaCy caches the first 10,000 chunks it sees), leaving article words uncached."""
    return Tokenizer(tok.vocab, rules=tok.rules, prefix_search=tok.prefix_search, suffix_search=tok.suffix_search,
                     infix_finditer=tok.infix_finditer, token_match=tok.token_match, url_match=tok.url_match)


def register_components() -> None:
    """Register the factories and the pattern provider with spaCy's registry."""

    @Language.factory("lagebild_sentences")
    def _sentences(nlp: Language, name: str) -> Sentences:
        return Sentences(nlp)

    @Language.factory("lagebild_actor_matcher", default_config={"patterns_key": ""})
    def _matcher(nlp: Language, name: str, patterns_key: str) -> ActorMatcher:
        return ActorMatcher(nlp, _PATTERNS[patterns_key]())


def build_pipeline(res: Resources) -> Language:
    """Tokenizer (hyphen split) + sentence splitter + actor matcher; the NER model runs apart (get_ner)."""
    register_components()
    _PATTERNS[res.enrich_version] = lambda: pattern_words(res)
    nlp = spacy.blank("de")
    split_hyphens(nlp)
    nlp.tokenizer.max_cache_size = TOKENIZER_CACHE  # type: ignore[union-attr]
    nlp.add_pipe("lagebild_sentences")
    nlp.add_pipe("lagebild_actor_matcher", config={"patterns_key": res.enrich_version})
    return nlp


NOT_NEEDED = ("parser", "lemmatizer", "tagger", "morphologizer", "attribute_ruler", "senter", "trainable_lemmatizer")


def load_ner(model: str, gazetteer: Tables | None = None) -> Language:
    """A spaCy pipeline for its named entities only, with its own tokenizer: the shipped model was
    trained on GermEval's tokens, which keep hyphenated words whole (splitting them costs ~4 F1 points)."""
    from lagebild.enrich.gazetteer import prime, register

    register()  # the shipped model's first component: gazetteer features for names never seen in training
    if gazetteer is not None:
        prime(gazetteer)
    nlp = spacy.load(model)
    for name in NOT_NEEDED:
        if name in nlp.pipe_names:
            nlp.disable_pipe(name)
    if "ner" not in nlp.pipe_names:
        raise ValueError(f"the spaCy pipeline {model!r} has no 'ner' component: choose one that does, "
                         "or set LAGEBILD_SPACY_MODEL=none for the rules alone")
    nlp.tokenizer.max_cache_size = TOKENIZER_CACHE  # type: ignore[union-attr]
    return nlp


def get_ner(res: Resources) -> Language | None:
    """The NER pipeline of these resources (None for the rules alone), loaded once per process."""
    if not res.model:
        return None
    key = f"{res.model}\0{res.enrich_version}"  # the gazetteer tables follow the registry of these resources
    if key not in _NER:
        _NER.clear()
        _NER[key] = load_ner(res.model, res.gazetteer)
    return _NER[key]


def get_pipeline(res: Resources) -> Language:
    """The pipeline for these resources, built on first use in this process."""
    key = (res.enrich_version, None)
    if key not in _CACHE:
        _CACHE[key] = build_pipeline(res)
    return _CACHE[key]


def clear_cache() -> None:
    _CACHE.clear()
    _NER.clear()
