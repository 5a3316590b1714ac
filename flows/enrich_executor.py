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
(`prefetch`, called by the flow before its enrich step, with this batch's articles first and the next
batch's after them). The workers never wait for this process: when one finishes its last chunk of this
batch, it takes the next batch's first. The enrich step takes the results (`enrich_in_order`) and
enriches only what was not sent. Enrichment is a pure function of the article, so a prefetched result is
the one it would compute.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import BrokenExecutor, Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
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


@dataclass(frozen=True)
class _Sent:
    """An article enriching on the executor: its chunk's future and its index in the chunk."""

    executor: Executor
    future: Future[list[Enrichment]]
    index: int
    ahead: bool  # sent for a later batch than the one running then (it enriched while that one loaded)
    due: int  # the number of the collection (enrich step) that takes it; not taken by then: cancelled


_prefetched: dict[Article, _Sent] = {}
_collections = 0  # enrich steps of this process that took results (`_collect_prefetched`)


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
    Articles already sent by `prefetch` are taken from there."""
    done, ahead = _collect_prefetched(articles)
    if ahead:
        log.info("%d of %d articles were enriched while the previous batch loaded", ahead, len(articles))
    rest = [a for a in articles if a not in done]
    for article, enrichment in zip(rest, _enrich_now(settings, rest), strict=True):
        done[article] = enrichment
    return [done[a] for a in articles]


def can_prefetch(settings: Settings) -> bool:
    """Whether enrichment runs off this process (a pool of several workers, or Dask), so that the next
    batch can enrich while this one loads."""
    return settings.enrich_workers > 1 or parse_spec(settings.task_runner) is not None


def prefetch(settings: Settings, upcoming: Sequence[Article], current: Sequence[Article] = ()) -> int:
    """Send `current` (this batch's articles not sent yet), then `upcoming` (the next batch's) to the
    executor and return at once: the number sent now. The next batch enriches while this one loads, and a
    worker that finishes this batch's last chunk goes on with the next batch's first. Whatever was sent
    before for other articles is cancelled (files changed or taken since). Nothing is sent when
    enrichment runs in this process (it would only compete with the load) or for a batch too small for
    the executor."""
    wanted = {*current, *upcoming}
    with _lock:
        stale = {a: _prefetched.pop(a) for a in list(_prefetched) if a not in wanted}
    _cancel(stale.values())
    sent = 0
    for articles, ahead in ((current, False), (upcoming, True)):
        if not articles:
            continue
        backend = _executor_for_batch(settings, len(articles))
        with _lock:
            due = _collections + (2 if ahead else 1)
            missing = []
            for a in articles:
                if a in _prefetched:
                    _prefetched[a] = replace(_prefetched[a], due=due)
                else:
                    missing.append(a)
        if backend is None or not missing:
            continue
        executor, slots = backend
        for chunk in split(missing, 2 * slots):
            future = executor.submit(enrich_chunk, settings, chunk)
            with _lock:
                _prefetched.update({a: _Sent(executor, future, i, ahead, due) for i, a in enumerate(chunk)})
        sent += len(missing)
    return sent


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


def _collect_prefetched(articles: Sequence[Article]) -> tuple[dict[Article, Enrichment], int]:
    """The results of these articles that were sent ahead (waiting for them), and how many were sent for
    this batch while the previous one ran. A chunk that failed is enriched again by the caller, so a bad
    text is isolated there as in any batch. Articles due by now but not asked for (their file changed or
    was taken since) are cancelled; those sent for a later batch stay."""
    global _collections
    with _lock:
        _collections += 1
        mine = {a: _prefetched.pop(a) for a in articles if a in _prefetched}
        stale = {a: _prefetched.pop(a) for a, sent in list(_prefetched.items()) if sent.due <= _collections}
    _cancel(stale.values(), keep={id(s.future) for s in mine.values()})
    out: dict[Article, Enrichment] = {}
    for article, sent in mine.items():
        try:
            out[article] = sent.future.result()[sent.index]
        except BrokenExecutor:  # a worker died: the rest is enriched on a new pool
            _drop_pool(sent.executor)
        except Exception:  # noqa: BLE001, S110 - enriched again below, where the failing article is isolated
            pass
    return out, sum(1 for a, sent in mine.items() if sent.ahead and a in out)


def _cancel(dropped: Iterable[_Sent], keep: set[int] | frozenset[int] = frozenset()) -> None:
    """Cancel the chunks of these dropped articles, but for chunks in `keep` (by id) or still holding an
    article that is waited for."""
    with _lock:
        keep = {*keep, *(id(s.future) for s in _prefetched.values())}
    for key, future in {id(s.future): s.future for s in dropped}.items():
        if key not in keep:
            future.cancel()


def _cancel_prefetched() -> None:
    """Forget every article sent ahead and cancel its chunk."""
    with _lock:
        dropped = list(_prefetched.values())
        _prefetched.clear()
    _cancel(dropped)


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
        _start_pool(settings, wait=True)


def start_early(settings: Settings, backlog: int) -> None:
    """Start the local pool's workers now, without waiting for them, when a backlog of `backlog` files will
    use them: each loads the model while this process reads and parses the first batch."""
    workers = settings.enrich_workers
    if parse_spec(settings.task_runner) is None and workers > 1 and backlog >= workers * POOL_START_PER_WORKER:
        _start_pool(settings, wait=False)


def _start_pool(settings: Settings, wait: bool) -> None:
    """Start the local pool's workers (each loads the model in its initializer); `wait`: until all are ready."""
    pool = _local_pool(settings)
    started = [pool.submit(_ready, i) for i in range(settings.enrich_workers)]
    for future in started if wait else ():
        future.result()


LAST_BATCH_SHARE = 5  # with overlap, a backlog's last batch holds at most 1/LAST_BATCH_SHARE of a batch


def batch_spans(count: int, size: int, overlapped: bool) -> list[tuple[int, int]]:
    """(start, end) of the batches of a backlog of `count` files, `size` files each. With overlap
    (`can_prefetch`), the last batch loads with no next batch to enrich meanwhile, so the workers wait for
    it: a backlog of several batches then ends with a batch of at most size // LAST_BATCH_SHARE files, cut
    from the end of the one before, and that wait is short."""
    spans = [(start, min(start + size, count)) for start in range(0, count, size)]
    tail = max(1, size // LAST_BATCH_SHARE)
    if overlapped and len(spans) > 1 and spans[-1][1] - spans[-1][0] > tail:
        start, end = spans.pop()
        spans += [(start, end - tail), (end - tail, end)]
    return spans


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
