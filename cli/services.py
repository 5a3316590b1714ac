"""The long-running services: `lagebild dashboard` (Streamlit) and `lagebild up` (Prefect server, watcher,
dashboard). A child process never outlives the command that started it: SIGTERM and Ctrl-C stop it too."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

from cli.commands import UserError, _copy_in, _log_to_stderr, _prepare, run_watcher, stop_on_sigterm, warehouse_of
from lagebild.settings import Settings

CHILD_STOP_SECONDS = 10.0


STREAMLIT_OPTIONS = [
    "--server.headless", "true", "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal",
    # No watching of source files: a served dashboard does not reload its code, and Streamlit's watcher walks
    # every imported module on the event loop after each script run. No full garbage collection after each
    # run either (~90 ms a run here; the RSS after 30 page visits is the same).
    "--server.fileWatcherType", "none", "--server.runOnSave", "false", "--runner.postScriptGC", "false",
]


def streamlit_command(app: Path, port: int, address: str) -> list[str]:
    """`streamlit run APP` as the dashboard is served (bench/browser.py serves its floor page so too)."""
    return [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
            "--server.address", address, *STREAMLIT_OPTIONS]


def dashboard_command(settings: Settings, port: int, address: str) -> list[str]:
    return streamlit_command(Path(__file__).resolve().parent.parent / "dashboard" / "app.py", port, address)


def dashboard_env(settings: Settings) -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.update({"LAGEBILD_DATA_DIR": str(settings.data_dir.resolve()), "LAGEBILD_INBOX": str(settings.inbox.resolve()),
                "LAGEBILD_WAREHOUSE": str(Path(settings.warehouse).resolve())
                if not str(settings.warehouse).startswith("ducklake:") else settings.warehouse})
    return env


def cmd_dashboard(settings: Settings, args: argparse.Namespace) -> int:
    settings.ensure_folders()
    warehouse_of(settings).initialise()
    print(f"dashboard: http://{args.address}:{args.port}", flush=True)
    child = subprocess.Popen(dashboard_command(settings, args.port, args.address), env=dashboard_env(settings))
    stop = stop_on_sigterm()
    try:
        while child.poll() is None and not stop.wait(0.2):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        stop_child(child)
    return child.returncode if child.returncode and child.returncode > 0 else 0


def stop_child(child: subprocess.Popen[bytes]) -> None:
    """Terminate a child process and wait for it (kill it if it does not stop in time)."""
    if child.poll() is None:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(CHILD_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def cmd_up(settings: Settings, args: argparse.Namespace) -> int:
    _prepare(settings)
    _log_to_stderr()
    seeded = _seed_if_empty(settings, Path(args.seeds))
    if seeded:
        print(f"warehouse empty: dropped {seeded} seed articles into {settings.inbox}", flush=True)
    if os.environ.get("PREFECT_API_URL"):
        print(f"prefect: {os.environ['PREFECT_API_URL']}", flush=True)
        return _run_up(settings, args)
    from cli.prefect_server import ServerError, local_server  # here: the other commands start faster

    try:
        with local_server(settings) as server:
            print(f"prefect: {server.ui} (flow runs: {server.ui}/runs)", flush=True)
            return _run_up(settings, args)
    except ServerError as exc:
        raise UserError(str(exc)) from None


def _run_up(settings: Settings, args: argparse.Namespace) -> int:
    """The dashboard as a child process and the watcher in this one, until Ctrl-C or SIGTERM."""
    dash = subprocess.Popen(dashboard_command(settings, args.port, args.address), env=dashboard_env(settings),
                            stdout=subprocess.DEVNULL)
    print(f"dashboard: http://{args.address}:{args.port}\nwatching {settings.inbox.resolve()} (Ctrl-C stops both)",
          flush=True)
    stop = stop_on_sigterm()
    try:
        run_watcher(settings, stop)
    except KeyboardInterrupt:
        pass
    finally:
        stop_child(dash)
    return 0


def _seed_if_empty(settings: Settings, seeds: Path) -> int:
    from warehouse import status as wh_status  # pandas: not imported by every command

    if wh_status.article_count(settings.warehouse) > 0 or not seeds.is_dir():
        return 0
    count = 0
    for file in sorted(seeds.glob("*.txt")):
        _copy_in(file, settings.inbox / file.name)
        count += 1
    return count
