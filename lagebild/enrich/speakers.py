"""Speaker noun phrases around a speech cue, over one sentence's tokens.

A speaker is a token span: a pronoun (er, sie), a name, or a noun phrase such as
"ein Sprecher des Ministeriums" or "US-Außenminister Antony Blinken"; registry and
discovered mentions inside the span resolve it to an actor.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from lagebild.enrich.lexicon import given_name_genders
from lagebild.enrich.model import Mention
from lagebild.enrich.tokens import CAP, FW, LOWWORD, WORD, TokenView

DETERMINERS = frozenset("der die das des dem den ein eine einer eines einem einen sein seine seiner ihr ihre ihrer "
                        "dessen deren mehrere einige viele zwei drei beide alle".split())
PRONOUNS = frozenset({"er", "sie", "Er", "Sie", "man", "Man", "ich", "Ich", "wir", "Wir"})
_TIME_NOUNS = frozenset("Sekunden Minuten Stunden Tage Tagen Wochen Monate Monaten Jahre Jahren Jahrzehnte".split())
_OBJECT_ARTICLES = frozenset("die das den dem ein eine einen einem".split())
_GENITIVE = frozenset({"des", "der", "von", "vom", "aus", "für"})
_SKIP = frozenset("am im heute gestern morgen dazu auch noch bereits nun jetzt dann zudem außerdem weiter ebenfalls "
                  "zuvor später erneut ferner wörtlich bei vor nach in auf gegenüber abschließend sich".split())
_BOUNDARY = frozenset({",", ";", ":", ".", "!", "?", "„", "“", "”", '"', "«", "»", "(", ")", "–", "—"})
_FINITE = frozenset("ist hat wird wurde war sind waren hatte hatten werden wurden haben kann konnte soll sollte "
                     "will wollte muss musste gibt gab geht ging kam kommt".split())
_PREPS = frozenset({"am", "im", "bei", "vor", "nach", "in", "auf"})
_RELATIVE = frozenset("der die das den dem denen deren dessen".split())
_ADVERB_OPENERS = frozenset("Auch Zudem Außerdem Dann Nun Jedoch Ebenfalls Inzwischen Unterdessen Später Zuvor "
                            "Allerdings Daraufhin Anschließend Gleichzeitig Bereits Schon Dabei Hingegen Aber "
                            "Insbesondere Weiterhin Ferner Zusätzlich Schließlich Ergänzend Abschließend "
                            "Offiziell".split())
_SUBORDINATORS = frozenset({"Während"})
Span = tuple[int, int]  # token start, end


class Speakers:
    """Mentions by position, to resolve a speaker span to an actor."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.m = [m for m in mentions if m.kind in ("person", "organisation", "country", "group", "place")
                  and m.method not in ("adjective", "demonym", "prefix")]
        self.starts = [m.start_char for m in self.m]

    def inside(self, a: int, b: int) -> Mention | None:
        """The best mention inside characters [a, b): a person first, else the last one; else a mention
        that starts inside and runs on (das Außenministerium | in Moskau)."""
        i = bisect_right(self.starts, a - 1)
        found: list[Mention] = []
        running: list[Mention] = []
        while i < len(self.m) and self.m[i].start_char < b:
            (found if self.m[i].end_char <= b else running).append(self.m[i])
            i += 1
        found = found or running[:1]
        persons = [m for m in found if m.kind == "person"]
        best = persons or found
        return best[-1] if best else None

    def by_role(self, head: str, pos: int) -> Mention | None:
        """The nearest person before `pos` whose role on the article's date is `head` (der US-Außenminister),
        else ends like it (der Minister, die Kanzlerin, der Kreml-Sprecher): role anaphora."""
        before = self.m[:bisect_right(self.starts, pos)][::-1]
        persons = [(m, m.role.lower()) for m in before if m.kind == "person" and m.role]
        full, tail = head.lower(), head.lower().rsplit("-", 1)[-1]
        for m, role in persons:
            if full in (r.split(" (")[0] for r in role.split("; ")):  # a role reads "Rolle (Org)"
                return m
        for m, role in persons:
            if any(w.endswith(tail) for w in role.replace(";", " ").replace("-", " ").split()):
                return m
        return None

    def last_person(self, pos: int, gender: str | None = None) -> Mention | None:
        """The last person named before `pos`; with a gender (er 'm', sie 'f'), the last one whose given name
        does not say otherwise."""
        genders = given_name_genders() if gender else {}
        i = bisect_right(self.starts, pos) - 1
        while i >= 0 and (self.m[i].kind != "person" or
                          genders.get(self.m[i].name.split(" ", 1)[0], gender) != gender):
            i -= 1
        return self.m[i] if i >= 0 else None


def is_word(v: TokenView, k: int) -> bool:
    return v.tokens[k] not in _BOUNDARY and not v.tokens[k].isspace()


def np_after(v: TokenView, j: int, end: int) -> Span | None:
    """The noun phrase starting at token j (after skipping adverbials), up to `end`."""
    t = v.tokens
    skipped = 0
    while j < end and skipped < 4 and t[j] in _SKIP and t[j] not in PRONOUNS:
        j += 1
        skipped += 1
        while skipped and j < end and t[j][:1].isupper() and t[j - 1] in _PREPS:
            j += 1
    if j >= end:
        return None
    if t[j] in PRONOUNS:
        return (j, j + 1)
    sp = _phrase(v, j, end)
    if sp and sp[1] + 2 < end and t[sp[1]] == "," and v.bits[sp[1] + 1] & CAP:  # der Sprecher, Dmitri Peskow,
        name = _phrase(v, sp[1] + 1, end)
        if name and (name[1] == end or t[name[1]] in (",", ".")) and all(
                v.bits[x] & CAP or t[x] == "-" for x in range(*name)):
            return (sp[0], name[1])
    return sp


def _phrase(v: TokenView, j: int, end: int) -> Span | None:
    """Determiner, adjectives, capitalised nouns and names, an optional genitive or 'von' part."""
    t, k, nouns = v.tokens, j, 0
    while k < end and k - j < 12:
        w = t[k]
        if nouns and w in _OBJECT_ARTICLES:
            break  # der Bürgermeister | die Helfer: a second noun phrase (an object) starts
        if w in DETERMINERS or w == "-" or (w[:1].islower() and w[-1:] in "enrs" and nouns == 0 and (
                k > j or (k + 1 < end and v.bits[k + 1] & CAP))):
            k += 1
        elif w.isdigit() and k > j and k + 2 < end and t[k + 1] == "-" and t[k + 2].lower().startswith("jährig"):
            nouns += t[k + 2].endswith(("e", "er", "en")) and (k + 3 >= end or not v.bits[k + 3] & CAP)
            k += 3  # der 81-jährige (a noun), die 56-jährige Anwältin (an adjective)
        elif v.bits[k] & CAP and not v.bits[k] & FW or (nouns and w[:1].isupper()):
            nouns += 1
            k += 1
        elif nouns and w in _GENITIVE and k + 1 < end and (t[k + 1] in DETERMINERS or t[k + 1][:1].isupper()):
            k += 1
        else:
            break
    while k > j and (t[k - 1] in DETERMINERS or t[k - 1] in _GENITIVE or t[k - 1] == "-"):
        k -= 1
    return (j, k) if nouns and k > j else None


def np_before(v: TokenView, k: int, start: int) -> Span | None:
    """The noun phrase ending right before token k (as in 'Der Nato zufolge'), at most six tokens."""
    j = k
    t = v.tokens
    while j > start and k - j < 6 and is_word(v, j - 1) and (
            t[j - 1][:1].isupper() or t[j - 1] in DETERMINERS or t[j - 1][-1:] in "nmrs"):
        j -= 1
    while j < k and not v.tokens[j][:1].isupper() and v.tokens[j] not in DETERMINERS:
        j += 1
    return (j, k) if j < k else None


def subject_before(v: TokenView, k: int, start: int, openers: frozenset[str], strict: bool = False) -> Span | None:
    """Tokens from the clause start to a verb at k, when they form a noun phrase (not an adverbial)."""
    j, t = start, v.tokens
    while j < k and not is_word(v, j):
        j += 1
    e = k
    while e > j and t[e - 1] in (",", ")", "-"):
        e -= 1
    if j + 1 < e and t[j] in _ADVERB_OPENERS:  # Auch sie forderten …
        j += 1
    if j + 1 < e and t[j] in _SUBORDINATORS and v.tokens[k - 1] != ",":  # Während Shakira erklärte, …
        j += 1
    if j + 1 < e and t[j] == "Des" and t[j + 1] in ("Weiteren", "Öfteren"):  # Des Weiteren verwies X darauf
        j += 2
    if e - j == 1 and (t[j] in _ADVERB_OPENERS or (len(t[j]) > 6 and t[j].endswith(("end", "weise")))):
        return None  # Relativierend fügt X hinzu, Insbesondere kritisiert wird
    while j < e and _adverb(v, j):  # Sinngemäß hofft Musk …, Aber man betont …
        j += 1
    if j >= e or (t[j] in openers and not _article(v, j, e) and not _name_particle(v, j, e)) or e - j > 16 \
            or _relative(v, j, e):
        return None
    if t[e - 1] in ("und", "aber", "sowie", "oder") or any(t[i] in _TIME_NOUNS for i in range(j, min(e, j + 3))):
        return None  # Er halte … und | bezeichnete; Wenige Stunden nach dem Putsch | erklärte: no subject
    if e - j == 1 and t[j] in PRONOUNS:
        return (j, e)
    if any(t[i] in _FINITE for i in range(j, e)):
        return None
    if strict and (not all(_np_token(t[i], v.bits[i]) for i in range(j, e)) or "," not in t[j:e]):
        return None  # an apposition (Der Vorsitzende, Jean Mignon, sagte) has a comma inside
    return (j, e) if (t[j] in DETERMINERS or v.bits[j] & CAP) else None


def _article(v: TokenView, j: int, e: int) -> bool:
    """'Das' as the article of a noun phrase (Das Gericht, Das tibetische Exilparlament), not a pronoun."""
    if v.tokens[j] != "Das" or j + 1 >= e:
        return False
    x = j + 1
    while x < e - 1 and x < j + 4 and v.tokens[x][:1].islower() and v.tokens[x][-1:] == "e":
        x += 1  # Das staatliche sudanesische Fernsehen
    return bool(v.bits[x] & CAP)


def _name_particle(v: TokenView, j: int, e: int) -> bool:
    """'Von der' opening a surname right before the verb (Von der Leyen betonte), not a source (Von der
    Polizei hieß es)."""
    t = v.tokens
    return e - j == 3 and t[j] == "Von" and t[j + 1] == "der" and bool(v.bits[j + 2] & CAP) and not v.bits[j + 2] & WORD


def _adverb(v: TokenView, j: int) -> bool:
    """A word capitalised only because it opens the sentence: German in lower case, not as written."""
    b = v.bits[j]
    return bool(b & CAP and b & LOWWORD and not b & WORD) and v.tokens[j].lower() not in DETERMINERS \
        and v.tokens[j] not in PRONOUNS


def _relative(v: TokenView, j: int, e: int) -> bool:
    """A relative clause (…, die im Oktober …, den der Gerichtshof …): its verb is no speech of the sentence."""
    t = v.tokens
    if j == 0 or t[j - 1] != "," or t[j] not in _RELATIVE:
        return False
    return t[j] == "denen" or (j + 1 < e and (not v.bits[j + 1] & CAP or t[j + 1] in DETERMINERS))


def noun_phrase(v: TokenView, sp: Span) -> bool:
    """Whether a span holds only words of a noun phrase (no finite verb such as gründet, steht, fand)."""
    return all(_np_token(v.tokens[i], v.bits[i]) for i in range(*sp))


def _np_token(w: str, bits: int) -> bool:
    """A token that can sit inside a subject noun phrase (with appositions and a party in brackets)."""
    if bits & CAP or w in DETERMINERS or w in _GENITIVE or w in (",", "(", ")", "-", "und", "im", "am", "zum"):
        return True
    return (w[:1].islower() and w[-1:] in "enrsm") or w.isdigit()


def first_np(v: TokenView, a: int, end: int) -> Span | None:
    """The noun phrase a sentence opens with (the subject of 'X war da und sagte …'), with its article written
    in capitals at the sentence start (Die Polizei …)."""
    if a + 1 < end and v.tokens[a] != v.tokens[a].lower() and v.tokens[a].lower() in DETERMINERS:
        sp = _phrase(v, a + 1, end)
        return (a, sp[1]) if sp and sp[0] == a + 1 else None
    return _phrase(v, a, end) if a < end and (v.tokens[a] in DETERMINERS or v.bits[a] & CAP) else None
