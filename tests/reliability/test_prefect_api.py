"""The Prefect API goes away under a running watcher and comes back: files wait, then load."""

from __future__ import annotations

import os
import signal
import socket
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from reliability.harness import article_text, doctor, failed_checks, start, wait_until

pytestmark = pytest.mark.slow


class Switch:
    """A TCP proxy to the real API on a fixed port; `off()` closes the port and every connection."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.conns: list[socket.socket] = []
        self.server: socket.socket | None = None

    def on(self) -> None:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(64)
        self.server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def off(self) -> None:
        if self.server:
            try:
                self.server.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            except OSError:
                pass
            self.server.close()
            self.server = None
        for conn in self.conns:
            conn.close()
        self.conns.clear()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.upstream)
            self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def waiting(data: Path) -> list[str]:
    return sorted(p.name for p in (data / "inbox").iterdir())


def test_api_unreachable_keeps_files_in_the_inbox_and_the_watcher_alive(tmp_path: Path, prefect_api: str):
    url = urlparse(prefect_api)
    switch = Switch((url.hostname or "127.0.0.1", url.port or 80))
    switch.on()
    data = tmp_path / "data"
    (data / "inbox").mkdir(parents=True)
    proxied = prefect_api.replace(f"{url.hostname}:{url.port}", f"127.0.0.1:{switch.port}")
    proc = start(data, "watch", "--settle", "0.2", "--rescan", "0.5", api_url=proxied)
    try:
        for i in range(2):
            (data / "inbox" / f"vorher-{i}.txt").write_text(article_text(3000 + i), encoding="utf-8")
        log = tmp_path / "watch.log"
        wait_until(lambda: "2 loaded" in log.read_text(encoding="utf-8", errors="replace"), 120, proc,
                   "the first flow run to finish")
        switch.off()
        for i in range(3):
            (data / "inbox" / f"waehrenddessen-{i}.txt").write_text(article_text(3100 + i), encoding="utf-8")
        wait_until(lambda: log.read_text(encoding="utf-8", errors="replace").count("files stay in the inbox") >= 2,
                   60, proc, "two failed attempts")
        assert proc.poll() is None, "the watcher died without its API"
        assert waiting(data) == [f"waehrenddessen-{i}.txt" for i in range(3)]
        switch.on()
        wait_until(lambda: not waiting(data), 120, proc, "the files after the API came back")
        code, report = doctor(data)
        assert code == 0, failed_checks(report)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
        switch.off()
