"""Reported-speech frames in one sentence: the cue (sagte, erklärte, räumte … ein, zufolge, laut,
nach Angaben von, so X, X: „…“, passives with their agent) and the speaker's token span around it.

Per sentence, the first cue outside direct quotes decides: "X zufolge", "laut X", "nach Angaben von X",
"wie X berichtet", ", so X", or a speech verb with its subject before it ("Lawrow sagte") or after it
("sagte ein Sprecher des Ministeriums", "„…“, sagte er"); "X: „…“" introduces a quote too.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from spacy.strings import hash_string  # type: ignore[attr-defined]

from lagebild.enrich.lexicon import lemma_table, speech_particles, wordlist
from lagebild.enrich.speakers import (
    DETERMINERS,
    PRONOUNS,
    Span,
    first_np,
    is_word,
    noun_phrase,
    np_after,
    np_before,
    subject_before,
)
from lagebild.enrich.tokens import CAP, CUE, PARTICLE_CUE, SOURCE, TokenView

_OPENERS = frozenset("„“”\"«»")
_CLAUSE_END = frozenset({",", ";", ":", ".", "!", "?"})
_NACH_NOUNS = frozenset("Angaben Aussagen Aussage Informationen Berichten Berichte Ansicht Meinung Einschätzung "
                        "Auffassung Darstellung Worten Schätzungen Erkenntnissen Bekunden Medienberichten "
                        "Polizeiangaben Zeitungsberichten Agenturberichten Recherchen Quellen Umfragen".split())
_NACH_ENDINGS = ("angaben", "aussagen", "aussage", "berichten", "bericht", "meldungen", "meldung", "informationen",
                 "studie", "analyse", "stellungnahme", "schätzung", "schätzungen", "berechnungen", "einschätzung",
                 "darstellung", "erkenntnissen", "hochrechnung", "vorhersage", "prognose", "ermittlungsstand",
                 "ermittlungen", "meinung", "ansicht", "auffassung", "vorstellungen", "worten", "umfrage", "dokument",
                 "untersuchung", "untersuchungen", "hinweis", "hinweisen", "quellen", "medien", "recherchen",
                 "ergebnis", "ergebnissen", "gesetz", "plan", "plänen")
_POSTPOSED = frozenset("Meinung Ansicht Auffassung Vernehmen Einschätzung Überzeugung Darstellung".split())
_NACH_ADJ = frozenset("eigenen eigenem offiziellen ersten übereinstimmenden inoffiziellen unbestätigten "
                      "vorläufigen jüngsten neuen neuesten".split())
_AUX = frozenset("hat hatte hatten haben habe hätte ist war sind waren wurde wurden".split())
_REFERS = frozenset({"demnach", "Demnach", "wonach", "Wonach"})
_RELATIVE = frozenset("der die das welcher welche welches dessen deren".split())
_POSSESSIVE = frozenset("seiner seinen seinem ihrer ihren ihrem".split())
_PASSIVE = frozenset("wurde wurden worden wird werden".split())
_OBLIQUE = frozenset("den dem einen einem ihm ihn ihnen uns mir dich euch".split())
_ATTRIBUTIVE = frozenset("der die das den dem des ein eine einen einem einer eines wegen mit von vom zum zur "
                         "nach bei seine seinen seinem seiner ihre ihren ihrem ihrer".split())
_LAUT = frozenset({"laut", "Laut"})
_VIEW_VERBS = frozenset("ist sind war waren sei seien wäre wären bleibt bleibe gilt gelte".split())
STANCE = frozenset(wordlist("speech_stances"))
_COPULA = frozenset("ist sind war waren sei seien zeigte zeigten gab gaben".split())
_HEISST = frozenset({"heißt", "hieß", "geheißen", "hieße"})
_IN_SOURCE = frozenset("in In im Im bei Bei beim Beim aus Aus Von Vom".split())
_COLON = np.uint64(hash_string(":"))
_NOT_SO = frozenset({"dass", "daß", "auch", "heißt", "hieß"})  # …, so dass; …, so auch X; „Y“, so heißt X: no source
_TOLL_ALONE = frozenset("Menschenleben Todesopfer Menschenopfer".split())  # fordern + these: a death toll
_TOLL = frozenset("Leben Tote Toten Opfer Verletzte Verletzten".split())  # … after a number (forderte acht Tote)
_NUMBER_WORDS = frozenset("zwei drei vier fünf sechs sieben acht neun zehn elf zwölf zwanzig hundert hunderte "
                          "tausend tausende dutzende mehrere zahlreiche viele".split())
_SUBJECT_PRONOUNS = frozenset({"er", "ich", "wir"})  # nominative only: after the verb, its subject
_NAMING = frozenset({"nennen", "bezeichnen"})  # Dies nennt man …; Als Lichtjahr bezeichnet man …: a definition
Found = tuple[Span, str, Span]  # speaker tokens, cue text, cue tokens


class SentenceTokens:
    """One sentence's token range and the direct quotes in it."""

    def __init__(self, v: TokenView, a: int, b: int, quotes: list[tuple[int, int]]) -> None:
        self.v, self.a, self.b, self.quotes = v, a, b, quotes

    def quoted(self, k: int) -> bool:
        pos = self.v.offsets[k]
        return any(s <= pos < e for s, e in self.quotes)

    def mark(self, k: int) -> bool:
        """Whether token k is the opening or closing mark of a direct quote (not of a quoted name)."""
        pos = self.v.offsets[k]
        return any(pos == s or pos == e - 1 for s, e in self.quotes)

    def clause_end(self, k: int) -> int:
        t = self.v.tokens
        while k < self.b and t[k] not in _CLAUSE_END:
            k += 1
        return k


def _source(s: SentenceTokens, k: int) -> Found | None:
    """Speaker of a source phrase at token k: zufolge, laut, gemäß, nach Angaben, wie … berichtet, so."""
    v, t, w = s.v, s.v.tokens, s.v.tokens[k]
    if w == "zufolge":
        sp = np_before(v, k, s.a)
        return (sp, w, (k, k + 1)) if sp else None
    if w in ("laut", "Laut", "gemäß", "Gemäß"):
        sp = np_after(v, k + 1, s.b) or ((k + 1, min(k + 5, s.clause_end(k + 1))) if k + 1 < s.b else None)
        return (sp, w, (k, k + 1)) if sp and sp[1] > sp[0] else None
    if w in ("nach", "Nach"):
        return _nach(s, k)
    if w in ("wie", "Wie"):
        for c in range(k + 1, min(s.b, k + 14)):
            if t[c] in (".", ";", ":", "!", "?"):
                break
            if v.bits[c] & (CUE | PARTICLE_CUE) and c > k + 1:
                return ((k + 1, c), t[c], (c, c + 1))
        return None
    if w == "so" and k > s.a and (t[k - 1] in (",", "–", "-") or t[k - 1] in _OPENERS) and not (
            k + 1 < s.b and t[k + 1] in _NOT_SO):
        sp = np_after(v, k + 1, s.b)
        if sp is None and k + 2 < s.b and v.bits[k + 1] & (CUE | PARTICLE_CUE):  # …, so schätzen die Forscher,
            sp = np_after(v, k + 2, s.b)
        return (sp, w, (k, k + 1)) if sp else None
    return None


def _nach(s: SentenceTokens, k: int) -> Found | None:
    """nach Angaben (von|des|der) X, nach eigenem Bekunden, nach Informationen der X."""
    t, n = s.v.tokens, k + 1
    if k > s.a and t[k - 1] in _POSTPOSED:  # ihrer Meinung nach, dem Vernehmen nach
        j = k - 1
        while j > s.a and (t[j - 1].lower() in _POSSESSIVE or t[j - 1].lower() in ("dem", "der") or
                           (t[j - 1][:1].isupper() and t[j - 1][-1:] == "s")):
            j -= 1
        return ((j, k), t[k - 1] + " " + t[k], (k - 1, k + 1))
    while n < s.b and n - k < 4 and (t[n] in _NACH_ADJ or t[n] in ("den", "dem", "einer", "einem", "der", "eigener")
                                     or t[n] in _POSSESSIVE or (t[n][:1].islower() and t[n][-2:] in ("en", "er", "em"))
                                     or (t[n][:1].isupper() and t[n][-1:] == "s" and n + 1 < s.b
                                         and t[n + 1][:1].isupper())):
        n += 1
    if n >= s.b or not (t[n] in _NACH_NOUNS or (t[n][:1].isupper() and t[n].lower().endswith(_NACH_ENDINGS))):
        return None
    end, cue_end = n + 1, n + 1
    if end < s.b and t[end] in ("von", "des", "der", "aus", "dem", "eines", "einer"):
        cue_end = end + 1 if t[end] in ("von", "des", "der", "aus") else end
        sp = np_after(s.v, end + (t[end] == "von" or t[end] == "aus"), s.b)
        end = sp[1] if sp else end
    return ((k + 1, end), " ".join(t[k:cue_end]), (k, cue_end))


_PREP_OBJECTS = {"sprechen": frozenset({"von", "für", "gegen"}), "aussprechen": frozenset({"für", "gegen"}),
                 "sehen": frozenset({"als"}),
                 "rechnen": frozenset({"mit"})}


def prep_object(v: TokenView, k: int, b: int, a: int = 0) -> bool:
    """Whether the speech verb at k has its prepositional object in its clause: after it (die Polizei spricht
    von …, sprach sich für … aus, sieht in … einen …, rechnet mit …) or, for a participle at the clause end,
    before it (hat sich für … ausgesprochen)."""
    t = v.tokens
    preps = _PREP_OBJECTS.get(lemma_table().get(t[k], t[k].lower()))
    if not preps:
        return False
    for x in range(k + 1, b):
        if t[x] in _CLAUSE_END:
            break
        if t[x] in preps:
            return True
    if t[k][:1].islower() and "ge" in t[k][:6] and (k + 1 >= b or t[k + 1] in _CLAUSE_END):
        for x in range(k - 1, a - 1, -1):
            if t[x] in _CLAUSE_END:
                break
            if t[x] in preps:
                return True
    return False


def _particle_ok(s: SentenceTokens, k: int) -> bool:
    """A particle verb (teilte … mit) counts when its particle closes the clause, a verb with a prepositional
    object (sprach von …) when the object follows in the clause."""
    lemma = lemma_table().get(s.v.tokens[k], s.v.tokens[k].lower())
    parts = speech_particles().get(lemma, frozenset())
    t = s.v.tokens
    if prep_object(s.v, k, s.b, s.a):
        return True
    end = s.clause_end(k + 1)
    if end > k + 1 and t[end - 1] in parts:
        return True
    # gab der Leiter der Dienststelle, Andreas Huber, bekannt: the particle closes a later clause
    return any(t[x] in parts and (x + 1 == s.b or t[x + 1] in _CLAUSE_END) for x in range(end + 1, s.b))


def _verb(s: SentenceTokens, k: int, openers: frozenset[str]) -> Found | None:
    """Speaker of a speech verb at k: its subject before it, else the noun phrase after it."""
    v, t = s.v, s.v.tokens
    if t[k] in _HEISST:
        return _heisst(s, k)
    if t[k] in STANCE:
        return _stance(s, k, openers)
    if v.bits[k] & PARTICLE_CUE and not _particle_ok(s, k):
        return None
    if _passive(s, k) and not t[k].startswith("zitiert"):  # X wird … zitiert: X is the speaker
        return _agent(s, k)
    if t[k].startswith("zitiert") and _passive(s, k):  # In der Meldung wird Musk wie folgt zitiert
        werden = next(x for x in range(_clause_start(s, k), k) if t[x] in _PASSIVE)
        sp = np_after(v, werden + 1, k)
        if sp:
            return (sp, t[k], (k, k + 1))
    if t[k] in ("zitierte", "zitiert", "zitierten") and k + 1 < s.b and t[k + 1] not in _CLAUSE_END:
        sp = np_after(v, k + 1, s.b)  # Ein Sender zitierte Papandreou mit den Worten: the quoted one speaks
        if sp and t[sp[0]] not in _OBLIQUE:
            return (sp, t[k], (k, k + 1))
    prev = t[k - 1] if k > s.a else ""
    if k + 1 < s.b and t[k + 1] in _SUBJECT_PRONOUNS:
        return ((k + 1, k + 2), t[k], (k, k + 1))  # Die Äußerungen bezeichnete er als …; Die Anhänger, …, warnte er
    if prev == ",":  # an apposition before the verb: Der Vorsitzende …, Jean Mignon, bezeichnete
        sp = subject_before(v, k, s.a, openers, strict=True) or _before_relative(s, k, openers)
        if sp:
            return (sp, t[k], (k, k + 1))
    if prev in ("und", "aber", "sowie"):
        sp = (s.a, s.a + 1) if t[s.a] in PRONOUNS else first_np(v, s.a, k)  # Er halte … und bezeichnete
        if sp is None:  # In seiner Stellungnahme befand X … und nannte …
            first = _main_subject(s, s.a, k - 1, openers)
            sp = first[0] if first else None
        if sp:
            return (sp, t[k], (k, k + 1))
    aux = _auxiliary(s, k)
    if aux is not None:  # hatte … gesagt: the subject sits around the auxiliary
        sp = subject_before(v, aux, _clause_start(s, aux), openers) or np_after(v, aux + 1, k)
        if not sp and aux > s.a and t[aux - 1] == ",":  # Louis Gallois, der Nachfolger …, hat angekündigt
            sp = subject_before(v, aux, s.a, openers, strict=True)
        if sp:
            return (sp, t[k], (k, k + 1))
    if prev and prev not in _CLAUSE_END and (prev not in _OPENERS or not s.mark(k - 1)):  # Die Zeitung „X“ berichtet
        sp = subject_before(v, k, _clause_start(s, k), openers)
        if sp:
            return (sp, t[k], (k, k + 1))
    sp = np_after(v, k + 1, s.b)
    return (sp, t[k], (k, k + 1)) if sp and t[sp[0]] not in _OBLIQUE else None


def _stance(s: SentenceTokens, k: int, openers: frozenset[str]) -> Found | None:
    """A stated view with a copula (X ist zuversichtlich, …; X war sich sicher, dass …; X ist der Meinung,
    dass …): the subject around the copula, when what is held follows after a comma."""
    t = s.v.tokens
    if k + 2 >= s.b or t[k + 1] != ",":
        return None
    start = _clause_start(s, k)
    cop = next((x for x in range(k - 1, start - 1, -1) if t[x] in _COPULA), None)
    if cop is None:
        return None
    sp = subject_before(s.v, cop, start, openers) or np_after(s.v, cop + 1, k)
    if sp and sp[1] > k:
        return None
    return (sp, t[k], (k, k + 1)) if sp else None


def _heisst(s: SentenceTokens, k: int) -> Found | None:
    """"heißt es in/bei X" (In dem Schreiben heißt es, …; hieß es bei der Agentur RIA): the source is X."""
    t = s.v.tokens
    if not ((k + 1 < s.b and t[k + 1] == "es") or (k > s.a and t[k - 1] in ("es", "Es"))):
        return None
    if k + 3 < s.b and t[k + 1] == "es" and t[k + 2] in ("von", "vom", "seitens", "aus"):  # hieß es vom Sprecher X
        sp = np_after(s.v, k + 3, s.b)
        if sp:
            return (sp, t[k], (k, k + 1))
    for x in range(s.a, s.b):
        if t[x] in _IN_SOURCE and not s.quoted(x):
            sp = np_after(s.v, x + 1, s.b)
            if sp:
                return (sp, t[k], (k, k + 1))
    return None


def _before_relative(s: SentenceTokens, k: int, openers: frozenset[str]) -> Span | None:
    """The subject before a relative clause that ends right before the verb (Klose, der … sah, nannte)."""
    t = s.v.tokens
    for x in range(k - 2, max(s.a, k - 30), -1):
        if t[x] == "," and x + 1 < k and t[x + 1] in _RELATIVE:
            return subject_before(s.v, x, _clause_start(s, x), openers)
    return None


def _passive(s: SentenceTokens, k: int) -> bool:
    """A participle cue with a form of 'werden' in its clause (wurde … kritisiert)."""
    w = s.v.tokens[k]
    if not (w.endswith("t") or (w.endswith("en") and "ge" in w[:8])) or not w[:1].islower():
        return False  # gesagt, kritisiert, angegeben, bekanntgegeben
    return any(s.v.tokens[x] in _PASSIVE for x in range(_clause_start(s, k), k))


def _agent(s: SentenceTokens, k: int) -> Found | None:
    """The agent of a passive cue: 'von X' or 'vom X' in its clause."""
    t = s.v.tokens
    for x in range(_clause_start(s, k), k):
        if t[x] in ("von", "vom", "Von", "Vom"):
            sp = np_after(s.v, x + 1, k)
            if sp:
                return (sp, t[k], (k, k + 1))
    return None


def _clause_start(s: SentenceTokens, k: int) -> int:
    t = s.v.tokens
    while k > s.a and t[k - 1] not in _CLAUSE_END and not (t[k - 1] in _OPENERS and s.mark(k - 1)):
        k -= 1
    return k


def _auxiliary(s: SentenceTokens, k: int) -> int | None:
    """The finite auxiliary of a participle cue (hatte … gesagt, hat … zugesagt, hat … zurückgewiesen,
    hat … versprochen) in its clause."""
    w = s.v.tokens[k]
    if "ge" not in w[:8] and not w.endswith("t") and not (w.endswith("en") and lemma_table().get(w, w) != w):
        return None
    for x in range(k - 1, _clause_start(s, k) - 1, -1):
        if s.v.tokens[x] in _AUX:
            return x
    return None


def _toll(s: SentenceTokens, k: int) -> bool:
    """Whether 'fordern' at k counts the dead or injured of its clause (forderte 92 Menschenleben; Acht Tote
    forderte ein Anschlag)."""
    t = s.v.tokens
    if lemma_table().get(t[k], t[k].lower()) != "fordern":
        return False
    for x in range(_clause_start(s, k), s.clause_end(k)):
        if t[x] in _TOLL_ALONE or (t[x] in _TOLL and x > s.a and _count(t[x - 1])):
            return True
    return False


def _count(w: str) -> bool:
    """A number (92, 1.200, zwei, Dutzende) before a noun."""
    return w.replace(".", "").replace(",", "").isdigit() or w.lower() in _NUMBER_WORDS


def _negated(s: SentenceTokens, k: int) -> bool:
    """Whether the clause of the cue at k holds 'nicht' (gab … nicht bekannt, wollte nicht bestätigen)."""
    t = s.v.tokens
    return any(t[x] == "nicht" for x in range(_clause_start(s, k), s.clause_end(k)))


def _adverb_after_auxiliary(s: SentenceTokens, k: int) -> bool:
    """Whether the token at k, after a finite auxiliary of its clause, is followed by more of the clause: an
    adverb (hat es schon wiederholt Zwischenfälle gegeben), not the participle that ends it."""
    t = s.v.tokens
    return (k + 1 < s.b and t[k + 1] not in _CLAUSE_END
            and any(t[x] in _AUX for x in range(_clause_start(s, k), k)))


def _zu_infinitive(t: Sequence[str], k: int) -> bool:
    """An infinitive with zu (zu schreiben, anzugeben, vorzuschlagen)."""
    w = t[k]
    if k > 0 and t[k - 1] == "zu" and w.endswith("en"):
        return True
    lemma = lemma_table().get(w)
    return lemma is not None and "zu" in w[1:-2] and w.replace("zu", "", 1) == lemma


def attribute(s: SentenceTokens, openers: frozenset[str]) -> Found | None:
    """(speaker span, cue) of a sentence from its first usable cue, else a colon before a quote."""
    v = s.v
    refer = None
    cues = (np.nonzero(v.codes[s.a:s.b] & (SOURCE | CUE | PARTICLE_CUE))[0] + s.a).tolist()
    for k in cues:  # laut X names the source even after another cue (bestätigte Y laut Reuters, dass …)
        if v.tokens[k] in _LAUT and not s.quoted(k):
            found = _source(s, k)
            if found:
                return found
    for k in cues:
        if s.quoted(k) or (k > s.a and not v.bits[k] & SOURCE and v.tokens[k][:1].islower()
                           and v.tokens[k - 1] in _ATTRIBUTIVE):
            continue  # wegen wiederholten Fouls, die geforderte Summe: an adjective, no verb
        if not v.bits[k] & SOURCE and _zu_infinitive(v.tokens, k):
            continue  # die Adresse anzugeben, ESPASA zu schreiben: no statement of the sentence
        if not v.bits[k] & SOURCE and _negated(s, k):
            continue  # wollte nicht bestätigen, gab … nicht bekannt: what was not said
        if _toll(s, k):
            continue  # forderte 92 Menschenleben: a death toll, no demand
        if v.tokens[k] == "wiederholt" and _adverb_after_auxiliary(s, k):
            continue  # hatte er wiederholt geschlagen: the adverb, not the verb (hat seine Kritik wiederholt.)
        if v.tokens[k] in _REFERS:
            sp = np_before(v, k - 1, s.a) if v.tokens[k] == "wonach" and k - 1 > s.a and v.tokens[k - 1] == "," \
                else None  # Meldungen der New York Times, wonach …: the reports say it
            refer = refer or (sp or (k, k + 1), v.tokens[k], (k, k + 1))
            continue
        found = _source(s, k) if v.bits[k] & SOURCE else _verb(s, k, openers)
        if found and found[0][1] - found[0][0] == 1 and v.tokens[found[0][0]] in ("man", "Man"):
            continue  # geht man davon aus, Dies nennt man …: impersonal, no one's statement
        if found and lemma_table().get(found[1], found[1].lower()) in _NAMING \
                and "sich" in v.tokens[max(s.a, found[2][0] - 4):found[2][0] + 2]:
            continue  # wie sich die Junta selbst nennt: a name, no statement
        if found:
            return found
    for k in (np.nonzero(v.orth[s.a:s.b - 1] == _COLON)[0] + s.a).tolist():
        if v.tokens[k + 1] in _OPENERS:
            sp = subject_before(v, k, s.a, openers)
            if sp and noun_phrase(v, sp):
                return (sp, ":", (k, k + 1))
    return refer


_THAT = frozenset({"dass", "ob"})
_SUBORDINATORS = frozenset("Da Weil Nachdem Als Wenn Obwohl Während Sobald Falls Bevor Seit Seitdem".split())
_PREPOSITIONS = frozenset("an auf aus bei mit nach von vor zu in im am um über unter durch für gegen ohne seit "
                          "während wegen trotz zwischen neben hinter".split())


def _finite(w: str) -> bool:
    """A lower-case word that looks like a finite verb (hat, plant, beruft): its lemma is an infinitive."""
    if not w[:1].islower() or w in DETERMINERS or w in _PREPOSITIONS:
        return False
    lemma = lemma_table().get(w)
    return lemma is not None and lemma != w and lemma.endswith(("en", "ern", "eln", "sein", "tun"))


def complement(s: SentenceTokens, openers: frozenset[str]) -> Found | None:
    """A main clause before ', dass …' or ', ob …' (X geht davon aus, dass …; Beobachter schließen daraus,
    dass …; hat die IGDRB bekannt gegeben, dass …): its subject, which opens the clause (before its verb) or
    follows the verb, and the verb. Whether the subject may state a view is for the caller to decide."""
    v, t = s.v, s.v.tokens
    c = next((c for c in range(s.a + 1, s.b - 2) if t[c] == "," and t[c + 1] in _THAT and not s.quoted(c)), None)
    if c is None:
        return None
    x = c
    while x > s.a and t[x - 1] not in _CLAUSE_END:
        x -= 1
    while x < c and not is_word(v, x):
        x += 1
    return _main_subject(s, x, c, openers) if x < c else None


def _main_subject(s: SentenceTokens, x: int, c: int, openers: frozenset[str]) -> Found | None:
    """Subject and verb of the clause [x, c) before a complement clause."""
    v, t = s.v, s.v.tokens
    w = t[x]
    if w in _SUBORDINATORS:  # Da die Flugbegleiter es für sinnvoll hielten, …
        sp = np_after(v, x + 1, c)
        return (sp, t[sp[1]], (sp[1], sp[1] + 1)) if sp and sp[1] < c and t[sp[0]] not in _OBLIQUE else None
    if w[:1].islower() and w not in DETERMINERS:
        k = x  # the clause opens with its verb: plant die Bundesregierung, …
    elif w in openers or not (w in DETERMINERS or v.bits[x] & CAP):
        k = next((k for k in range(x + 1, c) if _finite(t[k])), c)  # Für Lübeck hat Ryanair ausgerechnet, …
    else:
        art = t[x].lower() in DETERMINERS  # Die NATO hat entschieden, dass …
        sp = first_np(v, x + 1, c) if art else first_np(v, x, c)
        if sp and sp[1] < c and t[sp[1]][:1].islower() and t[sp[1]] not in _RELATIVE:
            return ((x, sp[1]), t[sp[1]], (sp[1], sp[1] + 1))
        return None
    if k >= c:
        return None
    sp = np_after(v, k + 1, c)
    return (sp, t[k], (k, k + 1)) if sp and t[sp[0]] not in _OBLIQUE else None


def judged_by(s: SentenceTokens) -> Found | None:
    """'Für X ist …' opening a sentence with a view in it (Für den Minister ist die Lage „alarmierend“; Für den
    Theologen sei der Rücktritt verständlich): X holds the view."""
    t = s.v.tokens
    if s.b - s.a < 4 or t[s.a] != "Für":
        return None
    sp = np_after(s.v, s.a + 1, s.b)
    if sp is None or sp[1] >= s.b or t[sp[1]] not in _VIEW_VERBS:
        return None
    return (sp, "Für", (s.a, s.a + 1))
