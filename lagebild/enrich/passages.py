"""Shared passages between texts: sampled fingerprints of word 8-grams (containment, not Jaccard).

Syndicated stories often share a paragraph or two inside otherwise different texts; MinHash over
whole texts misses that. Every word 8-gram is hashed and those whose hash is 0 modulo SAMPLE are
kept, so two texts that share a passage of about SAMPLE + GRAM words share fingerprints.
"""

from __future__ import annotations

import hashlib
import re

GRAM = 8
SAMPLE = 8  # keep about one fingerprint in SAMPLE
_WORD = re.compile(r"\w+")


def fingerprints(text: str) -> tuple[int, ...]:
    """Sorted unique 63-bit fingerprints of the sampled word 8-grams of `text`."""
    words = [w.encode() for w in _WORD.findall(text.casefold())]
    found = set()
    blake2b, mask = hashlib.blake2b, (SAMPLE - 1) << 1  # value % SAMPLE == 0, read on the last byte (SAMPLE: 2**k)
    for i in range(len(words) - GRAM + 1):
        digest = blake2b(b" ".join(words[i : i + GRAM]), digest_size=8).digest()
        if not digest[7] & mask:
            found.add(int.from_bytes(digest, "big") >> 1)
    return tuple(sorted(found))


def containment(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Share of the smaller fingerprint set found in the other (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(set(a) & set(b)) / min(len(a), len(b))
