"""The bench's memory sampler (bench/util.py RssSampler) on real processes: a parent and its child."""

from __future__ import annotations

import subprocess
import sys
import time

PARENT = """
import subprocess, sys, time
held = bytearray(60 * 2**20)  # touched: resident
child = subprocess.Popen([sys.executable, "-c",
                          "import time; held = bytearray(150 * 2**20); print('ready', flush=True); time.sleep(30)"],
                         stdout=subprocess.PIPE)
child.stdout.readline()
print("ready", flush=True)
time.sleep(30)
"""


def test_the_sampler_keeps_the_peak_of_the_process_alone_and_with_its_children():
    from bench.util import RssSampler

    proc = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, start_new_session=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
        sampler = RssSampler(proc.pid, interval=0.05).start()
        time.sleep(0.5)
        sampler.stop()
    finally:
        import os
        import signal

        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    mib = 2**20
    assert 60 * mib < sampler.peak_own < 150 * mib
    assert sampler.peak > sampler.peak_own + 150 * mib  # the child's bytearray is counted in the sum only
