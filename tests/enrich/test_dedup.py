from pathlib import Path

from lagebild.enrich.dedup import bands, containment, passage_bands, signature, similarity
from lagebild.parse import parse_text_article

SEEDS = Path(__file__).parents[2] / "seeds"


def _body(name: str) -> str:
    path = next(SEEDS.glob(f"{name}_*.txt"))
    return parse_text_article(path.name, path.read_text(encoding="utf-8")).body


def test_signature_shape_and_determinism():
    sig = signature(_body("000"))
    assert len(sig) == 64 and all(0 <= v < 2**32 for v in sig)
    assert sig == signature(_body("000"))
    assert signature("") == ()


def test_bands_fit_ubigint():
    bs = bands(signature(_body("001")))
    assert [b for b, _ in bs] == list(range(16))
    assert all(0 <= h < 2**64 for _, h in bs)


def test_near_identical_texts_share_bands():
    a = _body("002")
    b = a.replace("Mittwoch", "Dienstag", 1)
    assert similarity(signature(a), signature(b)) > 0.8
    assert set(bands(signature(a))) & set(bands(signature(b)))


def test_seeds_000_and_004_share_paragraphs():
    a, b, other = _body("000"), _body("004"), _body("001")
    assert containment(a, b) > 0.1
    assert {h for _, h in passage_bands(a)} & {h for _, h in passage_bands(b)}
    assert containment(a, other) == 0.0
    assert similarity(signature(a), signature(other)) < 0.1


def test_signature_from_tokens_equals_signature_of_text(run):
    from lagebild.enrich import dedup

    body = "Titel\n\n10km U.S. z.B. 1.000 foo_bar ΟΔΟΣ. İstanbul  x\n\n Nato-Chef geht's 3,5 % — „Zitat“."
    assert run(body).minhash == dedup.signature(body)


def test_passage_fingerprints_are_the_sampled_blake2b_hashes_of_the_casefolded_word_8grams():
    import hashlib
    import re

    from lagebild.enrich import passages

    def reference(text: str) -> tuple[int, ...]:
        words = re.findall(r"\w+", text.casefold())
        values = {int.from_bytes(hashlib.blake2b(" ".join(words[i:i + 8]).encode(), digest_size=8).digest(), "big") >> 1
                  for i in range(len(words) - 7)}
        return tuple(sorted(v for v in values if v % passages.SAMPLE == 0))

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += ["Die Straße in İstanbul: ÄRGER über „Maß“ und ﬁnanzen " * 20, "zu kurz für acht Wörter", ""]
    assert all(passages.fingerprints(t) == reference(t) for t in texts)
    assert sum(len(passages.fingerprints(t)) for t in texts) > 50
