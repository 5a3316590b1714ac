"""What the running stack must do, checked from outside the containers."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

from deploy.e2e.shell import DeployFailure, run, wait_for
from deploy.e2e.stack import Stack

INGEST_FLOW = "lagebild-ingest"
INBOX_FILES = "find /data/inbox -type f -not -path '*/.*' | wc -l"


def sql(stack: Stack, service: str, query: str) -> list[dict[str, object]]:
    """`lagebild sql --format json` inside a container."""
    rows: list[dict[str, object]] = json.loads(stack.exec(service, "lagebild", "sql", "--format", "json", query))
    return rows


def count(stack: Stack, service: str, query: str) -> int:
    return int(str(sql(stack, service, query)[0]["n"]))


def http(url: str, body: dict[str, object] | None = None, timeout: float = 10) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read()


def flow_runs(api: str, states: tuple[str, ...]) -> list[dict[str, object]]:
    """Runs of the ingest flow in the given state types, from the Prefect server's REST API."""
    body = {"flows": {"name": {"any_": [INGEST_FLOW]}},
            "flow_runs": {"state": {"type": {"any_": list(states)}}}}
    runs: list[dict[str, object]] = json.loads(http(f"{api}/flow_runs/filter", body)[1])
    return runs


def seed_files(seeds: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(seeds.glob("*.txt"))}


def numbered_articles(seeds: Path, n: int) -> dict[str, bytes]:
    """`n` distinct articles: the seed texts, each with its own title suffix and closing sentence."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    files = {}
    for i in range(n):
        head, _, body = texts[i % len(texts)].partition("\n")
        files[f"article_{i:04d}.txt"] = f"{head} ({i})\n{body.rstrip()}\n\nMeldung Nummer {i} dieser Reihe.\n".encode()
    return files


def seeds_queryable(stack: Stack, seeds: Path, timeout: float = 120) -> str:
    """Drop the seed files into the inbox volume; they must be queryable in the watcher container."""
    files = seed_files(seeds)
    stack.drop("watcher", "seeds", files)
    took = wait_for("the seed articles in `lagebild sql`",
                    lambda: count(stack, "watcher", "SELECT count(*) AS n FROM articles") == len(files), timeout, 0.2)
    return f"{len(files)} seed files dropped, {len(files)} articles in `lagebild sql` (watcher) after {took:.1f} s"


def flow_runs_in_prefect(api: str) -> str:
    wait_for(f"a completed {INGEST_FLOW} run in {api}", lambda: bool(flow_runs(api, ("COMPLETED",))), 30)
    runs = flow_runs(api, ("COMPLETED",))
    names = ", ".join(sorted(str(r["name"]) for r in runs))
    status, page = http(api.removesuffix("/api") + "/")
    if status != 200 or b"<html" not in page.lower():
        raise DeployFailure(f"the Prefect UI at {api.removesuffix('/api')}/ gave {status}")
    return f"{len(runs)} completed {INGEST_FLOW} flow run(s) in {api}: {names}; the UI answers"


def dashboard_answers(url: str) -> str:
    status, page = http(url + "/")
    health_status, health = http(url + "/_stcore/health")
    if status != 200 or b"<html" not in page.lower() or health_status != 200 or health.strip() != b"ok":
        raise DeployFailure(f"dashboard at {url}: / gave {status}, /_stcore/health gave {health_status} {health!r}")
    return f"{url}/ answers 200 with the Streamlit page, /_stcore/health says ok"


def kill_mid_ingest(stack: Stack, api: str, seeds: Path, n: int, before: int) -> str:
    """SIGKILL the watcher while a batch runs, restart it: every file loaded once, none lost."""
    known = {r["id"] for r in flow_runs(api, ("COMPLETED", "RUNNING", "FAILED", "CRASHED"))}
    stack.drop("dashboard", "burst", numbered_articles(seeds, n))
    wait_for("the burst's flow run to be RUNNING",
             lambda: any(r["id"] not in known for r in flow_runs(api, ("RUNNING",))), 120, 0.2)
    time.sleep(1.0)  # well inside enrichment
    watcher = stack.container("watcher")
    run(["docker", "kill", "--signal", "KILL", watcher])
    waiting = int(stack.exec("dashboard", "sh", "-c", INBOX_FILES))
    loaded = count(stack, "dashboard", "SELECT count(*) AS n FROM articles")
    if waiting == 0:
        raise DeployFailure(f"the batch of {n} finished before the kill; run with more --articles")
    run(["docker", "start", watcher])
    total = before + n
    took = wait_for("the inbox to empty after the restart",
                    lambda: int(stack.exec("dashboard", "sh", "-c", INBOX_FILES)) == 0, 600, 1)
    wait_for(f"{total} articles", lambda: count(stack, "watcher", "SELECT count(*) AS n FROM articles") >= total, 60, 1)
    return (f"killed with {waiting} of {n} files still in the inbox and {loaded - before} of them loaded; after the "
            f"restart the inbox emptied in {took:.0f} s, and " + nothing_lost_or_twice(stack, total))


def nothing_lost_or_twice(stack: Stack, total: int) -> str:
    rows = sql(stack, "watcher", """
        SELECT (SELECT count(*) FROM articles) AS articles,
               (SELECT count(DISTINCT article_id) FROM articles) AS distinct_articles,
               (SELECT count(*) FROM ingest_log) AS log_rows,
               (SELECT count(DISTINCT file) FROM ingest_log) AS log_files,
               (SELECT count(*) FROM ingest_log WHERE status = 'loaded') AS loaded""")[0]
    archived = int(stack.exec("watcher", "sh", "-c", "find /data/archive -type f | wc -l"))
    expected = {"articles": total, "distinct_articles": total, "log_rows": total, "log_files": total,
                "loaded": total}
    if {k: int(str(v)) for k, v in rows.items()} != expected or archived != total:
        raise DeployFailure(f"after the restart: {rows}, {archived} archived files; expected {total} of each")
    doctor = stack.exec("watcher", "lagebild", "doctor", "--json", check=False, timeout=300)
    report = json.loads(doctor)
    if not report.get("ok", False):
        raise DeployFailure(f"lagebild doctor after the restart:\n{doctor[-3000:]}")
    return f"{total} articles, {total} distinct, {total} ingest_log rows, {total} archived files; doctor ok"
