"""Error analysis of quote speakers on half A (tuning) of Wikinews quotes.jsonl.

`python -m eval.quote_errors [--rebuild] [--show CATEGORY] [--half A]`: enriches the half once (cached in
/tmp: tokens, sentences and mentions, which the quote rules do not change), then runs only the quote step
on the cache, scores it like eval/quotes.py and sorts every miss and false positive into a category:

misses (gold quotes with a speaker span, no prediction overlapping quote and speaker):
  no quote       no predicted quote overlaps the gold quote
  no speaker     a predicted quote overlaps, without a speaker
  pronoun        the gold speaker is a pronoun (er, sie …) and the predicted speaker is elsewhere
  role noun      the gold speaker is a noun phrase without a mention (der Minister, die Polizei)
  wrong speaker  the gold speaker names an actor and the prediction chose another span
false positives (predicted quotes with a speaker, overlapping no gold quote + speaker):
  spurious       the predicted quote overlaps no gold quote at all
  wrong speaker  it overlaps a gold quote, but its speaker span does not overlap the gold speaker's
Half B is never analysed here (--half B only prints totals, for the final report).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from eval.quotes import CORPUS, _overlap, _span, half, load, parsed_articles
from lagebild.enrich import core, load_resources
from lagebild.enrich.quotes import find_quotes
from lagebild.enrich.themes import theme_index
from lagebild.enrich.tokens import TokenView, lex_table

CACHE = Path("/tmp/lagebild_quote_errors_{}.pkl")
_PRONOUNS = frozenset("er sie Er Sie ich Ich wir Wir man Man ihm ihr ihrer seiner".split())


def build(which: str) -> list[dict]:
    """Enrich every article of the half, keeping what find_quotes reads."""
    files = sorted(p.name for p in (CORPUS / "articles").glob("*.txt") if half(p.name) == which)
    arts, maps = parsed_articles(files)
    seen: list[tuple] = []
    real = core.find_quotes

    def capture(v, sentences, mentions):
        seen.append((v.text, list(v.tokens), list(v.offsets), v.orth.copy(), v.glued.copy(), v.crcs.copy(),
                     tuple(sentences), tuple(mentions)))
        return real(v, sentences, mentions)

    core.find_quotes = capture
    try:
        core.enrich(arts, load_resources())
    finally:
        core.find_quotes = real
    return [{"file": f, "omap": m, "doc": d} for f, m, d in zip(files, maps, seen, strict=True)]


def views(docs: list[dict]):
    res = load_resources()
    table = lex_table(res, theme_index(res.theme_list))
    for d in docs:
        text, tokens, offsets, orth, glued, crcs, sentences, mentions = d["doc"]
        codes, _ = table.lookup(orth, offsets, [len(t) for t in tokens], text) if len(tokens) else (
            np.zeros(0, dtype=np.int64), None)
        yield d, TokenView(text, tokens, offsets, orth, codes, codes.tolist(), glued, crcs), sentences, mentions


def analyse(docs: list[dict], show: str | None = None, limit: int = 40) -> None:
    gold = load()
    cats: Counter[str] = Counter()
    tp_p = n_pred = tp_r = n_gold = 0
    examples: dict[str, list[str]] = defaultdict(list)
    t0 = time.process_time()
    runs = []
    for d, v, sentences, mentions in views(docs):
        runs.append((d, v, find_quotes(v, sentences, mentions), mentions))
    cpu = time.process_time() - t0
    for d, v, quotes, mentions in runs:
        text, omap = v.text, d["omap"]
        golds = [(_span(q["quote"]["spans"], omap), _span(q["speaker"]["spans"], omap), q) for q in gold[d["file"]]]
        preds = [q for q in quotes if q.speaker_start is not None]
        pairs = [((q.start_char, q.end_char), (q.speaker_start, q.speaker_end), q) for q in preds]
        for gq, gs, g in golds:
            n_gold += 1
            if any(_overlap(gq, pq) and _overlap(gs, ps) for pq, ps, _ in pairs):
                tp_r += 1
                continue
            over = [q for q in quotes if _overlap(gq, (q.start_char, q.end_char))]
            gtext = text[gs[0]:gs[1]] if gs else ""
            has_m = gs and any(m.start_char < gs[1] and gs[0] < m.end_char for m in mentions)
            if not over:
                c = "miss: no quote"
            elif all(q.speaker_start is None for q in over):
                c = "miss: no speaker"
            elif gtext.split()[:1] and gtext.split()[0] in _PRONOUNS and len(gtext.split()) == 1:
                c = "miss: pronoun"
            elif not has_m:
                c = "miss: role noun"
            else:
                c = "miss: wrong speaker"
            c += f" [{g['type']}]"
            cats[c] += 1
            pq = over[0] if over else None
            examples[c].append(f"{d['file']} gold={gtext!r} cue={(g.get('cue') or {}).get('text')!r} "
                               f"pred={(pq.speaker_text, pq.cue) if pq else None} | "
                               f"{text[max(0, gq[0] - 80):gq[0]]!r} [[{text[gq[0]:gq[1]][:150]!r}]]")
        for pq, ps, q in pairs:
            n_pred += 1
            if any(_overlap(gq, pq) and _overlap(gs, ps) for gq, gs, _ in golds):
                tp_p += 1
                continue
            og = [(gq, gs, g) for gq, gs, g in golds if _overlap(gq, pq)]
            c = "fp: spurious" if not og else "fp: wrong speaker"
            c += f" [{q.kind}]"
            cats[c] += 1
            gtxt = text[og[0][1][0]:og[0][1][1]] if og else None
            examples[c].append(f"{d['file']} pred={q.speaker_text!r} cue={q.cue!r} gold={gtxt!r} | "
                               f"{text[q.start_char:q.end_char][:200]!r}")
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"speakers P {p:.3f} R {r:.3f} F1 {f1:.3f}  (pred {n_pred}, gold {n_gold}); quote step CPU {cpu:.2f} s")
    for c, n in cats.most_common():
        print(f"  {n:4d}  {c}")
    if show:
        for c in sorted(examples):
            if show in c:
                print(f"\n== {c}")
                for e in examples[c][:limit]:
                    print("  " + e)


def main(argv: list[str]) -> None:
    from eval.cli import parse

    def options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--half", choices=("A", "B"), default="A",
                       help="A (tuning, default) or B (held out: totals only, no error is shown)")
        p.add_argument("--rebuild", action="store_true", help="enrich the half again instead of using the cache")
        p.add_argument("--show", metavar="CATEGORY", help="list the errors of this category (half A only)")

    args = parse("python -m eval.quote_errors", __doc__, argv, options)
    path = Path(str(CACHE).format(args.half))
    if args.rebuild or not path.exists():
        path.write_bytes(pickle.dumps(build(args.half)))
    docs = pickle.loads(path.read_bytes())  # noqa: S301 - our own cache file
    analyse(docs, args.show if args.half == "A" else None)


if __name__ == "__main__":
    main(sys.argv[1:])
