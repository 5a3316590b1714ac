"""Stories: articles that report the same event, clustered incrementally as they arrive. Pure: no SQL, no I/O.

Two articles are linked when their dates lie at most WINDOW_DAYS apart and
- one is a near-identical copy of the other (MinHash, `articles.duplicate_of`), or
- they share passages (`"overlaps"`, sampled word 8-grams), or
- the weighted overlap of what they name — persons, organisations, places, themes and title words — is at
  least LINK_PERCENT %, and what they share weighs at least MIN_SHARED and holds a person, an organisation or a
  title word.

A story is a connected group of linked articles (single link). A new article joins the story it links to,
starts one when it links to none, and merges the stories it links to when it links to several; so the
grouping does not depend on the order in which articles arrive, only the story ids do (a story keeps the id
of its earliest member known when it was formed).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

WINDOW_DAYS = 5  # farthest apart (in days) two linked articles may be
# Weights are whole tenths, so that a link is decided exactly at the thresholds: sums of floats can land
# on either side of them, depending on the order in which they are added.
LINK_PERCENT = 35  # weighted overlap of the keys (in %) at or above which two articles report the same event
MIN_SHARED = 14  # and the least weight of the keys they share (two persons, or a person and a title word)
WEIGHTS = {"p": 10, "o": 8, "g": 3, "t": 2, "w": 7}  # person, organisation, place, theme, title word
OTHER_WEIGHT = 5  # a key of any other kind
STRONG = frozenset("pow")  # persons, organisations and title words: a link needs one of them in common
ACTOR_PREFIX = {"person": "p", "organisation": "o", "group": "o", "country": "g", "place": "g"}
STEM = 6  # title words are compared by their first STEM letters (crude German stemming)
_WORD = re.compile(r"[^\W\d_]{4,}")
_STOP = frozenset("""aber alle allem allen aller alles also andere anderen auch auf aus bald beim beide beiden
bereits bisher bleibt damit dann dass davon dazu dem den denn der des die dies diese diesem diesen dieser doch
dort durch eine einem einen einer eines erst erste ersten etwa euro für gegen geht gibt habe haben hat hatte
heute hier immer jahr jahre jahren jetzt kann kein keine mehr mit muss nach neue neuen neuer noch nun nur oder
ohne seit sein seine seiner sich sie sind soll sollen sowie stand über uhr und unter viele vom von vor wegen
weil weiter weitere wenn werden wie wieder will wird wurde wurden zum zur zwei zwischen""".split())


@dataclass(frozen=True)
class StoryArticle:
    """What the clustering knows of one article: its date span, its keys, and the original it copies."""

    article_id: str
    first: date
    last: date  # the last day of the month for articles dated only to their month
    keys: frozenset[str] = frozenset()
    duplicate_of: str | None = None


@dataclass(frozen=True)
class Assignment:
    """The stories of the new articles, and the stored stories merged into another one."""

    story_of: dict[str, str] = field(default_factory=dict)  # new article id -> story id
    merged: dict[str, str] = field(default_factory=dict)  # absorbed story id -> the story it joined


def date_span(published: date, precision: str) -> tuple[date, date]:
    """First and last day an article may have appeared on: its day, or its whole month."""
    if precision == "month":
        return published.replace(day=1), published.replace(day=calendar.monthrange(published.year, published.month)[1])
    return published, published


def title_words(title: str) -> set[str]:
    """Content words of a title, lowercased and cut to their first STEM letters."""
    return {w[:STEM] for w in (m.lower() for m in _WORD.findall(title)) if w not in _STOP}


def _solid(name: str) -> str:
    return "_".join(name.split())


def keys_of(title: str, actors: Iterable[tuple[str, str]], themes: Iterable[str]) -> frozenset[str]:
    """Keys of an article from its title, its (kind, actor_id) pairs and its theme ids. A key holds no
    whitespace (the warehouse stores an article's keys separated by spaces)."""
    keys = {f"{ACTOR_PREFIX.get(kind, 'o')}:{_solid(actor)}" for kind, actor in actors}
    keys |= {f"t:{_solid(t)}" for t in themes}
    keys |= {f"w:{w}" for w in title_words(title)}
    return frozenset(keys)


def weight(key: str) -> int:
    """A key's weight in tenths."""
    return WEIGHTS.get(key[0], OTHER_WEIGHT)


def keys_weight(keys: Iterable[str]) -> int:
    """The weight of a set of keys, in tenths."""
    return sum(weight(k) for k in keys)


_HEAVIEST = max(*WEIGHTS.values(), OTHER_WEIGHT)


def keys_linked(a: frozenset[str], b: frozenset[str], a_weight: int | None = None, b_weight: int | None = None) -> bool:
    """Whether what two articles name overlaps enough for a link: the weight of the shared keys is at least
    MIN_SHARED, they hold a person, an organisation or a title word, and they weigh at least LINK_PERCENT %
    of the smaller key set (a weighted overlap coefficient, compared in whole numbers). `a_weight` and
    `b_weight`: the sets' weights when the caller knows them (`keys_weight`)."""
    common = a & b
    if len(common) * _HEAVIEST < MIN_SHARED:
        return False  # too few shared keys to weigh enough, whatever they are
    shared = keys_weight(common)
    if shared < MIN_SHARED or not any(k[0] in STRONG for k in common):
        return False
    smaller = min(keys_weight(a) if a_weight is None else a_weight, keys_weight(b) if b_weight is None else b_weight)
    return 100 * shared >= LINK_PERCENT * smaller


def gap_days(a: StoryArticle, b: StoryArticle) -> int:
    """Days between the two articles' date spans (0 when they overlap)."""
    return max(0, (a.first - b.last).days, (b.first - a.last).days)


def linked(a: StoryArticle, b: StoryArticle, overlap: float = 0.0) -> bool:
    """Whether two articles report the same event (see the module's rules)."""
    if gap_days(a, b) > WINDOW_DAYS:
        return False
    if a.duplicate_of == b.article_id or b.duplicate_of == a.article_id or overlap > 0:
        return True
    return keys_linked(a.keys, b.keys)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


class _Stories:
    """Union-find over story ids, with the members of each story indexed by key for candidate search."""

    def __init__(self, members: Iterable[tuple[str, StoryArticle]], keys: Iterable[str] | None = None) -> None:
        """`keys`: the only keys candidates are looked up by (the new articles' keys); None: all of them."""
        self.keys = None if keys is None else frozenset(keys)
        self.parent: dict[str, str] = {}
        self.rank: dict[str, tuple[date, str]] = {}
        self.story: dict[str, str] = {}
        self.by_key: dict[tuple[str, date], list[StoryArticle]] = {}  # (strong key, day) -> members
        self.articles: dict[str, StoryArticle] = {}
        self.copies: dict[str, list[str]] = {}  # original -> its copies placed so far
        for story, art in members:
            self.add(art, story)

    def add(self, art: StoryArticle, story: str) -> None:
        self.parent.setdefault(story, story)
        self.rank[story] = min(self.rank.get(story, (art.first, art.article_id)), (art.first, art.article_id))
        self.story[art.article_id] = story
        self.articles[art.article_id] = art
        if art.duplicate_of:
            self.copies.setdefault(art.duplicate_of, []).append(art.article_id)
        days = _days(art.first, art.last)
        for key in art.keys:
            if key[0] in STRONG and (self.keys is None or key in self.keys):
                for day in days:
                    self.by_key.setdefault((key, day), []).append(art)

    def find(self, story: str) -> str:
        while self.parent[story] != story:
            self.parent[story] = self.parent[self.parent[story]]
            story = self.parent[story]
        return story

    def union(self, stories: Sequence[str]) -> str:
        roots = sorted({self.find(s) for s in stories}, key=lambda s: self.rank[s])
        for other in roots[1:]:
            self.parent[other] = roots[0]
        return roots[0]

    def candidates(self, art: StoryArticle, links: Mapping[str, float]) -> set[str]:
        near = _days(art.first - timedelta(days=WINDOW_DAYS), art.last + timedelta(days=WINDOW_DAYS))
        found = {o.article_id for k in art.keys if k[0] in STRONG for d in near for o in self.by_key.get((k, d), ())}
        found |= {o for o in links if o in self.articles}
        if art.duplicate_of in self.articles:
            found.add(art.duplicate_of)
        return found | set(self.copies.get(art.article_id, ()))


def assign(new: Sequence[StoryArticle], members: Iterable[tuple[str, StoryArticle]],
           overlaps: Mapping[tuple[str, str], float] | None = None) -> Assignment:
    """Place `new` articles into the stories of `members` ((story id, article) pairs near in time) or new ones."""
    stories = _Stories(members, {k for a in new for k in a.keys})  # candidates are looked up by these alone
    stored = set(stories.parent)
    links: dict[str, dict[str, float]] = {}
    for (a, b), sim in (overlaps or {}).items():
        links.setdefault(a, {})[b] = sim
        links.setdefault(b, {})[a] = sim
    for art in sorted(new, key=lambda x: (x.first, x.article_id)):
        mine = links.get(art.article_id, {})
        hits = [stories.story[o] for o in sorted(stories.candidates(art, mine))
                if linked(art, stories.articles[o], mine.get(o, 0.0))]
        stories.add(art, stories.union(hits) if hits else art.article_id)
    story_of = {a.article_id: stories.find(stories.story[a.article_id]) for a in new}
    merged = {s: stories.find(s) for s in stored if stories.find(s) != s}
    return Assignment(story_of, merged)


def window(day: date) -> tuple[date, date]:
    """The days whose articles a new article dated `day` may link to."""
    return day - timedelta(days=WINDOW_DAYS), day + timedelta(days=WINDOW_DAYS)
