"""`Warehouse`: the one owner of the database — connections, transactions, migrations, and every write."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from lagebild.article import Article
from lagebild.enrich.model import Enrichment
from lagebild.settings import Settings
from warehouse import batch_commit, db, ducklake, enrichment_store, load, stories
from warehouse.batch_commit import BatchRows, Known
from warehouse.data_checks import enforce
from warehouse.load import RunRow
from warehouse.summaries import add_articles, remove_articles


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a batch loads: its many short-lived row objects would trigger
    full passes over the process's large heap (the language model, the pool of a bench), which cost
    more than the load itself; they are freed by reference counting, and a collection may run after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class Warehouse:
    """A DuckDB file or a `ducklake:…` target, and how long a writer waits for another process's lock."""

    target: str | Path
    lock_timeout: float = 30.0
    # DuckDB threads of a read-write connection (None: one per core). One when worker processes enrich on
    # this machine: a writer's second thread then only competes with them for a core (measured: the same
    # load in ~20 % less CPU, no slower).
    writer_threads: int | None = None
    # DuckDB memory limit of the connection that loads batches (None: DuckDB's default). Not applied to a
    # DuckLake, whose in-memory DuckDB would spill into the working directory.
    batch_memory: str | None = None

    @classmethod
    def of(cls, settings: Settings) -> Warehouse:
        return cls(settings.warehouse, settings.lock_timeout, 1 if settings.enriches_on_local_workers else None,
                   settings.writer_memory_limit)

    def connect(self, *, read_only: bool = False, timeout: float | None = None,
                memory_limit: str | None = None) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        """A short connection, retried with backoff while another process holds the lock."""
        config = {} if read_only else self._writer_config(memory_limit)
        return db.connect(self.target, read_only=read_only, timeout=self._timeout(timeout), config=config or None)

    def _writer_config(self, memory_limit: str | None) -> db.Config:
        """DuckDB settings of a writer's connection: its threads, and a memory limit (not on a DuckLake)."""
        config: db.Config = {}
        if self.writer_threads is not None:
            config["threads"] = self.writer_threads
        if memory_limit and not ducklake.is_ducklake(self.target):
            config["memory_limit"] = memory_limit
        return config

    @contextmanager
    def transaction(self, timeout: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection inside BEGIN … COMMIT; any exception rolls everything back."""
        with self.connect(timeout=timeout) as con, db.transaction(con):
            yield con

    @contextmanager
    def serving_readers(self, timeout: float | None = None) -> Iterator[None]:
        """Keep the warehouse open in this process while the block writes, and answer other processes'
        reads meanwhile (warehouse/host.py): they never wait for the file. A DuckLake needs none of it.
        `timeout`: how long to wait for another process that holds the file (default: lock_timeout)."""
        if ducklake.is_ducklake(self.target):
            yield
            return
        from warehouse.host import hosting

        with hosting(self.target, self._writer_config(self.batch_memory), timeout=self._timeout(timeout)):
            yield

    def someone_waiting(self) -> bool:
        """Whether another process waited for this warehouse's lock in the last few seconds."""
        return db.someone_waiting(self.target)

    def initialise(self) -> list[int]:
        """Create the warehouse if needed and apply pending migrations; return the versions applied."""
        return db.initialise(self.target, timeout=self.lock_timeout)

    def recall(self, files: Iterable[tuple[str, str]], article_ids: Iterable[str]) -> Known:
        """Committed outcomes of these (file, sha256) pairs, and which of these articles are stored."""
        with self.connect() as con:
            return batch_commit.recall(con, files, article_ids)

    def log_watermark(self) -> datetime:
        """The latest time recorded in ingest_log (datetime.min when it is empty)."""
        with self.connect(read_only=True) as con:
            row = con.execute('SELECT max("at") FROM ingest_log').fetchone()
        return row[0] if row and row[0] is not None else datetime.min

    def file_outcomes(self, files: Sequence[str], since: datetime) -> dict[str, load.FileOutcome]:
        """The outcomes recorded after `since` of these inbox files (names relative to the inbox)."""
        with self.connect(read_only=True) as con:
            return load.file_outcomes(con, files, since)

    def commit_batch(self, batch: BatchRows) -> int:
        """Load one batch in one transaction (rows, log, run, data checks); returns the articles added."""
        with self.writer() as writer:
            return writer.commit_batch(batch)

    @contextmanager
    def writer(self) -> Iterator[BatchWriter]:
        """One read-write connection for a batch's transactions, closed when the block ends."""
        writer = BatchWriter(self)
        try:
            yield writer
        finally:
            writer.release()

    def record_run(self, run: RunRow) -> None:
        """Write a run's row again, e.g. with its totals once all of its transactions committed."""
        with self.writer() as writer:
            writer.record_run(run)

    def record_failed_run(self, run: RunRow, timeout: float | None = None) -> None:
        """Mark a run failed; a run whose rows were committed keeps its counts."""
        with self.transaction(timeout) as con:
            load.record_failed_run(con, run, datetime.now())

    def count_articles(self) -> int:
        with self.connect() as con:
            return enrichment_store.count_articles(con)

    def outdated_ids(self, version: str | None) -> list[str]:
        """Ids whose enrich_version differs from `version` (all ids when version is None)."""
        with self.connect() as con:
            return enrichment_store.outdated_ids(con, version)

    def load_articles(self, ids: Sequence[str]) -> list[Article]:
        with self.connect() as con:
            return enrichment_store.load_articles(con, ids)

    def replace_enrichments(self, results: Sequence[Enrichment], themes: Sequence[tuple[str, str]]) -> None:
        """Swap in new enrichment rows for these articles (themes, summaries, data checks) in one transaction."""
        ids = [r.article_id for r in results]
        with self.transaction() as con:
            load.upsert_themes(con, themes)
            remove_articles(con, ids)  # their old counts leave the summaries with their old rows
            enrichment_store.replace_enrichments(con, results)
            add_articles(con, ids)
            stories.refresh_members(con, ids)  # their stories' actors and themes, until they are clustered again
            enforce(con, ids)

    def rebuild_stories(self) -> int:
        """Cluster every stored article into stories again (after reprocessing), in one transaction."""
        with self.transaction() as con:
            return stories.rebuild_stories(con)

    def check(self, article_ids: Sequence[str] | None = None) -> None:
        """Run the declared data checks (for these articles, or all); raises DataCheckFailed."""
        with self.connect(read_only=True) as con:
            enforce(con, article_ids)

    def _timeout(self, timeout: float | None) -> float:
        return self.lock_timeout if timeout is None else timeout


class WriterOutOfMemory(RuntimeError):
    """A batch's transaction needed more memory than the writer's limit; nothing of it was written."""


class BatchWriter:
    """A batch's transactions on one connection: the file stays open between them, so a backfill does
    not pay a close (DuckDB checkpoints on close) and an open per transaction. `release()` lets the file
    go, for a process that waits for it; the next transaction opens it again."""

    def __init__(self, warehouse: Warehouse) -> None:
        self._warehouse = warehouse
        self._open: ExitStack | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._committed = 0

    def commit_batch(self, batch: BatchRows) -> int:
        """Load rows, log, run and data checks in one transaction; returns the articles added."""
        with _gc_paused(), self.transaction() as con:
            return batch_commit.commit_batch(con, batch)

    def record_run(self, run: RunRow) -> None:
        """Write a run's row again, e.g. with its totals once all of its transactions committed."""
        with self.transaction() as con:
            load.insert_run(con, run, datetime.now())

    @property
    def committed_since_open(self) -> int:
        """Transactions committed on the open connection (0: none is open, or it is fresh). DuckDB keeps what
        they wrote in memory until its next checkpoint, so a later transaction there has less of the limit."""
        return self._committed if self._con is not None else 0

    def release(self) -> None:
        """Close the connection (with DuckDB's checkpoint): other processes can open the file now."""
        opened, self._open, self._con = self._open, None, None
        if opened is not None:
            opened.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction on the open connection (opened first if needed); a failure closes the connection."""
        if self._con is None:
            stack = ExitStack()
            self._con = stack.enter_context(self._warehouse.connect(memory_limit=self._warehouse.batch_memory))
            self._open, self._committed = stack, 0
        try:
            with db.transaction(self._con) as con:
                yield con
            self._committed += 1
        except duckdb.OutOfMemoryException as exc:
            self.release()
            raise WriterOutOfMemory(
                f"loading the batch needed more than the writer's DuckDB memory limit "
                f"(LAGEBILD_WRITER_MEMORY={self._warehouse.batch_memory}): raise it, e.g. "
                f"LAGEBILD_WRITER_MEMORY=1GB, or set 'none' for DuckDB's default; DuckDB said: "
                f"{str(exc).splitlines()[0]}") from exc
        except BaseException:
            self.release()  # a failed transaction leaves nothing behind, not even its connection
            raise
