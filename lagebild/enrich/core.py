"""enrich(): articles in, Enrichment out. Pure: no I/O, deterministic, inputs untouched."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import replace
from itertools import repeat

import numpy as np
from spacy.attrs import IDX, LENGTH, ORTH, SENT_START, SPACY
from spacy.tokens import Doc

from lagebild.article import Article
from lagebild.enrich import dedup
from lagebild.enrich.discovery import Found, Scanner, slug
from lagebild.enrich.linking import (
    compound_parts,
    drop_genitives,
    event_locations,
    join_surnames,
    link_entities,
)
from lagebild.enrich.matcher import Hit, resolve
from lagebild.enrich.model import Actor, Enrichment, Mention, Sentence
from lagebild.enrich.pipeline import get_ner, get_pipeline
from lagebild.enrich.quote_about import about
from lagebild.enrich.quotes import find_quotes
from lagebild.enrich.resources import Resources
from lagebild.enrich.roles import role_label
from lagebild.enrich.themes import SentenceOf, ThemeIndex, score, theme_index
from lagebild.enrich.tokens import LexTable, TokenView, lex_table

BATCH = 16  # texts per nlp.pipe batch: the NER model's activations for 64 long texts took ~460 MB, for 16 ~150 MB
Entity = tuple[str, int, int]  # a statistical NER entity: label, start_char, end_char
Match = tuple[str, int, int]  # a PhraseMatcher match: 'method|actor_id', start token, end token
RULES_WITH_MODEL = False  # capitalised-word discovery rules beside the statistical model (see eval/RESULTS.md)
KEEP_METHOD = ("adjective", "demonym")  # methods that already say how a part of a word names an actor


def enrich(articles: Sequence[Article], res: Resources) -> list[Enrichment]:
    """Enrich articles in order; the spaCy pipeline is built once per process."""
    nlp, ner = get_pipeline(res), get_ner(res)
    index = theme_index(res.theme_list)
    table = lex_table(res, index)
    # The words of these texts enter the vocabularies only for this call: a long-running watcher would
    # otherwise keep every word type it ever saw (spaCy's memory zones; no Doc outlives the call).
    with nlp.memory_zone(), ner.memory_zone() if ner is not None else nullcontext():
        docs = nlp.pipe((a.body for a in articles), batch_size=BATCH)
        ents: Iterable[list[Entity]] = repeat([])
        if ner is not None:
            ents = ([(e.label_, e.start_char, e.end_char) for e in d.ents]
                    for d in ner.pipe((a.body for a in articles), batch_size=BATCH))
        return [_enrich_doc(doc, art, res, index, table, found)
                for doc, art, found in zip(docs, articles, ents, strict=False)]


def _sentences(text: str, starts: np.ndarray, offsets: list[int]) -> tuple[Sentence, ...]:
    """Sentence spans from the first-token flags, whitespace trimmed; empty ones dropped."""
    firsts = np.nonzero(starts == 1)[0].tolist() or ([0] if offsets else [])
    bounds = [offsets[i] for i in firsts] + [len(text)]
    out: list[Sentence] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        chunk = text[a:b]
        stripped = chunk.strip()
        if stripped:
            start = a + len(chunk) - len(chunk.lstrip())
            out.append(Sentence(len(out), start, start + len(stripped)))
    return tuple(out)


def _view(doc: Doc, text: str, table: LexTable) -> tuple[TokenView, np.ndarray]:
    """The document's tokens with their facts; also the SENT_START column."""
    if not len(doc):
        empty = np.zeros(0, dtype=np.int64)
        view = TokenView(text, [], [], empty, empty, [], empty.astype(bool), empty.astype(np.uint64))
        return view, empty
    arr = doc.to_array([ORTH, IDX, LENGTH, SENT_START, SPACY])
    starts, lens = arr[:, 1].tolist(), arr[:, 2].tolist()
    tokens = [text[a:a + n] for a, n in zip(starts, lens, strict=True)]  # one slice per token, read many times
    orth = arr[:, 0]
    codes, crcs = table.lookup(orth, starts, lens, text)
    glued = arr[:, 4] == 0
    return TokenView(text, tokens, starts, orth, codes, codes.tolist(), glued, crcs), arr[:, 3].astype(np.int64)


def _enrich_doc(doc: Doc, art: Article, res: Resources, index: ThemeIndex, table: LexTable,
                entities: list[Entity]) -> Enrichment:
    text = art.body  # == doc.text, which spaCy would rebuild token by token
    view, sent_flags = _view(doc, text, table)
    tokens, offsets = view.tokens, view.offsets
    sentences = _sentences(text, sent_flags, offsets)
    sent_of = SentenceOf([s.start_char for s in sentences])
    matches = doc.user_data.get("lagebild_matches", [])
    active = _active(matches, art, res)
    hits = resolve(matches, tokens, offsets, res, active, res.given_names)
    hits, found = _discover(_token_spans(entities, view), view, hits, matches, res, active)
    known, actors = _registry_mentions(hits, text, art, res, sent_of)
    more, disc_actors = _found_mentions(found, tokens, offsets, text, sent_of, res)
    mentions = tuple(sorted(known + more, key=lambda m: (m.start_char, m.end_char)))
    themes, sent_themes = score(index, view, sent_of)
    all_actors = {**actors, **disc_actors}
    quotes = about(find_quotes(view, sentences, mentions), mentions, sentences, sent_themes)
    return Enrichment(
        article_id=art.article_id, sentences=sentences, mentions=mentions,
        actors=tuple(all_actors[k] for k in sorted(all_actors)), themes=themes,
        sentence_themes=sent_themes, quotes=quotes, minhash=dedup.signature_of_tokens(view),
        enrich_version=res.enrich_version,
    )


def _active(matches: list[Match], art: Article, res: Resources) -> set[str]:
    """Matched actors that held a role on the article's date (tie-break for shared names)."""
    ids = {label.partition("|")[2] for label, _, _ in matches}
    return {a for a in ids if a in res.by_id and role_label(res.by_id[a].roles, art.published_date, art.date_precision)}


def _registry_mentions(hits: list[Hit], text: str, art: Article, res: Resources,
                       sent_of: SentenceOf) -> tuple[list[Mention], dict[str, Actor]]:
    mentions: list[Mention] = []
    actors: dict[str, Actor] = {}
    for h in hits:
        a = res.by_id[h.actor_id]
        role = role_label(a.roles, art.published_date, art.date_precision) or a.role
        mentions.append(Mention(
            a.id, a.name, a.kind, text[h.start_char:h.end_char], sent_of(h.start_char), h.start_char,
            h.end_char, "prefix" if h.part_of_word and h.method not in KEEP_METHOD else h.method, role,
            h.method == "metonym"))
        actors[a.id] = Actor(a.id, a.name, a.kind, a.country, "registry", a.role)
    return mentions, actors


def _token_spans(entities: list[Entity], view: TokenView) -> list[tuple[str, int, int]]:
    """The model's character spans as (label, start token, end token) of this document's tokens; a span
    that does not fall on token boundaries here is dropped (hyphen splitting only adds boundaries)."""
    if not entities:
        return []
    starts = {o: k for k, o in enumerate(view.offsets)}
    ends = {o + len(t): k + 1 for k, (o, t) in enumerate(zip(view.offsets, view.tokens, strict=True))}
    return [(label, starts[a], ends[b]) for label, a, b in entities if a in starts and b in ends]


def _discover(ents: list[tuple[str, int, int]], view: TokenView, hits: list[Hit], matches: list[Match], res: Resources,
              active: set[str]) -> tuple[list[Hit], list[Found]]:
    """Registry hits merged with the model's entities (when a model is loaded), then the rules.

    With a model, the rules only follow up surnames of persons already found (and, if
    RULES_WITH_MODEL, the capitalised-word rules run on what is left); without one, all rules run.
    Spans that are only part of a hyphenated word (SPD in SPD-Chef) get the method `prefix`.
    """
    found: list[Found] = []
    if res.model:
        hits, found = link_entities(ents, hits, matches, view.tokens, view.offsets, res, active)
    hits, places = event_locations(hits, view.tokens, res)
    found = join_surnames(drop_genitives(found + places, view.tokens))
    taken = [False] * len(view.tokens)
    for start, end in [(h.start, h.end) for h in hits] + [(f.start, f.end) for f in found]:
        taken[start:end] = [True] * (end - start)
    scanner = Scanner(view, taken, res.places)
    scanner.found = [replace(f, role=scanner.role_before(f.start)) if f.kind == "person" and not f.role else f
                     for f in found]  # the role word before a person the model found (Kreml-Sprecher Peskow)
    found = scanner.scan() if not res.model or RULES_WITH_MODEL else scanner.follow_up()
    ign = res.overlay.ignore
    found = [f for f in found if f.name not in ign and f"disc-{slug(f.name)}" not in ign]
    parts = compound_parts([(h.start, h.end) for h in hits], view.tokens, view.glued)
    hits = [replace(h, part_of_word=True) if part else h for h, part in zip(hits, parts, strict=True)]
    parts = compound_parts([(f.start, f.end) for f in found], view.tokens, view.glued)
    found = [replace(f, method="prefix") if part else f for f, part in zip(found, parts, strict=True)]
    return hits, found


def _found_mentions(found: list[Found], tokens: Sequence[str], offsets: Sequence[int], text: str, sent_of: SentenceOf,
                    res: Resources) -> tuple[list[Mention], dict[str, Actor]]:
    mentions: list[Mention] = []
    actors: dict[str, Actor] = {}
    for f in found:
        aid = f"disc-{slug(f.name)}"
        if aid in res.by_id:  # promoted through the overlay under its discovered id
            a = res.by_id[aid]
            kind, name, origin, role = a.kind, a.name, "registry", a.role
        else:
            kind, name, origin, role = f.kind, f.name, "discovered", f.role
        start, end = offsets[f.start], offsets[f.end - 1] + len(tokens[f.end - 1])
        mentions.append(Mention(aid, name, kind, text[start:end], sent_of(start), start, end, f.method, role))
        prev = actors.get(aid)
        actors[aid] = Actor(aid, name, kind, f.country, origin, role or (prev.role if prev else None))
    return mentions, actors
