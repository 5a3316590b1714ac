"""The local Prefect server that `lagebild up` and `lagebild watch` run (API and UI), and how other
commands find it.

`lagebild up`, and `lagebild watch` when no server runs yet, start `prefect server start` as a child
with its SQLite database in the Prefect home under the data folder, and write a state file there with
the server's URL and PID. Every other command reads that file: while the server runs they report to
it, otherwise Prefect falls back to its ephemeral mode. A state file whose process is gone is removed.

A child server keeps Prefect's server code out of the long-running process: the ephemeral mode
imports it there (~70 MB resident), a child does not.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cli.processes import stop_group, stop_orphan_group
from lagebild.files import atomic_write
from lagebild.settings import Settings

STATE_NAME = "lagebild-server.json"
HOST = "127.0.0.1"
START_TIMEOUT = 120.0


class ServerError(RuntimeError):
    """The local Prefect server could not be started."""


@dataclass(frozen=True)
class ServerState:
    url: str  # the API, e.g. http://127.0.0.1:4200/api
    pid: int

    @property
    def ui(self) -> str:
        return self.url.removesuffix("/api")


def state_path(settings: Settings) -> Path:
    return Path(settings.prefect_home) / STATE_NAME


def healthy(api_url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(api_url + "/health", timeout=timeout) as r:  # noqa: S310 - local http URL
            return r.status == 200
    except (OSError, ValueError):
        return False


def _alive(pid: int) -> bool:
    """Whether `pid` is a live Prefect server process (a reused PID of another program is not)."""
    if not _pid_exists(pid):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # no /proc: trust the PID
    return not cmdline or b"prefect\x00server\x00start" in cmdline  # empty: the server is exiting


def _pid_exists(pid: int) -> bool:
    """Whether a process (not a zombie) has this PID."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _proc_state(pid) != b"Z"


def _proc_state(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return b"?"


def running_server(settings: Settings) -> ServerState | None:
    """The server `lagebild up` or `lagebild watch` runs for this data folder, if it runs; a stale state
    file is removed, a server whose command was killed is stopped."""
    path = state_path(settings)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        state = ServerState(str(raw["url"]), int(raw["pid"]))
        owner = int(raw.get("owner") or 0)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        path.unlink(missing_ok=True)
        return None
    if not _alive(state.pid):
        path.unlink(missing_ok=True)
        return None
    if owner and not _pid_exists(owner):  # its command was killed; the server is going down with it
        stop_orphan_group(state.pid)
        path.unlink(missing_ok=True)
        return None
    return state if healthy(state.url) else None


def use_running_server(settings: Settings) -> str | None:
    """Point this process's Prefect client at the running local server; None: ephemeral mode.

    A PREFECT_API_URL set by the user (a shared server, docker-compose) always wins.
    """
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    state = running_server(settings)
    if state is None:
        return None
    os.environ["PREFECT_API_URL"] = state.url
    return state.url


def server_env(settings: Settings) -> dict[str, str]:
    """The server's environment: Prefect home in the data folder, its UI pointed at its own API."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(settings.prefect_env())
    env.update(PREFECT_SERVER_API_HOST=HOST, PREFECT_SERVER_API_PORT=str(settings.prefect_port),
               PREFECT_UI_API_URL=f"http://{HOST}:{settings.prefect_port}/api")
    env["PREFECT_LOGGING_LEVEL"] = "WARNING"
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    return env


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when `lagebild up` dies, even by SIGKILL (Linux)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port(preferred: int) -> int:
    """`preferred` if nothing listens on it at HOST, else a port the system picks."""
    for port in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind((HOST, port))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise ServerError(f"no free port on {HOST} for the Prefect server")


@contextmanager
def local_server(settings: Settings) -> Iterator[ServerState]:
    """Run `prefect server start` for the life of the block (or reuse the one already running).

    It listens on `settings.prefect_port`, or on a free port when another program holds that one
    (or takes it while this server starts).
    """
    existing = running_server(settings)
    if existing is not None:
        os.environ.setdefault("PREFECT_API_URL", existing.url)
        yield existing
        return
    home = Path(settings.prefect_home)
    home.mkdir(parents=True, exist_ok=True)
    proc, state = _start(settings, home)
    try:
        atomic_write(state_path(settings), json.dumps({"url": state.url, "pid": proc.pid, "owner": os.getpid()}))
        os.environ["PREFECT_API_URL"] = state.url
        yield state
    finally:
        state_path(settings).unlink(missing_ok=True)
        stop_group(proc)


def _start(settings: Settings, home: Path, attempts: int = 3) -> tuple[subprocess.Popen[bytes], ServerState]:
    """Start the server and wait until it answers on its own port."""
    wanted = settings.prefect_port
    for attempt in range(attempts):
        port = free_port(wanted if attempt == 0 else 0)
        if port != wanted:
            print(f"port {wanted} is taken: the Prefect server listens on {HOST}:{port} instead", flush=True)
        env = server_env(settings.with_(prefect_port=port))
        command = [sys.executable, "-m", "prefect", "server", "start", "--host", HOST, "--port", str(port)]
        with (home / "server.log").open("ab") as log:
            proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True, preexec_fn=_die_with_parent)
        state = ServerState(f"http://{HOST}:{port}/api", proc.pid)
        _wait_healthy(proc, state.url, home / "server.log")
        if _listens(proc.pid, port):
            return proc, state
        stop_group(proc)  # another server took the port first and answered in its place
    raise ServerError(f"the Prefect server found no free port on {HOST} after {attempts} attempts")


def _listens(pid: int, port: int) -> bool:
    """Whether process `pid` or one of its children listens on `port`."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return False
    for proc in procs:
        try:
            if any(c.laddr and c.laddr.port == port and c.status == psutil.CONN_LISTEN
                   for c in proc.net_connections(kind="tcp")):
                return True
        except psutil.Error:
            continue
    return False


def _wait_healthy(proc: subprocess.Popen[bytes], api_url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not healthy(api_url, timeout=1.0):
        if proc.poll() is not None or time.monotonic() > deadline:
            tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
            stop_group(proc)
            raise ServerError(f"the Prefect server did not start at {api_url} (log {log}):\n{tail}")
        time.sleep(0.3)
