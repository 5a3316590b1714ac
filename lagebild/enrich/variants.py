"""Surface variants of registry names: German inflection and spelling variants."""

from __future__ import annotations

ADJ_ENDINGS = ("", "e", "en", "er", "es", "em")


def genitive(word: str) -> list[str]:
    """Genitive forms of a proper name: Stoltenbergs, Russlands, Moskaus; Paris' for s-endings."""
    if not word or not word[-1].isalpha():
        return []
    if word[-1] in "sxzß":
        return [word + "'"]
    if word.isupper():  # NATO -> NATOs (rare but seen)
        return [word + "s"]
    return [word + "s"]


def case_variants(text: str) -> list[str]:
    """NATO -> Nato (acronyms of 4+ letters), dpa -> DPA (short lowercase acronyms)."""
    out = [text]
    words = text.split()
    if any(len(w) >= 4 and w.isalpha() and w.isupper() for w in words):
        out.append(" ".join(w.capitalize() if len(w) >= 4 and w.isupper() else w for w in words))
    if len(words) == 1 and text.isalpha() and text.islower() and len(text) <= 4:
        out.append(text.upper())
    return out


def adjective_head_variants(text: str) -> list[str]:
    """Weißes Haus -> Weiße Haus, Weißen Haus; Europäische Union -> Europäischen Union."""
    first, _, rest = text.partition(" ")
    if not rest or not first[:1].isupper():
        return [text]
    for ending in ("es", "en", "er", "em", "e"):
        if first.endswith(ending) and len(first) > len(ending) + 3 and first[:-len(ending)][-1:].isalpha():
            stem = first[: -len(ending)]
            return [text] + [f"{stem}{e} {rest}" for e in ("e", "en", "er", "es", "em") if e != ending]
    return [text]


def name_variants(alias: str) -> list[str]:
    """An alias with its case variants and genitive of the last word."""
    out: list[str] = []
    for v in (c for a in adjective_head_variants(alias) for c in case_variants(a)):
        out.append(v)
        head, _, last = v.rpartition(" ")
        for g in genitive(last):
            out.append(f"{head} {g}" if head else g)
    return list(dict.fromkeys(out))


def adjective_forms(stem: str) -> list[str]:
    """russisch -> russisch, russische, russischen, ... and the capitalised forms."""
    stem = stem.strip().lower()
    forms = [stem + e for e in ADJ_ENDINGS]
    return forms + [f[:1].upper() + f[1:] for f in forms]


def demonym_forms(demonym: str) -> list[str]:
    """Russe -> Russe, Russen; Russin -> Russin, Russinnen; Ukrainer -> Ukrainer, Ukrainern."""
    d = demonym.strip()
    if d.endswith("in"):
        return [d, d + "nen"]
    if d.endswith("e"):
        return [d, d + "n"]
    if d.endswith("er"):
        return [d, d + "n", d + "s"]
    return [d, d + "s"]


def surname(name: str) -> str | None:
    """The last word of a multi-word person name, or None for one-word names."""
    parts = name.split()
    return parts[-1] if len(parts) >= 2 else None
