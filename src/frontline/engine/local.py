"""The ``local`` engine: a pool of worker processes on this machine, one pipeline each.

Processes, not threads: the pipeline is pure Python and spaCy around small native kernels, so threads
would queue on the GIL. Workers start with ``spawn`` by default (``forkserver`` is offered): forking a
parent that may hold threads, a database connection or a loaded model is unsafe, and spawn behaves the
same on Linux, macOS and Windows.

A worker that dies (a segfault in native code, the kernel's OOM killer) breaks the whole
``ProcessPoolExecutor``; the pool is then rebuilt and the unfinished articles retried as
``scheduler.run_ordered`` describes.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import signal
from collections.abc import Hashable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from ..errors import ConfigError, EngineError
from .base import DEFAULT_FACTORY, ChunkResult, Outcome, Worker, WorkerStats, exit_with_parent
from .scheduler import Chunk, ChunkFailed, WorkerLost, run_ordered

if TYPE_CHECKING:
    from ..article import Article
    from ..settings import Settings

# Small chunks keep both cores busy to the end of a run and give early first results; at ~0.1 s per
# article, eight articles amortise the pickling and queueing (well under 1 ms a chunk) to nothing.
DEFAULT_CHUNK_SIZE = 8

_worker: Worker | None = None  # the pool process's one Worker, built by _init_worker


def _init_worker(factory: str, settings: Settings | None, parent: int | None = None) -> None:
    global _worker
    # Ctrl-C reaches the whole process group; the driver handles it and shuts the pool down, so workers
    # ignore it instead of each printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Before the (slow) pipeline load: a driver killed meanwhile must not leave this process behind.
    exit_with_parent(parent if parent is not None else os.getppid())
    _worker = Worker(factory, settings)


def _run_chunk(chunk: Chunk) -> ChunkResult:
    if _worker is None:  # only if the pool was built without _init_worker: a bug here, not the input
        raise RuntimeError("worker process was not initialised")
    return _worker.run(chunk)


def _ping() -> int:
    return os.getpid()


STARTUP_DEATH = (
    "worker processes exit as they start, before analysing anything (in a script, is the code that "
    'starts the engine under `if __name__ == "__main__":`? spawned workers import the main module)'
)


def default_workers() -> int:
    """The cores this process may use (cgroup/affinity aware where the OS tells us)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


class _PoolBackend:
    def __init__(self, workers: int, factory: str, settings: Settings | None, context: str) -> None:
        self._workers = workers
        # Spawned workers are children of this process; forkserver's are the fork server's (which
        # itself exits with this process), so they watch whichever parent they find when they start.
        self._initargs = (factory, settings, os.getpid() if context == "spawn" else None)
        self._context = multiprocessing.get_context(context)
        self._pool: cf.ProcessPoolExecutor | None = None
        self._pings: list[cf.Future[int]] = []
        self._generation = 0
        self._born: dict[Hashable, int] = {}  # which pool generation a future was submitted to

    def _ensure_pool(self) -> cf.ProcessPoolExecutor:
        if self._pool is None:
            self._pool = cf.ProcessPoolExecutor(
                max_workers=self._workers,
                mp_context=self._context,
                initializer=_init_worker,
                initargs=self._initargs,
            )
            self._generation += 1
            # Start every worker now, from this thread: the pool otherwise spawns them on demand as work
            # is submitted, and a worker spawned while the pool is being torn down after a crash is missed
            # by the teardown, which then waits for it forever (CPython 3.11). Each submit spawns one.
            self._pings = [self._pool.submit(_ping) for _ in range(self._workers)]
        return self._pool

    def submit(self, chunk: Chunk) -> Hashable:
        try:
            future = self._ensure_pool().submit(_run_chunk, chunk)
        except BrokenProcessPool:  # a worker died while idle: the pool refuses work until rebuilt
            self.shutdown()
            future = self._ensure_pool().submit(_run_chunk, chunk)
        self._born[future] = self._generation
        return future

    def wait(self, handles: list[Hashable]) -> list[Hashable]:
        done, _ = cf.wait(handles, return_when=cf.FIRST_COMPLETED)  # type: ignore[arg-type]
        return list(done)

    def result(self, handle: Hashable) -> ChunkResult:
        future: cf.Future[ChunkResult] = handle  # type: ignore[assignment]
        try:
            result = future.result()
        except BrokenProcessPool as exc:
            raise WorkerLost(str(exc)) from exc
        except Exception as exc:  # the chunk's result or arguments could not cross the process boundary
            self._born.pop(handle, None)
            raise ChunkFailed(f"{type(exc).__name__}: {exc}") from exc
        self._born.pop(handle, None)
        return result

    def recover(self, handle: Hashable) -> None:
        # Every future of a broken pool fails; rebuild the pool once (for the first of them), not once per
        # failed future, and never a newer pool because of an old pool's future.
        if self._born.pop(handle, None) == self._generation:
            self.shutdown()
            # Before blaming articles, check that a fresh pool can run anything at all: if its workers die
            # as they start, retrying articles one by one would only spawn and bury processes.
            self._ensure_pool()
            try:
                for ping in self._pings:
                    ping.result()
            except BrokenProcessPool as exc:
                self.shutdown()
                raise EngineError(STARTUP_DEATH) from exc

    def shutdown(self, *, cancel: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=cancel)
            self._pool = None


class LocalEngine:
    """A process pool over this machine's cores (the default engine)."""

    name = "local"

    def __init__(
        self,
        settings: Settings | None = None,
        workers: int | None = None,
        *,
        pipeline_factory: str = DEFAULT_FACTORY,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        max_in_flight: int | None = None,
        context: str = "spawn",
    ) -> None:
        if workers is not None and workers < 1:
            raise ConfigError(f"workers must be at least 1 (got {workers})")
        if context not in ("spawn", "forkserver"):
            raise ConfigError(f"process start method {context!r}: use 'spawn' or 'forkserver'")
        self.workers = workers or default_workers()
        self.chunk_size = chunk_size
        # Two chunks a worker: one running, one queued, so no worker waits for the driver between chunks.
        self.max_in_flight = max_in_flight or 2 * self.workers
        self.stats = WorkerStats()
        self._backend = _PoolBackend(self.workers, pipeline_factory, settings, context)

    def analyse(self, articles: Iterable[Article]) -> Iterator[Outcome]:
        try:
            yield from run_ordered(
                self._backend,
                articles,
                chunk_size=self.chunk_size,
                max_in_flight=self.max_in_flight,
                stats=self.stats,
            )
        except BaseException:
            # Interrupted (Ctrl-C) or failed: don't leave queued chunks running behind the caller's back.
            self._backend.shutdown(cancel=True)
            raise

    def close(self) -> None:
        self._backend.shutdown(cancel=True)

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
