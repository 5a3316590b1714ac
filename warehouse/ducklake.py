"""The warehouse on DuckLake: the same tables, a catalog in SQLite or PostgreSQL, data as Parquet files.

A target is `ducklake:CATALOG[?data_path=PATH]`, where CATALOG is
  `sqlite:/path/lake.sqlite`           one machine, many processes (data default: /path/lake.sqlite.files/)
  `postgres:dbname=lake host=db user=…` many machines (give data_path when the lake is first created)
and PATH a folder or an `s3://…` URL. Every connection is an in-memory DuckDB with the lake attached
as `lake` and made the default catalog, so the rest of the code runs its SQL unchanged. Readers attach
read-only and see the last committed snapshot: they never wait for the writer.
"""

from __future__ import annotations

import importlib.util
import os
import random
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    from warehouse.db import Config

PREFIX = "ducklake:"
ALIAS = "lake"
META = f"__ducklake_metadata_{ALIAS}"
_DATA_PATH = "?data_path="
_RETRY_MARKERS = ("database is locked", "Conflicting lock", "could not serialize", "Failed to commit")


@dataclass(frozen=True)
class LakeTarget:
    """A parsed `ducklake:` warehouse target."""

    kind: str  # sqlite | postgres | duckdb
    catalog: str  # the part after `ducklake:` and before `?data_path=`
    data_path: str | None

    @property
    def catalog_file(self) -> Path | None:
        """The catalog's file for SQLite/DuckDB catalogs, None for PostgreSQL."""
        if self.kind == "postgres":
            return None
        return Path(self.catalog.split(":", 1)[1] if self.kind == "sqlite" else self.catalog)

    def describe(self) -> str:
        where = self.data_path or "the catalog's data path"
        return f"DuckLake ({self.kind} catalog {self.catalog_file or '(PostgreSQL)'}, data in {where})"


class LakeError(RuntimeError):
    """The lake could not be opened; the message says what to do."""


def is_ducklake(target: str | Path) -> bool:
    return isinstance(target, str) and target.startswith(PREFIX)


def parse(target: str) -> LakeTarget:
    """Split `ducklake:CATALOG[?data_path=PATH]`; relative SQLite paths become absolute."""
    if not is_ducklake(target):
        raise LakeError(f"not a DuckLake target: {target!r} (expected 'ducklake:sqlite:PATH' or 'ducklake:postgres:…')")
    rest = target[len(PREFIX):]
    catalog, _, data_path = rest.partition(_DATA_PATH)
    if not catalog:
        raise LakeError("empty DuckLake catalog: use e.g. ducklake:sqlite:data/lake.sqlite")
    kind = catalog.split(":", 1)[0] if ":" in catalog else "duckdb"
    if kind not in ("sqlite", "postgres", "duckdb"):
        raise LakeError(f"unknown DuckLake catalog type {kind!r}: use sqlite:PATH or postgres:CONNINFO")
    if kind == "sqlite":
        catalog = "sqlite:" + str(Path(catalog.split(":", 1)[1]).expanduser().absolute())
    elif kind == "duckdb":
        catalog = str(Path(catalog).expanduser().absolute())
    data = data_path or None
    if data and "://" not in data:
        data = str(Path(data).expanduser().absolute()) + "/"
    if data is None and kind == "sqlite":
        data = catalog.split(":", 1)[1] + ".files/"
    return LakeTarget(kind, catalog, data)


def _extension_file(name: str) -> Path | None:
    """The extension shipped in the `duckdb-extension-NAME` wheel, if installed."""
    spec = importlib.util.find_spec(f"duckdb_extension_{name}")
    for root in (spec.submodule_search_locations or []) if spec else []:
        found = sorted(Path(root).glob(f"extensions/v{duckdb.__version__}/**/{name}.duckdb_extension"))
        if found:
            return found[0]
    return None


def load_extension(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """LOAD an extension: installed already, else from its offline wheel, else INSTALL from the network."""
    installed = con.execute("SELECT installed, loaded FROM duckdb_extensions() WHERE extension_name = ?",
                            [name]).fetchone()
    if installed and installed[1]:
        return
    if not (installed and installed[0]):
        path = _extension_file(name)
        try:
            con.execute(f"INSTALL '{path}'" if path else f"INSTALL {name}")  # our own path or name
        except duckdb.Error as exc:
            raise LakeError(f"the DuckDB extension {name!r} is not available: pip install "
                            f"duckdb-extension-{name}=={duckdb.__version__} (or allow DuckDB to download it)"
                            f" [{exc}]") from None
    con.execute(f"LOAD {name}")


def open_lake(target: str, *, read_only: bool, config: Config | None = None,
              timeout: float = 30.0) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake attached as the default catalog; `config` applied after."""
    lake = parse(target)
    _check_exists(lake, read_only)
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        con = duckdb.connect()
        try:
            _attach(con, lake, read_only)
            _apply(con, lake, config or {})
            return con
        except duckdb.Error as exc:
            con.close()
            if not any(m in str(exc) for m in _RETRY_MARKERS) or time.monotonic() >= deadline:
                raise _explain(lake, exc, read_only) from exc
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 1.0)


def _check_exists(lake: LakeTarget, read_only: bool) -> None:
    from warehouse.db import WarehouseMissing

    file = lake.catalog_file
    if file is not None and read_only and not file.exists():
        raise WarehouseMissing(f"no DuckLake catalog at {file}: run `lagebild ingest PATH` first "
                               "(or point LAGEBILD_WAREHOUSE at an existing catalog)")
    if file is not None and not read_only:
        file.parent.mkdir(parents=True, exist_ok=True)
    if lake.data_path and "://" not in lake.data_path and not read_only:
        Path(lake.data_path).mkdir(parents=True, exist_ok=True)


def _attach(con: duckdb.DuckDBPyConnection, lake: LakeTarget, read_only: bool) -> None:
    load_extension(con, "ducklake")
    if lake.kind in ("sqlite", "postgres"):
        load_extension(con, lake.kind)
    if lake.data_path and lake.data_path.startswith(("s3://", "gs://", "r2://", "http")):
        load_extension(con, "httpfs")
        _s3_secret(con)
    options = []
    if lake.data_path:
        options.append(f"DATA_PATH {_quote(lake.data_path)}")
    if read_only:
        options.append("READ_ONLY")
    suffix = f" ({', '.join(options)})" if options else ""
    con.execute(f"ATTACH {_quote(PREFIX + lake.catalog)} AS {ALIAS}{suffix}")
    con.execute(f"USE {ALIAS}")


def _apply(con: duckdb.DuckDBPyConnection, lake: LakeTarget, config: Config) -> None:
    """Settings after the attach: reads of the lake's own files stay allowed when file access is off."""
    if str(config.get("enable_external_access", "true")).lower() == "false" and lake.data_path:
        con.execute(f"SET allowed_directories = [{_quote(lake.data_path)}]")
    last = {"enable_external_access": 1, "lock_configuration": 2}  # other settings first, the lock at the end
    for key in sorted(config, key=lambda k: last.get(k, 0)):
        if not re.fullmatch(r"[a-z_]+", key):
            raise LakeError(f"invalid DuckDB setting name {key!r}")
        con.execute(f"SET {key} = {_quote(str(config[key]))}")


def _s3_secret(con: duckdb.DuckDBPyConnection) -> None:
    """An S3 secret from the usual AWS_* variables, when they are set (endpoint for MinIO and the like)."""
    key, secret = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
    if not key or not secret:
        return
    parts = [f"KEY_ID {_quote(key)}", f"SECRET {_quote(secret)}",
             f"REGION {_quote(os.environ.get('AWS_REGION', 'us-east-1'))}"]
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if endpoint:
        host = re.sub(r"^https?://", "", endpoint)
        parts += [f"ENDPOINT {_quote(host)}", "URL_STYLE 'path'",
                  f"USE_SSL {'true' if endpoint.startswith('https') else 'false'}"]
    con.execute(f"CREATE OR REPLACE SECRET lagebild_s3 (TYPE s3, {', '.join(parts)})")


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _explain(lake: LakeTarget, exc: duckdb.Error, read_only: bool) -> Exception:
    from warehouse.db import WarehouseBusy, WarehouseMissing

    text = str(exc)
    if any(m in text for m in _RETRY_MARKERS):
        return WarehouseBusy(f"{lake.describe()} stayed busy: {text}; try again, or check who holds the catalog")
    if read_only and ("does not exist" in text or "not initialized" in text.lower() or "no such table" in text):
        return WarehouseMissing(f"{lake.describe()} has no tables yet: run `lagebild ingest PATH` first")
    return LakeError(f"cannot open {lake.describe()}: {text}")


@contextmanager
def connect(target: str, *, read_only: bool = False, timeout: float = 30.0,
            config: Config | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    con = open_lake(target, read_only=read_only, config=config, timeout=timeout)
    try:
        yield con
    finally:
        con.close()


_CHECK = re.compile(r"\s+CHECK\s*\(", re.IGNORECASE)


def portable_sql(sql: str) -> str:
    """DDL without the constraints DuckLake lacks (PRIMARY KEY, UNIQUE, CHECK); the loader keeps keys unique."""
    sql = re.sub(r"\s+(PRIMARY\s+KEY|UNIQUE)\b", "", sql, flags=re.IGNORECASE)
    while (m := _CHECK.search(sql)) is not None:
        depth, i = 1, m.end()
        while depth and i < len(sql):
            depth += {"(": 1, ")": -1}.get(sql[i], 0)
            i += 1
        sql = sql[:m.start()] + sql[i:]
    return sql


RACE_WAIT_S = 300.0  # how long a service that keeps losing to another's migrations tries again at most


def initialise(target: str, timeout: float = 30.0, attempts: int = 6) -> list[int]:
    """Create the lake if needed and apply pending migrations (constraint-free DDL).

    Services that start together (docker-compose.yml) initialise one catalog at once: the loser of a
    conflicting commit (catalog tables or a migration created by the other) tries again and finds the
    winner's work done. The winner may still be migrating, so the loser can lose the next migration too:
    it tries at least `attempts` times and, while it keeps losing races, for up to RACE_WAIT_S seconds
    (each loss is a commit of the winner's, so the winner is getting on; on a busy machine its two dozen
    migrations took longer than the connection's `timeout` of 30 s)."""
    from warehouse.schema import migrate

    began = time.monotonic()
    attempt = 0
    while True:
        attempt += 1
        try:
            with connect(target, timeout=timeout) as con:
                return migrate(con, adapt=portable_sql)
        except (duckdb.TransactionException, duckdb.CatalogException, LakeError) as exc:
            if not lost_a_race(exc) or (attempt >= attempts and time.monotonic() - began > RACE_WAIT_S):
                raise
            time.sleep(random.uniform(0.2, 0.5) * min(attempt, 4))


RACE_MARKERS = ("already exists", "Existing object")  # DDL that meets what another process's migration made


def lost_a_race(exc: BaseException) -> bool:
    """Whether a failed initialisation collided with another process's migration (try again), e.g. the
    catalog tables created meanwhile, or `DROP VIEW stories` of migration 008 after the winner's 008 made
    `stories` a table; anything else is a real error."""
    if isinstance(exc, duckdb.TransactionException):
        return True
    return isinstance(exc, (duckdb.CatalogException, LakeError)) and any(m in str(exc) for m in RACE_MARKERS)


@dataclass(frozen=True)
class CompactReport:
    files_before: int
    files_after: int
    snapshots_expired: int
    files_deleted: int


def live_files(con: duckdb.DuckDBPyConnection) -> int:
    """Parquet data files the current snapshot reads."""
    row = con.execute(f"SELECT count(*) FROM {META}.ducklake_data_file WHERE end_snapshot IS NULL").fetchone()
    return int(row[0]) if row else 0


def compact(target: str, expire_older_than: float = 60.0, timeout: float = 600.0) -> CompactReport:
    """Flush inlined rows, merge small adjacent files, expire snapshots older than `expire_older_than`
    minutes and delete the files only those snapshots still used (readers of newer snapshots are safe)."""
    with connect(target, timeout=timeout) as con:
        before = live_files(con)
        con.execute(f"CALL ducklake_flush_inlined_data({_quote(ALIAS)})")
        con.execute(f"CALL ducklake_merge_adjacent_files({_quote(ALIAS)})")
        cutoff = f"now() - to_microseconds({int(expire_older_than * 60_000_000)})"
        expired = con.execute(f"CALL ducklake_expire_snapshots({_quote(ALIAS)}, older_than => {cutoff})").fetchall()
        deleted = con.execute(f"CALL ducklake_cleanup_old_files({_quote(ALIAS)}, older_than => {cutoff})").fetchall()
        return CompactReport(before, live_files(con), len(expired), len(deleted))
