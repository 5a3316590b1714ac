"""bench/report.py and the run loop of bench/__main__.py: BENCHMARKS.md is generated, partial runs say so."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest

from bench import report
from bench.__main__ import Stopped, section
from helpers import ROOT


def test_benchmarks_md_is_exactly_what_report_renders_from_results_json():
    results = json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))
    rendered = report.render(results)
    assert (ROOT / "BENCHMARKS.md").read_text(encoding="utf-8") == rendered, (
        "BENCHMARKS.md differs from bench/results.json: run `python -m bench.report bench/results.json`")


def _results() -> dict[str, Any]:
    return json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))


def test_the_throughput_section_shows_where_each_ingest_spent_its_time():
    """The split that `lagebild ingest` prints (flows/pipeline.time_split) is read back by the bench and rendered."""
    from bench.throughput import step_seconds
    from flows import pipeline

    saved = pipeline.STEP_SECONDS.copy()
    try:
        pipeline.STEP_SECONDS.clear()
        pipeline.STEP_SECONDS.update({"enrich": 253.14, "load": 51.2, "parse": 2.1, "move files": 0.01})
        printed = f"10 files: …\ntime: 311.0 s; {pipeline.time_split(311.0)}\n"
    finally:
        pipeline.STEP_SECONDS.clear()
        pipeline.STEP_SECONDS.update(saved)
    steps = step_seconds(printed)
    assert steps == {"enrich": 253.1, "load": 51.2, "parse": 2.1, "other": 4.6}
    results = _results()
    results["throughput"]["c_ingest_1"]["steps"] = steps
    assert ("Where (c) with 1 enrichment process(es) spent its wall time, as `lagebild ingest` reports it (the "
            "flow's steps in its own process; enrich includes the model's set-up): enrich 253.1 s, load 51.2 s, "
            "parse 2.1 s, other 4.6 s.") in report.render(results)


def test_enrichment_alone_is_the_mean_of_its_runs_before_and_after_the_ingest():
    """(b) runs on both sides of (c1); c/b divides by the mean, and the report names both runs."""
    from bench.throughput import b_mean

    before = {"setup_seconds": 5.0, "seconds": 220.0, "setup_cpu_seconds": 5.5, "cpu_seconds": 219.0,
              "mentions_per_article": 21.0, "articles_per_s": 50.0, "articles_per_s_with_setup": 11000 / 225}
    after = {**before, "seconds": 240.0, "cpu_seconds": 239.0}
    mean = b_mean([before, after], 11000)
    assert mean["seconds"] == 230.0 and mean["cpu_seconds"] == 229.0 and mean["runs"] == 2
    assert mean["articles_per_s_with_setup"] == 11000 / 235
    results = _results()
    results["throughput"].update(b_enrich=mean, b_enrich_runs=[before, after])
    assert "the mean of its run before (c) and its run after (c1): 225.0 s and 245.0 s" in report.render(results)


def test_a_failing_section_is_recorded_and_marks_the_run_partial():
    results = _results()
    saved: list[dict[str, Any]] = []

    def boom() -> dict[str, Any]:
        raise RuntimeError("disk full")

    section(results, "latency", boom, lambda: saved.append(json.loads(json.dumps(results, default=str))))
    assert results["latency"]["error"] == "RuntimeError: disk full"
    assert results["partial"] == ["the latency section failed: RuntimeError: disk full"]
    assert saved and saved[-1]["partial"] == results["partial"]
    text = report.render(results)
    assert "> **Partial run.** the latency section failed: RuntimeError: disk full." in text
    assert text.index("Partial run") < text.index("## ")


@pytest.mark.parametrize("stop", [KeyboardInterrupt(), Stopped("SIGTERM")])
def test_a_stopped_section_saves_what_it_has_with_the_reason_then_stops(stop: KeyboardInterrupt):
    results = _results()
    saved: list[dict[str, Any]] = []

    def interrupted() -> dict[str, Any]:
        raise stop

    with pytest.raises(KeyboardInterrupt):
        section(results, "growth", interrupted, lambda: saved.append(json.loads(json.dumps(results, default=str))))
    how = "SIGTERM" if isinstance(stop, Stopped) else "Ctrl-C (KeyboardInterrupt)"
    assert saved[-1]["growth"]["error"] == f"stopped by {how}"
    [reason] = saved[-1]["partial"]
    assert reason.startswith(f"stopped by {how} during the growth section") and "did not run" in reason
    assert "**Partial run.** stopped by" in report.render(saved[-1])
    assert "throughput" in saved[-1]  # what was measured before stays


def test_a_sigterm_that_a_library_swallowed_still_stops_the_section():
    """Streamlit's AppTest (the dashboard section) runs the page in the main thread and catches what the
    page raises, the handler's KeyboardInterrupt included: the section must stop all the same."""
    import time

    from bench.__main__ import _requested, _stop_on_sigterm

    results = _results()
    saved: list[dict[str, Any]] = []

    def swallowing() -> dict[str, Any]:
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)
        except KeyboardInterrupt:
            pass  # what AppTest does with an exception of the page it runs
        return {"ms": 1}

    previous = signal.getsignal(signal.SIGTERM)
    _stop_on_sigterm()
    try:
        with pytest.raises(Stopped):
            section(results, "dashboard", swallowing, lambda: saved.append(json.loads(json.dumps(results))))
    finally:
        signal.signal(signal.SIGTERM, previous)
        _requested.clear()  # this process's later runs are not stopped
    assert saved[-1]["dashboard"]["error"] == "stopped by SIGTERM"
    assert saved[-1]["partial"][-1].startswith("stopped by SIGTERM during the dashboard section")


def test_sigterm_stops_a_bench_run_with_partial_results(tmp_path: Path):
    import subprocess
    import sys
    import time

    results, markdown = tmp_path / "results.json", tmp_path / "BENCHMARKS.md"
    proc = subprocess.Popen([sys.executable, "-m", "bench", "--quick", "--only", "dashboard", "--workdir",
                             str(tmp_path / "work"), "--results", str(results), "--markdown", str(markdown)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "[bench] dashboard" in line:
            break
    time.sleep(1.0)
    os.kill(proc.pid, signal.SIGTERM)
    out = proc.stdout.read()
    assert proc.wait(60) == 130, out[-2000:]
    data = json.loads(results.read_text(encoding="utf-8"))
    assert data["dashboard"]["error"] == "stopped by SIGTERM"
    assert data["partial"][0].startswith("stopped by SIGTERM during the dashboard section")
    assert markdown.read_text(encoding="utf-8") == report.render(data)
    assert "**Partial run.**" in markdown.read_text(encoding="utf-8")


def test_reusing_the_results_file_that_the_run_writes_keeps_the_sections_not_run(tmp_path: Path,
                                                                                   monkeypatch: pytest.MonkeyPatch):
    """`make bench BENCH_ARGS="--only throughput --reuse bench/results.json"`: the run saves after each
    section into the very file it reuses, so the earlier sections must be read before the first save."""
    import bench.__main__ as bench_main

    results_file = tmp_path / "results.json"
    earlier = {**_results(), "date": "2026-01-01T00:00:00", "commit": "abc",
               "latency": {"singles": {"p50": 1.5}}, "throughput": {"old": True}}
    results_file.write_text(json.dumps(earlier))

    def only_throughput(args: Any, work: Path, log: Path, results: dict[str, Any], save: Any) -> None:
        section(results, "throughput", lambda: {"new": True}, save)

    monkeypatch.setattr(bench_main, "_run_sections", only_throughput)
    assert bench_main.main(["--only", "throughput", "--reuse", str(results_file), "--results", str(results_file),
                            "--markdown", "-", "--workdir", str(tmp_path / "work")]) == 0
    written = json.loads(results_file.read_text())
    assert written["throughput"]["new"] is True
    assert written["latency"]["singles"] == {"p50": 1.5}
    assert written["latency"]["from_run"].startswith("2026-01-01T00:00:00 (commit abc")


def test_several_reused_files_give_each_section_from_the_first_that_holds_it_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A stopped run keeps its finished sections; the next run takes them from there and the rest from an
    older file, never a section that failed or was stopped."""
    import bench.__main__ as bench_main

    stopped = {**_results(), "date": "2026-02-02T00:00:00", "commit": "new",
               "latency": {"singles": {"p50": 0.9}}, "growth": {"error": "stopped by SIGTERM"}}
    older = {**_results(), "date": "2026-01-01T00:00:00", "commit": "old",
             "latency": {"singles": {"p50": 1.5}}, "growth": {"runs": []}, "search": {"sizes": []}}
    (tmp_path / "stopped.json").write_text(json.dumps(stopped))
    (tmp_path / "older.json").write_text(json.dumps(older))

    def only_throughput(args: Any, work: Path, log: Path, results: dict[str, Any], save: Any) -> None:
        section(results, "throughput", lambda: {"new": True}, save)

    monkeypatch.setattr(bench_main, "_run_sections", only_throughput)
    out = tmp_path / "results.json"
    assert bench_main.main(["--only", "throughput", "--reuse", str(tmp_path / "stopped.json"), "--reuse",
                            str(tmp_path / "older.json"), "--results", str(out), "--markdown", "-",
                            "--workdir", str(tmp_path / "work")]) == 0
    written = json.loads(out.read_text())
    assert written["throughput"]["new"] is True
    assert written["latency"]["singles"] == {"p50": 0.9} and written["latency"]["from_run"].startswith("2026-02-02")
    assert written["growth"]["runs"] == [] and written["growth"]["from_run"].startswith("2026-01-01")
    assert written["search"]["from_run"].startswith("2026-01-01")


def test_a_stopped_growth_run_keeps_the_sizes_it_finished_and_the_sections_it_reused(tmp_path: Path,
                                                                                      monkeypatch: pytest.MonkeyPatch):
    """A backfill of 100k stopped after the 10k one finished: results.json and BENCHMARKS.md hold the 10k
    backfill (marked stopped) and the sections asked for from the earlier results file."""
    import bench.__main__ as bench_main

    earlier_file = tmp_path / "earlier.json"
    earlier_file.write_text(json.dumps({**_results(), "date": "2026-01-01T00:00:00", "commit": "abc"}))
    finished = {"size": 10_000, "workers": 1, "seconds": 400.0, "articles_per_s": 25.0,
                "steady_articles_per_s": 26.0, "articles_stored": 10_000, "peak_rss_bytes": 900 * 2**20,
                "server_peak_rss_bytes": 250 * 2**20, "warehouse_bytes": 120 * 2**20,
                "bytes_per_1000_articles": 12 * 2**20}

    def backfills(work: Path, sizes: list[int], seed: int, log: Path, workers: int = 1,
                  done: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        assert done is not None
        done.append(finished)
        raise Stopped("SIGTERM")  # during the 100k backfill

    monkeypatch.setattr(bench_main.growth, "run", backfills)
    results_file, markdown = tmp_path / "results.json", tmp_path / "BENCHMARKS.md"
    assert bench_main.main(["--only", "growth", "--sizes", "10000,100000", "--reuse", str(earlier_file),
                            "--results", str(results_file), "--markdown", str(markdown),
                            "--workdir", str(tmp_path / "work")]) == 130
    written = json.loads(results_file.read_text())
    assert written["growth"]["error"] == "stopped by SIGTERM"
    assert written["growth"]["runs"] == [finished]
    assert written["latency"]["single"] == _results()["latency"]["single"]  # reused, though the run was stopped
    text = markdown.read_text(encoding="utf-8")
    assert text == report.render(written)
    assert "stopped by SIGTERM: the sizes it finished" in text and "| 10,000 |" in text


def _backfill(size: int, curve: list[list[int]]) -> dict[str, Any]:
    mib = 2**20
    return {"size": size, "seconds": 1.0, "articles_per_s": 1.0, "steady_articles_per_s": 1.0,
            "peak_rss_bytes": max(b for _, b in curve) * mib, "server_peak_rss_bytes": 250 * mib,
            "warehouse_bytes": 1, "bytes_per_1000_articles": 1, "rss_curve": [[n, b * mib] for n, b in curve]}


@pytest.mark.parametrize(("curve", "flat", "within_1gib"), [
    ([[10_000, 830], [20_000, 845], [50_000, 880], [100_000, 900]], "met", "met"),
    ([[10_000, 830], [40_000, 1_000], [80_000, 930], [100_000, 950]], "**missed**", "met"),  # a spike mid-way
    ([[10_000, 1_030], [60_000, 1_050], [100_000, 1_060]], "met", "**missed**"),  # flat, but too high
])
def test_the_growth_section_says_whether_the_peak_rss_stays_flat_from_10k_and_under_1_gib(curve, flat, within_1gib):
    """The peak RSS of every tenth after the one at 10k articles is compared with it (rising or spiking shows),
    and the largest backfill's peak with the 1 GiB target."""
    text = "\n".join(report.growth_lines({"runs": [_backfill(100_000, curve)]}))
    assert f"(target ≤ {report.FLAT_PERCENT} %: {flat})" in text
    assert f"(target ≤ 1,024 MB: {within_1gib})" in text
    top = max(b for _, b in curve[1:])
    assert f"the highest of the later tenths: {top:,} MB" in text
    # a backfill too small to reach past 10k articles says nothing about flatness
    assert "Flat from 10k" not in "\n".join(report.growth_lines({"runs": [_backfill(10_000, [[5_000, 800],
                                                                                            [10_000, 810]])]}))


def test_a_large_growth_run_added_to_the_report_keeps_the_origin_of_its_growth_section(tmp_path: Path):
    """`python -m bench.report results.json --add-large other.json`: the growth section of `other` is shown
    with the run that measured it, also when `other` had itself reused it from an earlier run."""
    main, other = _results(), _results()
    other["growth"] = {**other["growth"], "from_run": "2026-01-01T00:00:00 (commit 0123456789ab, the run that grew)"}
    other.pop("corpus", None)
    (tmp_path / "main.json").write_text(json.dumps(main), encoding="utf-8")
    (tmp_path / "other.json").write_text(json.dumps(other), encoding="utf-8")
    assert report.main([str(tmp_path / "main.json"), "--add-large", str(tmp_path / "other.json"),
                        "--markdown", str(tmp_path / "B.md")]) == 0
    added = json.loads((tmp_path / "main.json").read_text(encoding="utf-8"))["growth_large"]
    assert added["from_run"].endswith("the run that grew)")
    fresh = _results()
    fresh["growth"].pop("from_run", None)
    (tmp_path / "other.json").write_text(json.dumps({**fresh, "corpus": "X"}), encoding="utf-8")
    report.main([str(tmp_path / "main.json"), "--add-large", str(tmp_path / "other.json"),
                 "--markdown", str(tmp_path / "B.md")])
    origin = json.loads((tmp_path / "main.json").read_text(encoding="utf-8"))["growth_large"]["from_run"]
    assert f"commit {fresh['commit'][:12]}" in origin and origin.endswith("corpus: X)")
    assert "## Backfill with the watcher at large size" in (tmp_path / "B.md").read_text(encoding="utf-8")


def test_the_readers_bench_reads_the_commit_times_the_watcher_logs():
    from bench.readers import _COMMIT
    from flows.commit import COMMITTED_LOG

    log = "\n".join(COMMITTED_LOG % ("run-1", files, took) for files, took in ((100, 0.52), (37, 1.4)))
    assert [float(x) for x in _COMMIT.findall(log)] == [0.52, 1.4]


def _timed(**p95: float) -> dict[str, Any]:
    return {**{name: {"n": 10, "p50": ms / 2, "p95": ms, "max": ms} for name, ms in p95.items()},
            "load_average": [1.0, 1.1, 1.2]}


def test_the_dashboard_section_judges_each_query_its_growth_and_each_pages_first_chart():
    """p95 on the kept connection against 100 ms (search 200 ms), growth from the smallest size against 2× for
    the summary-backed queries only, and the first chart per page against 1.5 s."""
    small = _timed(top_actors=20, cooccurrence=30, article_detail=10, search=50)
    large = _timed(top_actors=35, cooccurrence=90, article_detail=80, search=150)
    sizes = [{"articles": 100_000, "generate_s": 1.0, "built": None, "fts_index_s": 1.0, "kept_open_ms": small,
              "queries_ms": small},
             {"articles": 1_000_000, "generate_s": 1.0, "built": None, "fts_index_s": 1.0, "kept_open_ms": large,
              "queries_ms": _timed(top_actors=40, cooccurrence=400, article_detail=300, search=160)}]
    page = {"cold_s": 2.0, "failed": 0, "warm_over_floor_s": 0.8}
    browser = {"visits": 5, "load_average": {"min": 1.0, "max": 2.0, "mean": 1.5}, "floor": {"warm_s": {"p50": 0.8}},
               "pages": {"lage": {**page, "warm_s": {"p50": 1.4, "max": 1.6}},
                         "themes": {**page, "warm_s": {"p50": 1.7, "max": 1.9}}}}
    text = "\n".join(report.dashboard_lines({"repeat": 10, "sizes": sizes, "pages_ms": {}, "browser": browser}))
    rows = {line.split(" | ")[0].strip("| "): line for line in text.splitlines() if line.startswith("| ")}
    assert rows["top_actors"].endswith("| 20 | 35 | met | 1.8× met | 40 |")
    assert rows["cooccurrence"].endswith("| 30 | 90 | met | 3.0× **missed** | 400 |")
    assert rows["article_detail"].endswith("| 10 | 80 | met | 8.0× raw rows | 300 |")
    assert rows["search"].endswith("| 50 | 150 | met | 3.0× raw rows | 160 |")
    assert "4 of 4 queries within their target" in text
    assert rows["lage"].endswith("| 0 | met |") and rows["themes"].endswith("| 0 | **missed** |")


def test_the_readers_section_judges_the_watchers_rss_and_the_first_chart_during_the_ingest():
    probes = {"n": 10, "p50": 0.2, "p95": 0.3, "max": 0.4}
    run = {"idle_s": probes, "during_ingest_s": probes, "load_average": {"min": 1, "max": 2, "mean": 1.5},
           "articles_dropped": 3000, "articles_before": 1_000_000, "failures": 0,
           "search_during_ingest_s": {"p95": 0.05, "max": 0.1}, "commit_s": probes, "indexed_after_commit_s": probes,
           "watcher_peak_rss_bytes": 1100 * 2**20,
           "browser_first_chart": {"page": "actors", "idle_s": {"p50": 1.2, "p95": 1.3}, "failed": 0,
                                   "during_ingest_s": {"n": 12, "p50": 1.6, "p95": 1.9, "max": 2.4}}}
    text = "\n".join(report.readers_lines(run))
    assert "| watcher peak RSS, with its worker processes (≤ 1,024 MB) | 1,100 MB **missed** |" in text
    assert "watcher's own process" not in text  # a run from before it was sampled apart
    text = "\n".join(report.readers_lines({**run, "watcher_own_peak_rss_bytes": 480 * 2**20}))
    assert "| of which the watcher's own process, peak | 480 MB |" in text
    assert "(12 visits, 0 failed; p95 ≤ 2 s) | 1.60 / 1.90 / 2.40 s met |" in text


def report_sections() -> set[str]:
    return {"throughput", "latency", "dashboard", "growth", "growth_large", "search", "readers", "readers_browser"}


def test_the_readers_run_with_a_browser_on_the_same_cores_is_reported_beside_the_one_without():
    """`--readers-browser` adds a second readers run; the report shows both, the second named as such."""
    probes = {"n": 10, "p50": 0.2, "p95": 0.3, "max": 0.4}
    run = {"idle_s": probes, "during_ingest_s": probes, "load_average": {"min": 1, "max": 2, "mean": 1.5},
           "articles_dropped": 1000, "articles_before": 100_000, "failures": 0,
           "search_during_ingest_s": {"p95": 0.05, "max": 0.1}, "commit_s": probes, "indexed_after_commit_s": probes,
           "watcher_peak_rss_bytes": 900 * 2**20}
    crowded = {**run, "during_ingest_s": {"n": 10, "p50": 1.5, "p95": 2.8, "max": 3.1},
               "browser_first_chart": {"page": "actors", "idle_s": {"p50": 3.0, "p95": 3.3}, "failed": 0,
                                       "during_ingest_s": {"n": 40, "p50": 4.7, "p95": 5.9, "max": 6.1}}}
    results = {key: value for key, value in _results().items() if key not in report_sections()}
    text = report.render({**results, "readers": run, "readers_browser": crowded})
    titles = [line for line in text.splitlines() if line.startswith("## Readers")]
    assert titles == ["## Readers while the watcher writes (1,000 articles dropped into a warehouse of 100,000)",
                      "## Readers while the watcher writes (1,000 articles dropped into a warehouse of 100,000), "
                      "with Chromium on the same cores"]
    first, second = text.split(titles[1])
    assert "| p95 ≤ idle + 1 s and max ≤ idle + 2 s | met |" in first
    assert "Chromium, idle" not in first.split(titles[0])[1]
    assert "**missed**" in second and "(40 visits, 0 failed; p95 ≤ 2 s)" in second
