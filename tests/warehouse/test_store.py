"""warehouse/store.py: the Warehouse object — transactions across connections, failed runs, reprocessing rows."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from wh_helpers import batch_of

from warehouse import Warehouse
from warehouse.data_checks import DataCheckFailed
from warehouse.load import RunRow


def test_an_error_inside_a_transaction_leaves_nothing_for_the_next_connection(warehouse: Warehouse):
    with pytest.raises(RuntimeError, match="stop"), warehouse.transaction() as con:
        con.execute("INSERT INTO themes VALUES ('t', 'T')")
        raise RuntimeError("stop")
    with warehouse.connect(read_only=True) as con:
        assert con.execute("SELECT count(*) FROM themes").fetchone() == (0,)


def test_a_failed_run_keeps_the_counts_it_committed(warehouse, seed_articles, seed_enrichments, seed_themes):
    warehouse.commit_batch(batch_of("run-1", seed_articles[:2], seed_enrichments[:2], seed_themes))
    warehouse.record_failed_run(RunRow("run-1", None, datetime(2026, 1, 1), "failed", message="boom"))
    warehouse.record_failed_run(RunRow("run-2", None, datetime(2026, 1, 1), "failed", message="early"))
    with warehouse.connect(read_only=True) as con:
        assert con.execute("SELECT run_id, status, loaded, message FROM ingest_runs ORDER BY run_id").fetchall() == [
            ("run-1", "failed", 2, "boom"), ("run-2", "failed", 0, "early")]


def test_replacing_enrichments_swaps_the_rows_and_stamps_the_version(warehouse, seed_articles, seed_enrichments,
                                                                     seed_themes):
    warehouse.commit_batch(batch_of("run-1", seed_articles, seed_enrichments, seed_themes))
    assert warehouse.outdated_ids("v-next") == sorted(a.article_id for a in seed_articles)
    first = seed_enrichments[0]
    fewer = dataclasses.replace(first, mentions=first.mentions[:1], enrich_version="v-next")
    warehouse.replace_enrichments([fewer], seed_themes)
    assert warehouse.outdated_ids("v-next") == sorted(a.article_id for a in seed_articles[1:])
    with warehouse.connect(read_only=True) as con:
        assert con.execute("SELECT count(*) FROM mentions WHERE article_id = ?", [first.article_id]).fetchone() == (1,)
        assert con.execute("SELECT sum(mentions) FROM article_day").fetchone()[0] == 1 + sum(
            len(e.mentions) for e in seed_enrichments[1:])
    assert [a.article_id for a in warehouse.load_articles([first.article_id])] == [first.article_id]
    assert warehouse.count_articles() == 5


def test_replacing_enrichments_with_bad_rows_changes_nothing(warehouse, seed_articles, seed_enrichments,
                                                             seed_themes):
    warehouse.commit_batch(batch_of("run-1", seed_articles, seed_enrichments, seed_themes))
    first = seed_enrichments[0]
    bad = dataclasses.replace(first, themes=(dataclasses.replace(first.themes[0], theme_id="erfunden"),))
    with pytest.raises(DataCheckFailed, match="known themes"):
        warehouse.replace_enrichments([bad], seed_themes)
    with warehouse.connect(read_only=True) as con:
        assert con.execute("SELECT count(*) FROM mentions WHERE article_id = ?", [first.article_id]).fetchone() == (
            len(first.mentions),)


READ_COUNT = ("import sys; from warehouse.db import connect\n"
              "with connect(sys.argv[1], read_only=True, timeout=float(sys.argv[2])) as con:\n"
              "    print(con.execute('SELECT count(*) FROM articles').fetchone()[0])")


def read_in_other_process(warehouse: Warehouse, timeout: float) -> subprocess.CompletedProcess[str]:
    """`SELECT count(*) FROM articles` from a real second process, waiting up to `timeout` for the file."""
    return subprocess.run([sys.executable, "-c", READ_COUNT, str(warehouse.target), str(timeout)],
                          capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[2])


def test_a_writer_keeps_the_file_between_its_transactions_until_it_lets_go(warehouse, seed_articles,
                                                                           seed_enrichments, seed_themes):
    """A batch's transactions share one connection (no close and checkpoint each); release() gives the
    file to a waiting process, and the next transaction opens it again."""
    with warehouse.writer() as writer:
        assert writer.commit_batch(batch_of("run-1", seed_articles[:2], seed_enrichments[:2], seed_themes)) == 2
        blocked = read_in_other_process(warehouse, 0.3)
        assert blocked.returncode != 0 and "WarehouseBusy" in blocked.stderr
        assert warehouse.someone_waiting()  # the reader left its note: the flow releases between transactions
        writer.release()
        assert read_in_other_process(warehouse, 5).stdout.strip() == "2"
        assert writer.commit_batch(batch_of("run-2", seed_articles[2:], seed_enrichments[2:], seed_themes)) == 3
    assert read_in_other_process(warehouse, 5).stdout.strip() == "5"


def test_a_failed_transaction_lets_the_file_go(warehouse, seed_articles, seed_enrichments, seed_themes):
    with warehouse.writer() as writer:
        writer.commit_batch(batch_of("run-1", seed_articles[:2], seed_enrichments[:2], seed_themes))
        bad = dataclasses.replace(seed_enrichments[2], themes=(
            dataclasses.replace(seed_enrichments[2].themes[0], theme_id="erfunden"),))
        with pytest.raises(DataCheckFailed):
            writer.commit_batch(batch_of("run-2", seed_articles[2:3], [bad], seed_themes))
        assert read_in_other_process(warehouse, 5).stdout.strip() == "2"


def test_a_writer_beside_local_enrichment_workers_uses_one_duckdb_thread(tmp_path: Path):
    """The workers keep the cores busy: a writer's second thread would only compete with them. Readers
    (the dashboard, `lagebild sql`) keep one thread per core."""
    import duckdb

    from lagebild.settings import Settings

    settings = Settings.load(env={}, data_dir=str(tmp_path))
    threads = "SELECT current_setting('threads')"
    cores = duckdb.connect().execute(threads).fetchone()
    Warehouse.of(settings).initialise()
    for changes, writer in (({}, None), ({"enrich_workers": 2}, 1), ({"task_runner": "dask"}, 1),
                            ({"task_runner": "dask=tcp://elsewhere:8786"}, None)):
        wh = Warehouse.of(settings.with_(**changes))
        assert wh.writer_threads == writer
        with wh.connect() as con:
            assert con.execute(threads).fetchone() == ((writer,) if writer else cores)
        with wh.connect(read_only=True) as con:
            assert con.execute(threads).fetchone() == cores
    with Warehouse.of(settings.with_(enrich_workers=2)).writer() as w, w.transaction() as con:
        assert con.execute(threads).fetchone() == (1,)


def test_the_connection_that_loads_batches_has_a_memory_limit(tmp_path: Path):
    """DuckDB keeps the blocks it read cached up to its memory limit (80 % of RAM by default), so a
    watcher grew with its warehouse. The batch writer's connection gets LAGEBILD_WRITER_MEMORY; readers
    and other writers keep DuckDB's default; 'none' lifts the limit."""
    import duckdb

    from lagebild.settings import Settings

    limit = "SELECT current_setting('memory_limit')"
    default = duckdb.connect().execute(limit).fetchone()
    settings = Settings.load(env={}, data_dir=str(tmp_path))
    Warehouse.of(settings).initialise()
    for value, expected in (("128MB", ("122.0 MiB",)), ("1GB", ("953.6 MiB",)), ("none", default)):
        wh = Warehouse.of(Settings.load(env={"LAGEBILD_WRITER_MEMORY": value}, data_dir=str(tmp_path)))
        with wh.writer() as w, w.transaction() as con:
            assert con.execute(limit).fetchone() == expected
        with wh.connect() as con:
            assert con.execute(limit).fetchone() == default
        with wh.connect(read_only=True) as con:
            assert con.execute(limit).fetchone() == default
    with pytest.raises(ValueError, match="LAGEBILD_WRITER_MEMORY must be a size"):
        Settings.load(env={"LAGEBILD_WRITER_MEMORY": "lots"})


def test_a_batch_over_the_writer_memory_limit_fails_whole_and_says_what_to_raise(
        warehouse, seed_articles, seed_enrichments, seed_themes):
    from warehouse.store import WriterOutOfMemory

    small = dataclasses.replace(warehouse, batch_memory="1MB")
    with small.writer() as writer, pytest.raises(WriterOutOfMemory, match="LAGEBILD_WRITER_MEMORY=1MB"):
        writer.commit_batch(batch_of("run-1", seed_articles, seed_enrichments, seed_themes))
    assert small.count_articles() == 0
    with warehouse.writer() as writer:  # DuckDB's default: the same batch loads
        assert writer.commit_batch(batch_of("run-1", seed_articles, seed_enrichments, seed_themes)) == 5
