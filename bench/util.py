"""Shared helpers of the benchmarks: subprocess runs of `lagebild`, percentiles, RSS sampling, machine facts."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lagebild_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """Environment of a `lagebild` subprocess whose data (and Prefect home) live in `data_dir`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LAGEBILD_", "PREFECT_"))}
    env.update(LAGEBILD_DATA_DIR=str(data_dir), PREFECT_HOME=str(data_dir / "prefect"),
               PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_LOGGING_LEVEL="WARNING",
               PYTHONPATH=str(ROOT))
    env.update(extra)
    return env


def lagebild_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "cli", *args]


def percentiles(values: Sequence[float]) -> dict[str, float]:
    """p50, p95 and max (nearest rank) of the values, rounded to 1 ms when they are seconds."""
    if not values:
        return {"n": 0}
    ordered = sorted(values)
    rank = lambda q: ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]  # noqa: E731
    return {"n": len(ordered), "p50": rank(0.50), "p95": rank(0.95), "max": ordered[-1]}


def rss_now(peak: bool = False) -> int:
    """This process's resident memory in bytes (with `peak`: the highest since peak_rss_reset(); Linux, else 0)."""
    key = "VmHWM:" if peak else "VmRSS:"
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next((int(line.split()[1]) * 1024 for line in status if line.startswith(key)), 0)
    except OSError:
        return 0


def peak_rss_reset() -> None:
    """Start a new peak for rss_now(peak=True) (Linux: /proc/self/clear_refs; elsewhere nothing)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        pass


@dataclass
class RssSampler:
    """Samples the resident memory of a process and its children (summed) in a thread."""

    pid: int
    interval: float = 0.25
    peak: int = 0  # the process and its children, Prefect's server left out
    peak_server: int = 0  # the Prefect server it started (its own, or Prefect's ephemeral one) alone
    peak_own: int = 0  # the process alone, without its children
    window_peak: int = 0  # like `peak`, since the last call of take_window_peak()
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> RssSampler:
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def _loop(self) -> None:
        import psutil

        try:
            proc = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            try:
                own = proc.memory_info().rss
                total, server = own, 0
                for child in proc.children(recursive=True):
                    try:
                        if _is_prefect_server(child.cmdline()):
                            server += child.memory_info().rss
                        else:
                            total += child.memory_info().rss
                    except psutil.Error:
                        continue
            except psutil.Error:
                return
            self.peak = max(self.peak, total)
            self.peak_own = max(self.peak_own, own)
            self.window_peak = max(self.window_peak, total)
            self.peak_server = max(self.peak_server, server)
            self._stop.wait(self.interval)

    def take_window_peak(self) -> int:
        """The peak since the previous call (0 when nothing was sampled in between), and start a new window."""
        peak, self.window_peak = self.window_peak, 0
        return peak

    def stop(self) -> int:
        self._stop.set()
        if self._thread:
            self._thread.join(5)
        return self.peak


def warehouse_bytes(data_dir: Path) -> int:
    """Size of the DuckDB file plus its write-ahead log."""
    base = data_dir / "lagebild.duckdb"
    return sum(p.stat().st_size for p in (base, base.with_name(base.name + ".wal")) if p.exists())


def commit_id() -> str:
    """The checked-out commit, read from .git without running git."""
    git = ROOT / ".git"
    try:
        if git.is_file():  # a linked work tree: .git names its own folder, which names the shared one
            git = (ROOT / git.read_text().split(":", 1)[1].strip()).resolve()
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        if (git / "commondir").exists():
            git = (git / (git / "commondir").read_text().strip()).resolve()
        ref = head[5:]
        if (git / ref).exists():
            return (git / ref).read_text().strip()
        for line in (git / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split()[0]
    except OSError:
        pass
    return "unknown"


def machine() -> dict[str, object]:
    """CPU, cores, memory, OS and Python of this machine, plus its load when the run started."""
    import psutil

    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "load_at_start": [round(x, 2) for x in os.getloadavg()]}


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process so far."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_timed(cmd: list[str], env: dict[str, str], log: Path, timeout: float) -> tuple[float, float]:
    """Run `cmd` to completion, output to `log`; (wall seconds, CPU seconds of it and its children)."""
    cpu = children_cpu()
    started = time.perf_counter()
    with log.open("ab") as out:
        code = subprocess.call(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, timeout=timeout)
    if code != 0:
        raise RuntimeError(f"{' '.join(cmd[2:4])} failed with status {code}; see {log}")
    return time.perf_counter() - started, children_cpu() - cpu


def _is_prefect_server(cmdline: list[str]) -> bool:
    """Prefect's ephemeral server (uvicorn on prefect.server…) or `prefect server start` and its children."""
    line = " ".join(cmdline)
    return "prefect.server" in line or "prefect server start" in line
