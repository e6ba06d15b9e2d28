"""The ``ray`` engine: the same pipeline on a Ray cluster, one pipeline per actor.

Ray is an optional extra (``pip install 'frontline[ray]'``) and is imported only when this engine is asked
for. Without ``address`` it joins the Ray instance this process already started, or starts a local one;
``address="auto"`` joins the cluster running on this machine (``ray start --head``), and
``ray://host:10001`` a remote one through Ray Client.

Why actors rather than Ray Data: an actor is a long-lived process that loads spaCy, the gazetteer and the
actor catalogue once, like a pool worker; Ray Data would do the same with a class UDF, but its streaming
executor reorders blocks and adds its own start-up, while the engine contract is an ordered stream of
outcomes that ``ingest`` and ``extract`` consume as it comes. The driver-side logic (chunks, bounded work
in flight, order, retries) is the local engine's, from ``scheduler``.

Fault tolerance is Ray's first: an actor whose process dies is restarted (``max_restarts``) and the chunk
it was running is retried on it (``max_task_retries``). A chunk that fails even so is handed to the
scheduler, which retries its articles one at a time (Ray again giving each two attempts) and records one
that kills its worker both times as failed.

Every node needs Frontline installed (same version) and its gazetteer index: build it once per node with
``frontline gazetteer build``, or point ``FRONTLINE_GAZETTEER_PATH`` at a shared copy.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, EngineError
from .base import DEFAULT_FACTORY, ChunkResult, Outcome, Worker, WorkerStats
from .local import DEFAULT_CHUNK_SIZE, default_workers
from .scheduler import Chunk, ChunkFailed, WorkerLost, run_ordered

if TYPE_CHECKING:
    from ..article import Article
    from ..settings import Settings

INSTALL_HINT = "install it with pip install 'frontline[ray]'"

# Results and arguments are small (a chunk of articles, their analyses) and travel inline, not through the
# object store; a local instance therefore needs little of it, and reserving Ray's default (30% of RAM)
# would compete with the workers' models for memory on a laptop.
LOCAL_OBJECT_STORE_BYTES = 256 * 1024 * 1024


def import_ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise ConfigError(f"the ray engine needs Ray, which is not installed; {INSTALL_HINT}") from exc
    return ray


class _RayWorker:
    """The actor: a ``Worker`` (one pipeline) living in a Ray worker process."""

    def __init__(self, factory: str, settings: Settings | None) -> None:
        self._worker = Worker(factory, settings)

    def run(self, chunk: Chunk) -> ChunkResult:
        return self._worker.run(chunk)


class _RayBackend:
    def __init__(self, ray: Any, actors: list[Any]) -> None:
        self._ray = ray
        self._actors = actors
        self._load = [0] * len(actors)  # chunks in flight per actor
        self._owner: dict[Hashable, int] = {}
        # Deaths of the process, the node, or the object holding a result: the chunk may not have run.
        ex = ray.exceptions
        self._lost = (
            ex.RayActorError,
            ex.WorkerCrashedError,
            ex.NodeDiedError,
            ex.ObjectLostError,
            ex.OwnerDiedError,
            ex.OutOfMemoryError,
        )

    def submit(self, chunk: Chunk) -> Hashable:
        # The least busy actor; ties go to the first, so a short run stays on as few actors as it needs.
        index = min(range(len(self._actors)), key=self._load.__getitem__)
        ref = self._actors[index].run.remote(chunk)
        self._load[index] += 1
        self._owner[ref] = index
        return ref

    def wait(self, handles: list[Hashable]) -> list[Hashable]:
        ready, _ = self._ray.wait(handles, num_returns=1)
        return list(ready)

    def result(self, handle: Hashable) -> ChunkResult:
        self._load[self._owner.pop(handle)] -= 1
        try:
            return self._ray.get(handle)
        except self._ray.exceptions.RayActorError as exc:
            if getattr(exc, "actor_init_failed", False):
                # The actor could not even be created (Frontline not installed on that node, an
                # unpicklable setting ...): every article would fail the same way, so stop here.
                raise EngineError(f"a Ray worker could not start: {exc}") from exc
            raise WorkerLost(str(exc)) from exc
        except self._lost as exc:
            raise WorkerLost(str(exc)) from exc
        except self._ray.exceptions.RayError as exc:  # e.g. a result that would not serialise
            raise ChunkFailed(f"{type(exc).__name__}: {exc}") from exc

    def recover(self, handle: Hashable) -> None:
        pass  # Ray restarts dead actors itself (max_restarts=-1)


class RayEngine:
    """Actors on a Ray cluster (or a local Ray instance), one pipeline each."""

    name = "ray"

    def __init__(
        self,
        settings: Settings | None = None,
        workers: int | None = None,
        *,
        address: str | None = None,
        pipeline_factory: str = DEFAULT_FACTORY,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        max_in_flight: int | None = None,
        runtime_env: dict[str, Any] | None = None,
    ) -> None:
        if workers is not None and workers < 1:
            raise ConfigError(f"workers must be at least 1 (got {workers})")
        ray = import_ray()
        self._ray = ray
        self._started_here = False
        self._actors: list[Any] = []
        if not ray.is_initialized():
            self._connect(address, workers, runtime_env)
        cpus = self._cluster_cpus()
        if workers is not None and workers > cpus:
            # An actor needs a CPU; one that cannot get one waits forever, and so would its chunks.
            self.close()
            raise ConfigError(
                f"{workers} Ray workers asked for, but the cluster has {cpus} CPUs; ask for "
                f"at most {cpus}, or leave the number out to use them all"
            )
        self.workers = workers or cpus
        self.chunk_size = chunk_size
        self.max_in_flight = max_in_flight or 2 * self.workers
        self.stats = WorkerStats()
        actor_class = ray.remote(_RayWorker).options(
            num_cpus=1,
            # Restart a dead actor as often as it dies: each death is one article (or one node) going
            # bad, and the scheduler stops retrying an article after its second death.
            max_restarts=-1,
            # Retry the chunk that was running when its actor died, once, on the restarted actor.
            max_task_retries=1,
        )
        self._actors = [actor_class.remote(pipeline_factory, settings) for _ in range(self.workers)]
        self._backend = _RayBackend(ray, self._actors)

    def _connect(self, address: str | None, workers: int | None, runtime_env: dict[str, Any] | None) -> None:
        ray = self._ray
        options: dict[str, Any] = {
            "include_dashboard": False,
            # Worker output would interleave with the command's own; crashes still reach us as errors.
            "log_to_driver": False,
            "logging_level": logging.WARNING,
            "runtime_env": runtime_env,
        }
        try:
            if address:
                ray.init(address=address, **options)
            else:
                ray.init(
                    num_cpus=workers or default_workers(),
                    object_store_memory=LOCAL_OBJECT_STORE_BYTES,
                    **options,
                )
        except ConnectionError as exc:
            raise EngineError(
                f"no Ray cluster at {address!r}: {exc}. Start one with `ray start --head`, or "
                "leave out the address to start a local Ray instance"
            ) from exc
        except Exception as exc:  # Ray raises RuntimeError, ValueError ... for bad addresses and set-ups
            raise EngineError(
                f"Ray could not start or connect ({address or 'local'}): {type(exc).__name__}: {exc}"
            ) from exc
        self._started_here = True

    def _cluster_cpus(self) -> int:
        cpus = int(self._ray.cluster_resources().get("CPU", 0))
        if cpus < 1:
            raise EngineError("the Ray cluster reports no CPUs to run workers on")
        return cpus

    def analyse(self, articles: Iterable[Article]) -> Iterator[Outcome]:
        if self._backend is None:
            raise EngineError("the ray engine was closed")
        yield from run_ordered(
            self._backend,
            articles,
            chunk_size=self.chunk_size,
            max_in_flight=self.max_in_flight,
            stats=self.stats,
            # Ray already gives every task, a suspect's too, a second attempt (max_task_retries=1).
            solo_attempts=1,
        )

    def close(self) -> None:
        for actor in self._actors:
            self._ray.kill(actor)
        self._actors = []
        self._backend = None  # type: ignore[assignment]
        if self._started_here:
            self._ray.shutdown()
            self._started_here = False

    def __enter__(self) -> RayEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
