"""Near-duplicate signatures: MinHash (64 permutations) over word 5-shingles, with LSH bands.

The warehouse stores the bands (16 bands x 4 rows) and compares candidate pairs;
`similarity` estimates the Jaccard similarity of two articles' shingle sets.
"""

from __future__ import annotations

import hashlib
import re
from typing import Sequence

import numpy as np
from datasketch import MinHash

NUM_PERM = 64
SHINGLE = 5
ROWS = 4  # rows per band: 16 bands; pairs with Jaccard >= ~0.5 very likely share a band
SEED = 1
_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """Lowercased word n-grams (the whole text as one shingle when it is shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + size]).encode() for i in range(len(words) - size + 1)}


def signature(text: str) -> tuple[int, ...]:
    """MinHash signature of `text`: NUM_PERM unsigned 32-bit values (empty text -> ())."""
    sh = shingles(text)
    if not sh:
        return ()
    mh = MinHash(num_perm=NUM_PERM, seed=SEED)
    mh.update_batch(list(sh))
    return tuple(int(v) for v in mh.hashvalues)


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


def containment(a_text: str, b_text: str) -> float:
    """Share of a's passage keys also in b (exact, for tests and small comparisons)."""
    a, b = {k for _, k in passage_bands(a_text)}, {k for _, k in passage_bands(b_text)}
    return len(a & b) / len(a) if a else 0.0
