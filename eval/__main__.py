"""`python -m eval`: seed actors, GermEval 2014 dev NER, Wikinews quote speakers (add --speed for throughput)."""

from __future__ import annotations

from datetime import date

from eval import germeval, quotes, seeds, stories
from lagebild.enrich import load_resources


def main(argv: list[str]) -> None:
    res = load_resources()
    print(f"Lagebild enrichment evaluation, {date.today().isoformat()}, enrich_version {res.enrich_version}")
    print("All figures are on development sets. GermEval: halves by sentence index parity (the linking rules"
          " were tuned on the errors of A), but the NER model was chosen on the whole dev file, so B is not held"
          " out either. Wikinews quotes: halves by SHA-1 of the file name (A = tuning, B = held out). Stories:"
          " thresholds chosen on the seeds and Wikinews 2005, Wikinews 2006 held out (eval/STORIES.md).")
    for module in (seeds, germeval, quotes, stories):
        for name, score in module.evaluate(res).items():
            print(score.line(name))
    if "--speed" in argv:
        from eval import speed

        speed.main()


if __name__ == "__main__":
    from eval.cli import parse

    args = parse("python -m eval", __doc__, options=lambda p: p.add_argument(
        "--speed", action="store_true", help="also measure enrichment throughput (eval/speed.py, a few minutes)"))
    main(["--speed"] if args.speed else [])
