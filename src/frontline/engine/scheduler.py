"""The driver's side of every parallel engine: chunking, bounded work in flight, input order, retries.

The local pool and Ray differ only in how a chunk is sent to a worker and how a dead worker shows up; the
rest, and the hard part (never losing or doubling an article when a worker dies), is here, once:

- the first chunks are small (1, 2, 4 ... articles up to ``chunk_size``), so the first results come as soon
  as a worker has loaded its pipeline, not after a full chunk;
- articles are read from the input lazily, a chunk at a time, and at most ``max_pending`` of them are held
  (sent, or finished but waiting for an earlier one), so memory stays flat however long the input is;
- finished chunks wait in a reorder buffer keyed by the article's position, so output is in input order
  even though chunks finish in any order;
- a chunk whose worker died is not failed: its articles become *suspects*. Once the work in flight has
  drained, each suspect is retried on its own, one at a time, so an article that kills its worker is
  pinned down exactly (it is recorded as failed when it has done so twice on its own), and no innocent
  neighbour is blamed for it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Protocol

from ..errors import EngineError
from .base import ChunkResult, Outcome, WorkerStats

if TYPE_CHECKING:
    from ..article import Article

Chunk = list[tuple[int, "Article"]]

DIED_TWICE = (
    "the worker process died twice while analysing this article on its own "
    "(a crash in native code, or out of memory?)"
)


class WorkerLost(Exception):
    """The worker running a chunk died; nothing of the chunk can be trusted to have been done."""


class ChunkFailed(Exception):
    """The chunk came back as an error that is not a worker's death (e.g. a result that would not
    pickle): its articles are recorded as failed with this message."""


class Backend(Protocol):
    """How one engine sends chunks to its workers. Handles are whatever the engine tracks a chunk by."""

    def submit(self, chunk: Chunk) -> Hashable: ...

    def wait(self, handles: list[Hashable]) -> list[Hashable]:
        """Block until at least one handle is done; return the done ones."""
        ...

    def result(self, handle: Hashable) -> ChunkResult:
        """The chunk's result; raises ``WorkerLost`` or ``ChunkFailed``."""
        ...

    def recover(self, handle: Hashable) -> None:
        """Make the engine usable again after ``handle``'s worker died (restart a pool, ...)."""
        ...


def run_ordered(
    backend: Backend,
    articles: Iterable[Article],
    *,
    chunk_size: int,
    max_in_flight: int,
    stats: WorkerStats | None = None,
    solo_attempts: int = 2,
) -> Iterator[Outcome]:
    """Send ``articles`` through ``backend`` in chunks; yield one Outcome per article, in input order.

    ``solo_attempts``: how often a suspect is run on its own before it is recorded as failed (an engine
    that already retries every task itself, like Ray, passes 1).
    """
    if chunk_size < 1 or max_in_flight < 1:
        raise EngineError(f"chunk_size and max_in_flight must be positive, not {chunk_size}, {max_in_flight}")
    source = enumerate(articles)
    # Finished work may wait for one slow chunk ahead of it; twice the in-flight work bounds that wait.
    max_pending = 2 * chunk_size * max_in_flight
    held: dict[int, Article] = {}  # taken from the input, not finished (in flight or suspect)
    ready: dict[int, Outcome] = {}  # finished, waiting for an earlier article to be yielded first
    in_flight: dict[Hashable, list[int]] = {}
    suspects: list[int] = []
    next_out = 0
    exhausted = False
    next_size = 1

    def take(result: ChunkResult) -> None:
        if result.init_error is not None:
            raise EngineError(f"a worker could not load the pipeline: {result.init_error}")
        if stats is not None:
            stats.record(result)
        for index, analysis, error in result.results:
            ready[index] = Outcome(held.pop(index), analysis, error)

    def _run_alone(index: int) -> None:
        # A suspect may only have been in the wrong chunk, never having run at all; dying on its own is
        # what counts against it, and it is given that chance `solo_attempts` times.
        for _ in range(solo_attempts):
            handle = backend.submit([(index, held[index])])
            backend.wait([handle])
            try:
                take(backend.result(handle))
                return
            except WorkerLost:
                backend.recover(handle)
            except ChunkFailed as exc:
                ready[index] = Outcome(held.pop(index), None, str(exc))
                return
        ready[index] = Outcome(held.pop(index), None, DIED_TWICE)

    while True:
        # Stop feeding while suspects wait: they are retried alone, with nothing else running beside them.
        while (
            not exhausted
            and not suspects
            and len(in_flight) < max_in_flight
            # Finished results count too: behind one slow article they would otherwise pile up unbounded.
            and len(held) + len(ready) + chunk_size <= max_pending
        ):
            chunk = list(islice(source, next_size))
            if not chunk:
                exhausted = True
                break
            next_size = min(2 * next_size, chunk_size)
            held.update(chunk)
            in_flight[backend.submit(chunk)] = [index for index, _ in chunk]

        if in_flight:
            for handle in backend.wait(list(in_flight)):
                indices = in_flight.pop(handle)
                try:
                    take(backend.result(handle))
                except WorkerLost:
                    backend.recover(handle)
                    suspects.extend(indices)
                except ChunkFailed as exc:
                    for index in indices:
                        ready[index] = Outcome(held.pop(index), None, str(exc))
        elif suspects:
            for index in sorted(suspects):
                _run_alone(index)
            suspects.clear()
        elif exhausted:
            break

        while next_out in ready:
            yield ready.pop(next_out)
            next_out += 1

    if held or ready:  # every article taken must have been yielded: anything else is a bug here
        raise EngineError(f"internal error: {len(held) + len(ready)} articles were not accounted for")
