"""enrich(): articles in, Enrichment out. Pure: no I/O, deterministic, inputs untouched."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from spacy.attrs import IDX, LENGTH, ORTH, SENT_START, SPACY
from spacy.tokens import Doc

from lagebild.article import Article
from lagebild.enrich import dedup
from lagebild.enrich.discovery import Found, Scanner, from_entities, slug
from lagebild.enrich.matcher import Hit, resolve
from lagebild.enrich.model import Actor, Enrichment, Mention, Sentence
from lagebild.enrich.pipeline import get_pipeline
from lagebild.enrich.quotes import find_quotes
from lagebild.enrich.resources import Resources
from lagebild.enrich.roles import role_label
from lagebild.enrich.themes import SentenceOf, ThemeIndex, score, theme_index
from lagebild.enrich.tokens import LexTable, TokenView, lex_table

BATCH = 64


def enrich(articles: Sequence[Article], res: Resources) -> list[Enrichment]:
    """Enrich articles in order; the spaCy pipeline is built once per process."""
    nlp = get_pipeline(res)
    index = theme_index(res.theme_list)
    table = lex_table(res, index)
    docs = nlp.pipe((a.body for a in articles), batch_size=BATCH)
    return [_enrich_doc(doc, art, res, index, table) for doc, art in zip(docs, articles, strict=True)]


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


def _enrich_doc(doc: Doc, art: Article, res: Resources, index: ThemeIndex, table: LexTable) -> Enrichment:
    text = art.body  # == doc.text, which spaCy would rebuild token by token
    view, sent_flags = _view(doc, text, table)
    tokens, offsets = view.tokens, view.offsets
    sentences = _sentences(text, sent_flags, offsets)
    sent_of = SentenceOf([s.start_char for s in sentences])
    matches = doc.user_data.get("lagebild_matches", [])
    active = _active(matches, art, res)
    hits = resolve(matches, tokens, offsets, res, active, res.given_names)
    mentions, actors = _registry_mentions(hits, text, art, res, sent_of)
    found = _discover(doc, view, hits, res)
    more, disc_actors = _found_mentions(found, tokens, offsets, text, sent_of, res)
    mentions = tuple(sorted(mentions + more, key=lambda m: (m.start_char, m.end_char)))
    themes, sent_themes = score(index, view, sent_of)
    all_actors = {**actors, **disc_actors}
    quotes = find_quotes(view, sentences, mentions)
    return Enrichment(
        article_id=art.article_id, sentences=sentences, mentions=mentions,
        actors=tuple(all_actors[k] for k in sorted(all_actors)), themes=themes,
        sentence_themes=sent_themes, quotes=quotes, minhash=dedup.signature_of_tokens(view),
        enrich_version=res.enrich_version,
    )


def _active(matches: list, art: Article, res: Resources) -> set[str]:
    """Matched actors that held a role on the article's date (tie-break for shared names)."""
    ids = {label.partition("|")[2] for label, _, _ in matches}
    return {a for a in ids if a in res.by_id and role_label(res.by_id[a].roles, art.published_date, art.date_precision)}


def _registry_mentions(hits: list[Hit], text: str, art: Article, res: Resources, sent_of: SentenceOf):
    mentions: list[Mention] = []
    actors: dict[str, Actor] = {}
    for h in hits:
        a = res.by_id[h.actor_id]
        role = role_label(a.roles, art.published_date, art.date_precision) or a.role
        mentions.append(Mention(
            a.id, a.name, a.kind, text[h.start_char:h.end_char], sent_of(h.start_char), h.start_char,
            h.end_char, h.method, role, h.method == "metonym"))
        actors[a.id] = Actor(a.id, a.name, a.kind, a.country, "registry", a.role)
    return mentions, actors


def _discover(doc: Doc, view: TokenView, hits: list[Hit], res: Resources) -> list[Found]:
    taken = [False] * len(view.tokens)
    for h in hits:
        for k in range(h.start, h.end):
            taken[k] = True
    found = from_entities([(e.label_, e.start, e.end) for e in doc.ents], view.tokens, taken) if res.model else []
    found += Scanner(view, taken, res.places).scan()
    ign = res.overlay.ignore
    return [f for f in found if f.name not in ign and f"disc-{slug(f.name)}" not in ign]


def _found_mentions(found: list[Found], tokens, offsets, text: str, sent_of: SentenceOf, res: Resources):
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
