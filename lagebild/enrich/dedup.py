"""Near-duplicate signatures: MinHash (64 permutations) over word 5-shingles, with LSH bands.

The warehouse stores the bands (16 bands x 4 rows) and compares candidate pairs;
`similarity` estimates the Jaccard similarity of two articles' shingle sets.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from lagebild.enrich.tokens import NOWORD, PUREWORD

if TYPE_CHECKING:
    from lagebild.enrich.tokens import TokenView

NUM_PERM = 64
SHINGLE = 5
ROWS = 4  # rows per band: 16 bands; pairs with Jaccard >= ~0.5 very likely share a band
_WORD = re.compile(r"\w+")
_RNG = np.random.default_rng(20221)
_A = _RNG.integers(1, 2**63, NUM_PERM, dtype=np.uint64) | np.uint64(1)  # odd multipliers
_B = _RNG.integers(0, 2**63, NUM_PERM, dtype=np.uint64)
_MULT = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
                  0x94D049BB133111EB], dtype=np.uint64)


def shingle_hashes(text: str, size: int = SHINGLE) -> np.ndarray:
    """Distinct 32-bit hashes of the lowercased word n-grams (one shingle when the text is shorter)."""
    return _shingles(np.array([zlib.crc32(w.encode()) for w in _WORD.findall(text.lower())], dtype=np.uint64), size)


def _shingles(words: np.ndarray, size: int = SHINGLE) -> np.ndarray:
    if len(words) == 0:
        return words
    size = min(size, len(words))
    n = len(words) - size + 1
    acc = np.zeros(n, dtype=np.uint64)
    for k in range(size):
        acc += words[k:k + n] * _MULT[k]
    return np.unique(acc >> np.uint64(32))


def _minhash(sh: np.ndarray) -> tuple[int, ...]:
    if len(sh) == 0:
        return ()
    hashed = (sh[None, :] * _A[:, None] + _B[:, None]) >> np.uint64(32)
    return tuple(hashed.min(axis=1).tolist())


def signature(text: str) -> tuple[int, ...]:
    """MinHash signature: NUM_PERM unsigned 32-bit minima of multiply-shift hashes (empty text -> ())."""
    return _minhash(shingle_hashes(text))


def signature_of_tokens(view: TokenView) -> tuple[int, ...]:
    """The same signature as `signature(view.text)`, from the word CRCs already known per token."""
    return _minhash(_shingles(token_words(view)))


def token_words(view: TokenView) -> np.ndarray:
    """CRC32s of the lowercased \\w+ words of the text, in order, mostly from per-token CRCs.

    Tokens made only of word characters are words unless glued to another such token; glued
    groups with mixed tokens (1.000, U.S., 10km) are split with the regex, as `signature` does.
    """
    codes, glued = view.codes, view.glued
    if len(codes) == 0:
        return np.zeros(0, dtype=np.uint64)
    pure, noword = (codes & PUREWORD) != 0, (codes & NOWORD) != 0
    pairs = pure[:-1] & pure[1:] & glued[:-1]
    bad = ~(pure | noword)
    bad[:-1] |= pairs
    bad[1:] |= pairs
    if not bad.any():
        return view.crcs[pure]
    group = np.cumsum(np.concatenate(([True], ~glued[:-1])))
    bad_groups = np.unique(group[bad]).tolist()
    return _with_regex_groups(view, group, bad_groups, pure)


def _with_regex_groups(view: TokenView, group: np.ndarray, bad_groups: list[int], pure: np.ndarray) -> np.ndarray:
    bounds = np.searchsorted(group, bad_groups, side="left").tolist()
    ends = np.searchsorted(group, bad_groups, side="right").tolist()
    parts, pos = [], 0
    for a, b in zip(bounds, ends, strict=True):
        parts.append(view.crcs[pos:a][pure[pos:a]])
        chunk = view.text[view.offsets[a]:view.end(b - 1)].lower()
        parts.append(np.array([zlib.crc32(w.encode()) for w in _WORD.findall(chunk)], dtype=np.uint64))
        pos = b
    parts.append(view.crcs[pos:][pure[pos:]])
    return np.concatenate(parts)


def bands(sig: Sequence[int], rows: int = ROWS) -> list[tuple[int, int]]:
    """(band index, 64-bit unsigned band hash) for LSH candidate search in SQL."""
    out = []
    for b in range(len(sig) // rows):
        chunk = np.asarray(sig[b * rows:(b + 1) * rows], dtype="<u8").tobytes()
        out.append((b, int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little")))
    return out


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of the two shingle sets (0.0 when either is empty)."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return float(np.mean(np.asarray(a) == np.asarray(b)))


PASSAGE_BAND = -1  # band index of passage keys in article_bands
_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")


def passage_bands(text: str, min_words: int = 8) -> list[tuple[int, int]]:
    """(PASSAGE_BAND, hash) per distinct sentence of >= min_words words, case and spacing ignored.

    Whole-text MinHash misses a paragraph shared by a short and a long article
    (Jaccard ~0.05 for seeds 000/004); shared passage keys find those partial overlaps.
    """
    keys: dict[int, None] = {}
    for part in _SENT_SPLIT.split(text):
        words = _WORD.findall(part.lower())
        if len(words) >= min_words:
            digest = hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest()
            keys[int.from_bytes(digest, "little")] = None
    return [(PASSAGE_BAND, k) for k in keys]


def jaccard(a_text: str, b_text: str) -> float:
    """Exact Jaccard similarity of the two shingle sets (to check the estimate)."""
    a, b = set(shingle_hashes(a_text).tolist()), set(shingle_hashes(b_text).tolist())
    return len(a & b) / len(a | b) if a | b else 0.0


def containment(a_text: str, b_text: str) -> float:
    """Share of a's passage keys also in b (exact, for tests and small comparisons)."""
    a, b = {k for _, k in passage_bands(a_text)}, {k for _, k in passage_bands(b_text)}
    return len(a & b) / len(a) if a else 0.0
