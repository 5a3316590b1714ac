"""Backfill throughput, side by side on one corpus: tokenizer, enrichment alone, `lagebild ingest` (1 and N workers)."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path
from typing import Any

from bench import corpus
from bench.util import lagebild_cmd, lagebild_env, run_timed, warehouse_bytes
from lagebild.article import Article


def load_articles(folder: Path) -> list[Article]:
    """The corpus files parsed exactly as the ingest flow parses them (not timed)."""
    from lagebild.parse import parse_file

    out: list[Article] = []
    for path in sorted(folder.glob("*.txt")):
        out.extend(parse_file(path.name, path.read_bytes()).articles)
    return out


def tokenize_rate(texts: list[str]) -> dict[str, float]:
    """(a) bare spacy.blank('de') tokenization."""
    import spacy

    nlp = spacy.blank("de")
    started, cpu = time.perf_counter(), time.process_time()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"seconds": seconds, "articles_per_s": len(texts) / seconds, "tokens_per_s": tokens / seconds,
            "tokens": tokens, "cpu_seconds": cpu}


def enrich_rate(articles: list) -> dict[str, float]:
    """(b) the project's enrichment alone: resources and pipeline set up, then enrich(); no I/O."""
    from lagebild.enrich import enrich, load_resources
    from lagebild.enrich.pipeline import clear_cache

    clear_cache()
    started, cpu0 = time.perf_counter(), time.process_time()
    res = load_resources()
    enrich(articles[:1], res)  # builds the spaCy pipeline
    setup, cpu1 = time.perf_counter() - started, time.process_time()
    started = time.perf_counter()
    results = enrich(articles, res)
    seconds, cpu2 = time.perf_counter() - started, time.process_time()
    mentions = sum(len(e.mentions) for e in results)
    return {"setup_seconds": setup, "seconds": seconds, "articles_per_s": len(articles) / seconds,
            "articles_per_s_with_setup": len(articles) / (seconds + setup),
            "mentions_per_article": mentions / max(1, len(articles)), "setup_cpu_seconds": cpu1 - cpu0,
            "cpu_seconds": cpu2 - cpu1}


def b_mean(runs: list[dict[str, float]], articles: int) -> dict[str, float]:
    """(b) as the mean of its runs (seconds and CPU seconds averaged, rates recomputed): the machine's
    drift between the run before (c) and the one after falls on both sides of (c) alike."""
    mean = {key: sum(r[key] for r in runs) / len(runs)
            for key in ("setup_seconds", "seconds", "setup_cpu_seconds", "cpu_seconds", "mentions_per_article")}
    return {**mean, "articles_per_s": articles / mean["seconds"],
            "articles_per_s_with_setup": articles / (mean["seconds"] + mean["setup_seconds"]), "runs": len(runs)}


def ingest_rate(source: Path, data_dir: Path, workers: int, size: int, log: Path) -> dict[str, Any]:
    """(c) `lagebild ingest SOURCE` into a fresh warehouse, whole process timed (start-up included)."""
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    env = lagebild_env(data_dir, LAGEBILD_ENRICH_WORKERS=str(workers))
    logged = log.stat().st_size if log.exists() else 0
    seconds, cpu = run_timed(lagebild_cmd("ingest", str(source), "--no-progress"), env, log, timeout=6 * 3600)
    stored = count_articles(data_dir / "lagebild.duckdb")
    with log.open("rb") as out:
        out.seek(logged)
        steps = step_seconds(out.read().decode("utf-8", "replace"))
    return {"workers": workers, "seconds": seconds, "articles_per_s": size / seconds, "articles_stored": stored,
            "cpu_seconds": cpu, "steps": steps,
            "warehouse_bytes": warehouse_bytes(data_dir)}


_STEP = re.compile(r"([a-z][a-z ]*?) ([0-9.]+) s")


def step_seconds(output: str) -> dict[str, float]:
    """Seconds by step from the `time: …` line that `lagebild ingest` prints last (flows/pipeline.time_split)."""
    lines = [line for line in output.splitlines() if line.startswith("time: ")]
    if not lines:
        return {}
    _, _, split = lines[-1].partition("; ")
    return {name.strip(): float(value) for name, value in _STEP.findall(split)}


ONESHOT_SEEDS = {"corpus-oneshot": 2, "corpus-oneshot-server": 3, "corpus-oneshot-up": 4,  # a new article each
                 "corpus-oneshot-up-warm": 5}


def oneshot(work: Path, data_dir: Path, seed: int, log: Path, name: str = "corpus-oneshot") -> dict[str, Any]:
    """`lagebild ingest` of one new article (corpus folder `name`) into an existing warehouse, against
    `python -c "import spacy, duckdb"` timed just before it; a Prefect server or `lagebild up` runs or not,
    as the caller set up."""
    import sys

    source = work / name
    if not source.exists():
        corpus.write(source, 1, seed + ONESHOT_SEEDS[name])
    baseline, _ = run_timed([sys.executable, "-c", "import spacy, duckdb"], lagebild_env(data_dir), log, timeout=600)
    seconds, cpu = run_timed(lagebild_cmd("ingest", str(source), "--no-progress"), lagebild_env(data_dir), log,
                             timeout=600)
    return {"seconds": seconds, "cpu_seconds": cpu, "import_seconds": baseline,
            "over_import": seconds / baseline}


def oneshot_with_server(work: Path, data_dir: Path, seed: int, log: Path) -> dict[str, Any]:
    """The same one-shot ingest while a Prefect server (the one `lagebild up` starts) runs for that data
    folder but no watcher does: the command runs its own flow run there, which is counted."""
    import os

    from cli.prefect_server import local_server
    from lagebild.settings import Settings

    settings = Settings.load(env=lagebild_env(data_dir, LAGEBILD_PREFECT_PORT=str(_free_port())))
    before = os.environ.get("PREFECT_API_URL")
    try:
        with local_server(settings) as server:
            runs = _flow_runs(server.url)
            out = oneshot(work, data_dir, seed, log, name="corpus-oneshot-server")
            out["flow_runs_recorded"] = _flow_runs(server.url) - runs
    finally:
        if before is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = before
    return out


def oneshot_with_up(work: Path, data_dir: Path, seed: int, log: Path) -> dict[str, Any]:
    """The same one-shot ingest while `lagebild up` (Prefect server, watcher, dashboard) runs on that data
    folder: the command hands its file to the watcher and waits for its outcome; the flow runs the watcher
    adds to the server are counted. One file goes first, untimed: a watcher's first flow run belongs to its
    start, which a running `lagebild up` has behind it."""
    import subprocess

    from bench.util import ROOT
    from cli.prefect_server import healthy
    from cli.processes import stop_group
    from lagebild.locking import watcher_running
    from lagebild.settings import Settings

    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = lagebild_env(data_dir)
    settings = Settings.load(env=env)
    with log.open("ab") as out_log:
        up = subprocess.Popen(lagebild_cmd("up", "--prefect-port", str(port), "--port", str(_free_port())), env=env,
                              stdout=out_log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while not (watcher_running(settings) and healthy(api)):
            if up.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"`lagebild up` did not start its watcher and server; see {log}")
            time.sleep(0.2)
        oneshot(work, data_dir, seed, log, name="corpus-oneshot-up-warm")  # the watcher's first flow run: its start
        runs = _flow_runs(api)
        out = oneshot(work, data_dir, seed, log, name="corpus-oneshot-up")
        out["flow_runs_recorded"] = _flow_runs(api) - runs
    finally:
        stop_group(up, 60)
    return out


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _flow_runs(api_url: str) -> int:
    """How many flow runs the server holds (the one-shot ingest must add its run there)."""
    import json
    import urllib.request

    request = urllib.request.Request(f"{api_url}/flow_runs/count", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(json.loads(response.read()))


def count_articles(path: Path) -> int:
    from warehouse.db import connect

    with connect(path, read_only=True, timeout=60) as con:
        row = con.execute("SELECT count(*) FROM articles").fetchone()
        return int(row[0]) if row else 0


def run(work: Path, size: int, seed: int, workers: int, log: Path, startup: bool = True) -> dict[str, Any]:
    """(a), (b), (c) on one corpus of `size` articles (+ the fixed cost of (c) when `startup`). (b) runs before
    and again after (c) with one process; the ratios use the mean of both runs (`b_mean`)."""
    source = work / f"corpus-{size}"
    if not source.exists():
        corpus.write(source, size, seed)
    articles = load_articles(source)
    texts = [a.body for a in articles]
    out: dict[str, Any] = {"size": size, "articles": len(articles)}
    out["a_tokenize"] = tokenize_rate(texts)
    b_runs = [enrich_rate(articles)]
    if startup:  # the fixed cost of (c): one article
        corpus.write(work / "corpus-1", 1, seed + 1)
        out["c_startup"] = ingest_rate(work / "corpus-1", work / "ingest-1", 1, 1, log)
    out["c_ingest_1"] = ingest_rate(source, work / f"ingest-{size}-w1", 1, size, log)
    if startup:  # one more article into the warehouse of (c): warm caches, an existing warehouse
        out["c_oneshot"] = oneshot(work, work / f"ingest-{size}-w1", seed, log)
        out["c_oneshot_server"] = oneshot_with_server(work, work / f"ingest-{size}-w1", seed, log)
        out["c_oneshot_up"] = oneshot_with_up(work, work / f"ingest-{size}-w1", seed, log)
    b_runs.append(enrich_rate(articles))  # (b) again: c1 lies between two runs of b
    if workers > 1:
        out[f"c_ingest_{workers}"] = ingest_rate(source, work / f"ingest-{size}-w{workers}", workers, size, log)
    out["b_enrich_runs"], out["b_enrich"] = b_runs, b_mean(b_runs, len(articles))
    a, b, c = (out["a_tokenize"]["articles_per_s"], out["b_enrich"]["articles_per_s_with_setup"],
               out["c_ingest_1"]["articles_per_s"])
    out["ratios"] = {"c_over_b": c / b, "b_over_a": b / a,
                     "c_over_b_steady": c / out["b_enrich"]["articles_per_s"],
                     "b_after_over_b_before": (b_runs[-1]["articles_per_s_with_setup"]
                                               / b_runs[0]["articles_per_s_with_setup"])}
    b_cpu = out["b_enrich"]["cpu_seconds"] + out["b_enrich"]["setup_cpu_seconds"]
    out["ratios"]["b_cpu_over_c_cpu"] = b_cpu / out["c_ingest_1"]["cpu_seconds"]
    if startup:
        out["ratios"].update(_steady_ratios(out, size))
    if workers > 1:
        out["ratios"][f"c{workers}_over_c1"] = out[f"c_ingest_{workers}"]["articles_per_s"] / c
    return out


def _steady_ratios(out: dict[str, Any], size: int) -> dict[str, float]:
    """c against b with the fixed start-up cost of c (one-article ingest) and the set-up of b taken out."""
    c1, first, b = out["c_ingest_1"], out["c_startup"], out["b_enrich"]
    ratios = {}
    if c1["seconds"] > first["seconds"]:
        ratios["c_over_b_both_steady"] = size / (c1["seconds"] - first["seconds"]) / b["articles_per_s"]
    if c1["cpu_seconds"] > first["cpu_seconds"]:
        ratios["b_cpu_over_c_cpu_steady"] = b["cpu_seconds"] / (c1["cpu_seconds"] - first["cpu_seconds"])
    return ratios
