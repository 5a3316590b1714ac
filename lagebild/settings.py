"""One settings object, built once from flags and LAGEBILD_* environment variables."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

ENV_PREFIX = "LAGEBILD_"


@dataclass(frozen=True)
class Settings:
    """Where Lagebild keeps its files, how the inbox is handled and how the dashboard behaves."""

    data_dir: Path = Path("data")
    inbox: Path = Path("data/inbox")
    archive: Path = Path("data/archive")
    rejected: Path = Path("data/rejected")
    warehouse: str = "data/lagebild.duckdb"  # a path, or 'ducklake:…'
    prefect_home: Path = Path("data/prefect")
    overlay: Path = Path("data/registry_overlay.yaml")
    max_file_mb: float = 5.0  # .txt article files above this are rejected
    max_jsonl_mb: float = 200.0  # .jsonl bulk files above this are rejected
    settle_seconds: float = 0.5  # a file must keep size and mtime this long before it is read
    rescan_seconds: float = 2.0  # periodic full rescan, besides file-system events
    batch_size: int = 1000  # files per flow run (fewer runs: less Prefect and checkpoint overhead)
    enrich_workers: int = 1  # processes that enrich a batch (1: in the flow's own process)
    lock_timeout: float = 600.0  # how long a writer waits for a reader holding the warehouse
    spacy_model: str | None = None  # statistical NER: None = the shipped model, "none" = rules only, or a pipeline
    task_runner: str | None = None  # None (in-process) or 'dask' / 'dask=ADDRESS'
    warm_start: bool = False  # build the enrichment pipeline when a watcher starts, not at its first file
    prefect_port: int = 4200  # port of the local Prefect server (API and UI) that `lagebild up` starts
    # DuckDB memory limit of the connection that loads batches ("none": DuckDB's default, 80 % of RAM).
    # DuckDB keeps the blocks it read cached up to its limit, so a watcher's memory grew with the warehouse.
    writer_memory: str = "128MB"
    dashboard_refresh: float = 3.0  # seconds between the dashboard's live refreshes (0 turns them off)
    dashboard_password: str | None = field(default=None, repr=False)  # asked for when set (else none)

    @classmethod
    def load(cls, env: dict[str, str] | None = None, **flags: Any) -> Settings:
        """Defaults < LAGEBILD_* variables < flags (flags set to None are ignored)."""
        env = dict(os.environ if env is None else env)
        data_dir = Path(flags.get("data_dir") or env.get(ENV_PREFIX + "DATA_DIR") or "data")
        values: dict[str, Any] = {
            "data_dir": data_dir,
            "inbox": data_dir / "inbox",
            "archive": data_dir / "archive",
            "rejected": data_dir / "rejected",
            "warehouse": str(data_dir / "lagebild.duckdb"),
            "prefect_home": data_dir / "prefect",
            "overlay": data_dir / "registry_overlay.yaml",
        }
        for f in fields(cls):
            if f.name == "data_dir":
                continue
            raw = flags.get(f.name)
            if raw is None:
                raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is None or raw == "":
                continue
            values[f.name] = _coerce(f.name, raw, values.get(f.name, getattr(cls, f.name)))
        settings = cls(**values)
        if settings.writer_memory_limit is not None and not _SIZE.fullmatch(settings.writer_memory_limit):
            raise ValueError(f"{ENV_PREFIX}WRITER_MEMORY must be a size such as 128MB or 1GB, or 'none'; "
                             f"got {settings.writer_memory!r}")
        return settings

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def max_jsonl_bytes(self) -> int:
        return int(self.max_jsonl_mb * 1024 * 1024)

    @property
    def enriches_on_local_workers(self) -> bool:
        """Whether worker processes on this machine enrich (a pool of several, or a local Dask cluster):
        they keep its cores busy while this process loads."""
        return self.enrich_workers > 1 or (self.task_runner or "").strip() == "dask"

    @property
    def writer_memory_limit(self) -> str | None:
        """`writer_memory` for DuckDB, or None for DuckDB's default."""
        value = self.writer_memory.strip()
        return None if value.lower() in {"", "none"} else value

    def ensure_folders(self) -> None:
        """Create inbox, archive, rejected and the Prefect home if missing."""
        for folder in (self.data_dir, self.inbox, self.archive, self.rejected, self.prefect_home):
            folder.mkdir(parents=True, exist_ok=True)

    def prefect_env(self) -> dict[str, str]:
        """Environment for the embedded Prefect: home in the data folder, telemetry off."""
        return {
            "PREFECT_HOME": str(self.prefect_home.resolve()),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
            "PREFECT_LOGGING_LEVEL": "WARNING",
        }

    def apply_prefect_env(self) -> None:
        """Set Prefect's variables (unless the user set them) before Prefect is imported."""
        for key, value in self.prefect_env().items():
            os.environ.setdefault(key, value)


_SIZE = re.compile(r"\d+(\.\d+)?\s*([KMGT]i?B|B)?", re.IGNORECASE)


def _coerce(name: str, raw: Any, default: Any) -> Any:
    if isinstance(raw, str) and isinstance(default, Path):
        return Path(raw)
    if isinstance(default, bool):
        return str(raw).lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int) and not isinstance(default, bool):
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{ENV_PREFIX}{name.upper()} must be a whole number, got {raw!r}") from None
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError:
            raise ValueError(f"{ENV_PREFIX}{name.upper()} must be a number, got {raw!r}") from None
    return raw
