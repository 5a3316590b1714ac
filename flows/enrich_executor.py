"""Parallel enrichment: one executor enriches a batch in chunks, and the results come back in order.

Two backends share this code path (both are `concurrent.futures` executors: split → map → results in order):
- `enrich_workers` > 1 (LAGEBILD_ENRICH_WORKERS, `--enrich-workers`): a pool of spawned worker processes kept
  for the life of this process (the watcher); each loads the resources and builds the spaCy pipeline once,
  when it starts;
- `--task-runner dask`: a local Dask cluster started once per process and kept (one single-threaded worker
  process per core: spaCy holds the GIL); `--task-runner dask=tcp://HOST:8786` uses a running scheduler.
  Dask workers need this project installed and the same data folder paths (registry overlay); each loads
  the resources once (lagebild/resources.py caches them per process).
A batch is cut into two chunks per worker, which evens out uneven texts.

Overlap: while one batch loads, the next one's articles are already enriching on the executor
(`prefetch`, called by the flow between its enrich and load steps). The next batch's enrich step takes
those results (`enrich_in_order`) and enriches only what was not prefetched. Enrichment is a pure
function of the article, so a prefetched result is the one it would compute.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import BrokenExecutor, Executor, Future, ProcessPoolExecutor
from typing import Any, TypeVar

from lagebild.article import Article
from lagebild.enrich.model import Enrichment
from lagebild.resources import enrich_with_defaults, resources_for
from lagebild.settings import Settings

T = TypeVar("T")
log = logging.getLogger("lagebild.enrich")
SPEC_HELP = "'dask' (a local cluster) or 'dask=ADDRESS' (e.g. dask=tcp://scheduler:8786)"
MIN_PER_WORKER = 8  # a local pool leaves smaller batches to this process: pickling would cost more
# A pool not yet started costs each worker seconds to load the model and resources: about this many
# articles' enrichment. Smaller batches stay in this process until a larger one has started the pool.
POOL_START_PER_WORKER = 100
_lock = threading.Lock()
_pools: dict[int, ProcessPoolExecutor] = {}
_clients: dict[str, Any] = {}  # scheduler address (or 'local') -> dask.distributed Client
_cluster: Any = None
# The next batch's articles, enriching: article -> (the executor, its chunk's future, index in the chunk)
_prefetched: dict[Article, tuple[Executor, Future[list[Enrichment]], int]] = {}


class TaskRunnerError(ValueError):
    """An unusable --task-runner value or a missing package; the message says what to do."""


def parse_spec(spec: str | None) -> tuple[str, str | None] | None:
    """None for in-process, else ('dask', address or None)."""
    if spec is None or not spec.strip() or spec.strip() in ("process", "default"):
        return None
    kind, sep, address = spec.strip().partition("=")
    if kind != "dask" or (sep and not address):
        raise TaskRunnerError(f"unknown task runner {spec!r}: use {SPEC_HELP}, or leave it out to run in process")
    return "dask", address or None


def split(items: Sequence[T], parts: int) -> list[list[T]]:
    """At most `parts` contiguous, nearly equal, non-empty chunks in order."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (i < extra)
        out.append(list(items[start:end]))
        start = end
    return [c for c in out if c]


def enrich_in_order(settings: Settings, articles: Sequence[Article]) -> list[Enrichment]:
    """Enrich in this process, or in chunks on the executor (two per worker), results in the articles' order.
    Articles prefetched while the previous batch loaded are taken from there."""
    done = _collect_prefetched(articles)
    if done:
        log.info("%d of %d articles were enriched while the previous batch loaded", len(done), len(articles))
    rest = [a for a in articles if a not in done]
    for article, enrichment in zip(rest, _enrich_now(settings, rest), strict=True):
        done[article] = enrichment
    return [done[a] for a in articles]


def can_prefetch(settings: Settings) -> bool:
    """Whether enrichment runs off this process (a pool of several workers, or Dask), so that the next
    batch can enrich while this one loads."""
    return settings.enrich_workers > 1 or parse_spec(settings.task_runner) is not None


def prefetch(settings: Settings, articles: Sequence[Article]) -> int:
    """Start enriching `articles` (the next batch) on the executor and return at once; the number sent.
    Nothing is sent when enrichment runs in this process (it would only compete with the load) or the
    batch is too small for the executor; a previous prefetch not taken is cancelled."""
    _cancel_prefetched()
    backend = _executor_for_batch(settings, len(articles))
    if backend is None:
        return 0
    executor, slots = backend
    futures = {}
    for chunk in split(articles, 2 * slots):
        future = executor.submit(enrich_chunk, settings, chunk)
        futures.update({a: (executor, future, i) for i, a in enumerate(chunk)})
    with _lock:
        _prefetched.update(futures)
    return len(futures)


def _enrich_now(settings: Settings, articles: list[Article]) -> list[Enrichment]:
    if not articles:
        return []
    backend = _executor_for_batch(settings, len(articles))
    if backend is None:
        return enrich_chunk(settings, articles)
    executor, slots = backend
    chunks = split(articles, 2 * slots)
    try:
        parts = list(executor.map(enrich_chunk, [settings] * len(chunks), chunks))
    except BrokenExecutor:
        _drop_pool(executor)  # a worker died (killed, out of memory): the next batch starts a new pool
        raise
    return [e for part in parts for e in part]


def _executor_for_batch(settings: Settings, size: int) -> tuple[Executor, int] | None:
    """(executor, worker slots) for a batch of `size` articles; None: enrich it in this process."""
    backend = executor_for(settings)
    if backend is None:
        return None
    executor, slots, smallest = backend
    return None if slots <= 1 or size < smallest else (executor, slots)


def _collect_prefetched(articles: Sequence[Article]) -> dict[Article, Enrichment]:
    """The prefetched results of these articles (waiting for them); a chunk that failed is enriched again
    by the caller, so a bad text is isolated there as in any batch."""
    with _lock:
        mine = {a: _prefetched.pop(a) for a in articles if a in _prefetched}
    _cancel_prefetched(keep={id(f) for _, f, _ in mine.values()})  # the rest: files changed or taken since
    out: dict[Article, Enrichment] = {}
    for article, (executor, future, index) in mine.items():
        try:
            out[article] = future.result()[index]
        except BrokenExecutor:  # a worker died: the rest is enriched on a new pool
            _drop_pool(executor)
        except Exception:  # noqa: BLE001, S110 - enriched again below, where the failing article is isolated
            pass
    return out


def _cancel_prefetched(keep: frozenset[int] | set[int] = frozenset()) -> None:
    """Forget the prefetched articles and cancel their chunks, but for the chunks in `keep` (by id)."""
    with _lock:
        futures = {id(f): f for _, f, _ in _prefetched.values()}
        _prefetched.clear()
    for key, future in futures.items():
        if key not in keep:
            future.cancel()


def enrich_chunk(settings: Settings, articles: list[Article]) -> list[Enrichment]:
    """One chunk, in whichever process runs it."""
    return enrich_with_defaults(settings, articles)


def executor_for(settings: Settings) -> tuple[Executor, int, int] | None:
    """(executor, worker slots, smallest batch worth sending) for these settings; None: enrich in process."""
    spec = parse_spec(settings.task_runner)
    if spec is not None:
        client = _dask_client(spec[1])
        return client.get_executor(pure=False), max(1, sum(client.nthreads().values())), 2
    workers = settings.enrich_workers
    if workers <= 1:
        return None
    per_worker = MIN_PER_WORKER if workers in _pools else POOL_START_PER_WORKER
    return _local_pool(settings), workers, workers * per_worker


def start(settings: Settings) -> None:
    """Check --task-runner and connect to (or start) the Dask cluster now, before the first batch; with
    LAGEBILD_WARM_START and in-process enrichment, build the pipeline now too (a service's first file
    then loads in seconds)."""
    if parse_spec(settings.task_runner) is not None:
        executor_for(settings)
    elif settings.warm_start and settings.enrich_workers <= 1:
        _start_worker(settings)
    elif settings.warm_start:  # start the pool's workers now: each loads the model once, in parallel
        pool = _local_pool(settings)
        list(pool.map(_ready, range(settings.enrich_workers)))


def _local_pool(settings: Settings) -> ProcessPoolExecutor:
    with _lock:
        workers = settings.enrich_workers
        if workers not in _pools:
            _pools[workers] = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                                  initializer=_start_worker, initargs=(settings,))
        return _pools[workers]


def _drop_pool(executor: Executor) -> None:
    with _lock:
        for workers, pool in list(_pools.items()):
            if pool is executor:
                del _pools[workers]
                pool.shutdown(wait=False, cancel_futures=True)


def _start_worker(settings: Settings) -> None:
    """Load the resources, build the spaCy pipeline and load the NER model once, when a worker starts."""
    from lagebild.enrich.pipeline import get_ner, get_pipeline

    res = resources_for(settings)
    get_pipeline(res)
    get_ner(res)


def _ready(_: int) -> bool:
    return True


def _dask_client(address: str | None) -> Any:
    """This process's client of the cluster at `address` (None: a local cluster, started on first use)."""
    with _lock:
        key = address or "local"
        if key not in _clients:
            try:
                from distributed import Client
            except ImportError:
                raise TaskRunnerError("--task-runner dask needs dask.distributed: pip install distributed") from None
            logging.getLogger("distributed").setLevel(logging.WARNING)
            try:
                _clients[key] = Client(address or _local_cluster(), set_as_default=False)
            except OSError as exc:
                raise TaskRunnerError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
            if len(_clients) == 1:
                atexit.register(close)
        return _clients[key]


def _local_cluster() -> Any:
    global _cluster
    if _cluster is None:
        from distributed import LocalCluster

        _cluster = LocalCluster(n_workers=max(1, os.cpu_count() or 1), threads_per_worker=1, processes=True,
                                dashboard_address=None)
    return _cluster


def close() -> None:
    """Close this process's Dask clients and local cluster, and shut the process pools down."""
    global _cluster
    _cancel_prefetched()
    with _lock:
        for client in _clients.values():
            client.close()
        _clients.clear()
        if _cluster is not None:
            _cluster.close()
            _cluster = None
        for pool in _pools.values():
            pool.shutdown(wait=True)
        _pools.clear()
