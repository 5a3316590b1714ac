"""bench/: the corpus generator, and a 100-article smoke run of `python -m bench` writing JSON and Markdown."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from helpers import ROOT, SHARED

pytestmark = pytest.mark.skipif(not (SHARED / "corpora" / "gnad10k").exists(), reason="shared corpora missing")


def test_corpus_is_deterministic_dated_and_parses(tmp_path: Path):
    from bench import corpus
    from lagebild.parse import parse_file

    first = list(corpus.articles(50, seed=3))
    assert first == list(corpus.articles(50, seed=3))
    assert first[:10] == list(corpus.articles(10, seed=3))  # a small corpus is a prefix of a larger one
    assert first != list(corpus.articles(50, seed=4))
    parsed = [parse_file(name, text.encode()) for name, text in first]
    assert all(p.ok and len(p.articles) == 1 for p in parsed)
    days = [p.articles[0].published_date for p in parsed]
    assert all(date(2024, 1, 1) <= d <= date(2025, 12, 31) for d in days)
    assert len({p.articles[0].article_id for p in parsed}) == 50
    files = corpus.write(tmp_path / "inbox", 5, seed=3)
    assert [f.name for f in files] == [f"artikel-{i:06d}.txt" for i in range(5)]
    assert not list((tmp_path / "inbox").glob(".*"))


def test_corpus_articles_share_passages_about_as_rarely_as_a_news_stream():
    """Re-used source paragraphs are varied: with them verbatim, 90 % of the first 1,000 articles shared three
    or more passage fingerprints (the product's, lagebild/enrich/passages.py) with another; the real sources
    share almost none. What is left: the syndicated copies and re-used passages, and a few chance links."""
    from collections import defaultdict

    from bench import corpus
    from lagebild.enrich import passages
    from lagebild.parse import parse_text_article

    arts = [parse_text_article(name, text) for name, text in corpus.articles(1000)]
    holders: dict[int, set[str]] = defaultdict(set)
    for a in arts:
        for h in passages.fingerprints(a.body):
            holders[h].add(a.article_id)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for ids in holders.values():
        ordered = sorted(ids)
        for i, one in enumerate(ordered):
            for other in ordered[i + 1:]:
                shared[(one, other)] += 1
    linked = {x for pair, n in shared.items() if n >= 3 for x in pair}
    copies = sum(1 for n in shared.values() if n >= 10)
    assert copies >= 0.02 * len(arts)  # syndicated copies and long re-used passages are there
    assert len(linked) < 0.3 * len(arts)


@pytest.mark.slow
def test_quick_throughput_run_writes_results_and_markdown(tmp_path: Path):
    results, markdown = tmp_path / "results.json", tmp_path / "BENCHMARKS.md"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--only", "throughput", "--workers", "1",
         "--workdir", str(tmp_path / "work"), "--results", str(results), "--markdown", str(markdown)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(results.read_text())
    t = data["throughput"]
    assert "error" not in t, t
    assert t["c_ingest_1"]["articles_stored"] == t["articles"] == 100
    assert t["a_tokenize"]["articles_per_s"] > t["b_enrich"]["articles_per_s"] > 0
    assert set(t["ratios"]) >= {"c_over_b", "b_over_a"}
    text = markdown.read_text()
    assert "Backfill throughput (100 articles" in text and data["commit"] in text


@pytest.mark.slow
def test_latency_run_without_a_burst_reports_the_single_files(tmp_path: Path):
    """`--only latency` with no burst (e.g. a quick look at single files) used to fail on the empty burst."""
    from bench import latency

    out = latency.run(tmp_path / "data", tmp_path / "bench.log", singles=2, burst=0, first_index=0, seed=3)
    assert out["burst_files"] == 0 and out["burst_loaded_s"] == 0.0
    assert len(out["single"]) and out["single"]["p50"] > 0 and out["watcher_peak_rss_bytes"] > 0


@pytest.mark.slow
def test_a_growth_backfill_keeps_the_peak_rss_of_each_tenth(tmp_path: Path):
    """Whether the watcher's memory is flat shows within one backfill: the peak of each tenth is kept."""
    from bench import growth, report

    out = growth.backfill(tmp_path / "work", 40, seed=3, log=tmp_path / "bench.log", LAGEBILD_BATCH_SIZE="8")
    assert out["articles_stored"] == 40, (tmp_path / "bench.log").read_text()[-2000:]
    done = [n for n, _ in out["rss_curve"]]
    assert done == sorted(done) and done[-1] == 40 and 2 <= len(done) <= growth.CURVE_POINTS + 1
    assert max(b for _, b in out["rss_curve"]) == out["peak_rss_bytes"] > 0
    highest = max(out["rss_curve"], key=lambda point: point[1])
    text = "\n".join(report.growth_lines({"runs": [out]}))
    assert "in each tenth of a backfill" in text and f"{highest[0]:,} → {highest[1] / 2**20:,.0f}" in text
