"""The batch engine interface: run the pipeline over many articles, locally or on a cluster.

An engine takes articles and yields one ``Outcome`` per article, in input order. The pipeline function is
the same everywhere; each worker builds its ``Pipeline`` once (``Worker``) and reuses it for every article.

Workers are given a *pipeline factory* as an import path (``"module:callable"``, called with the settings)
rather than a pipeline object: a path pickles to any process or cluster node, while a loaded spaCy
pipeline would be hundreds of megabytes on the wire. Tests inject small factories the same way.
"""

from __future__ import annotations

import functools
import importlib
import os
import resource
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ..errors import ConfigError, FrontlineError

if TYPE_CHECKING:
    from ..article import Article
    from ..schema import Analysis
    from ..settings import Settings

PipelineFn = Callable[["Article"], "Analysis"]
PipelineFactory = Callable[["Settings | None"], PipelineFn]

# The real pipeline. Anything with the same shape (settings -> callable(Article) -> Analysis) may replace it.
DEFAULT_FACTORY = "frontline.engine.base:build_pipeline"


@dataclass
class Outcome:
    article: Article
    analysis: Analysis | None
    error: str | None = None  # why the article failed; the batch goes on

    @property
    def ok(self) -> bool:
        return self.error is None


@runtime_checkable
class Engine(Protocol):
    name: str

    def analyse(self, articles: Iterable[Article]) -> Iterator[Outcome]:
        """One Outcome per article, in input order."""
        ...

    def close(self) -> None:
        """Stop the workers; an engine is also a context manager that closes itself."""
        ...

    def __enter__(self) -> Engine: ...

    def __exit__(self, *exc: object) -> None: ...


# --- what runs in a worker -------------------------------------------------------------------------


def build_pipeline(settings: Settings | None) -> PipelineFn:
    """The default factory: Frontline's own pipeline, models and gazetteer loaded once."""
    from ..pipeline import Pipeline

    return Pipeline(settings=settings)


def load_factory(path: str) -> PipelineFactory:
    """Resolve ``"package.module:callable"``; a wrong path is a configuration error, raised at once."""
    module_name, _, attr = path.partition(":")
    if not module_name or not attr:
        raise ConfigError(f"pipeline factory {path!r} is not of the form 'package.module:callable'")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigError(f"pipeline factory module {module_name!r} cannot be imported: {exc}") from exc
    factory = getattr(module, attr, None)
    if not callable(factory):
        raise ConfigError(f"pipeline factory {path!r}: {module_name} has no callable {attr!r}")
    return factory


def analyse_chunk(pipeline: PipelineFn, articles: list[Article]) -> list[tuple[Analysis | None, str | None]]:
    """Run the pipeline on a chunk: parsed together when the pipeline can (spaCy is about a quarter faster
    on a batch than one text at a time), each article's failure kept to itself."""
    parse_many = getattr(pipeline, "parse_many", None)
    docs: list = [None] * len(articles)
    if parse_many is not None and len(articles) > 1:
        try:
            docs = parse_many(articles)
        except Exception:  # one unparsable text: fall back to one at a time, where it fails alone
            docs = [None] * len(articles)
    out = []
    for article, doc in zip(articles, docs, strict=True):
        if doc is None:
            out.append(analyse_one(pipeline, article))
        else:
            out.append(analyse_one(functools.partial(pipeline, doc=doc), article))  # type: ignore[call-arg]
    return out


def analyse_one(pipeline: PipelineFn, article: Article) -> tuple[Analysis | None, str | None]:
    """Run the pipeline on one article; its failure is returned as a message, never raised."""
    try:
        return pipeline(article), None
    except FrontlineError as exc:
        return None, str(exc)
    except Exception as exc:  # a bug on one article must not take the batch down; it is recorded
        return None, f"{type(exc).__name__}: {exc}"


def exit_with_parent(parent: int, *, every: float = 0.5) -> None:
    """End this worker process soon after ``parent`` (the process that started it) dies.

    A worker killed with its driver (``kill -9`` of an ingest) would otherwise sit on its loaded model,
    hundreds of megabytes, blocked on a queue nobody writes to any more, and keep multiprocessing's
    resource tracker alive with it. A daemon thread watches the parent id: when the parent dies the
    worker is re-parented, and it exits within ``every`` seconds. Polling rather than Linux's
    ``PR_SET_PDEATHSIG``, which fires when the *thread* that started the worker ends, not its process.
    """
    import threading

    if os.getppid() != parent:  # the parent died before this worker got here
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(every)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="frontline-parent-watch", daemon=True).start()


def peak_rss_bytes() -> int:
    """This process's peak resident memory so far."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return int(peak if sys.platform == "darwin" else peak * 1024)


@dataclass
class ChunkResult:
    """What a worker sends back for a chunk: per article (index, analysis, error), and who did it."""

    results: list[tuple[int, Analysis | None, str | None]]
    pid: int
    peak_rss: int
    # CPU seconds the worker spent on this chunk: on a shared machine, wall time says more about the
    # neighbours than about us, so capacity planning (docs/scaling.md) uses this.
    cpu_seconds: float = 0.0
    # Wall seconds the worker took to build its pipeline (imports, model, gazetteer, catalogue).
    load_seconds: float = 0.0
    # Set when the worker could not build its pipeline: no article was tried, and the run cannot go on.
    init_error: str | None = None


class Worker:
    """One per worker process (a pool process or a Ray actor): builds the pipeline once, then runs chunks.

    A pipeline that fails to load is remembered, not raised: a raising pool initializer only shows up as
    an anonymous broken pool, while this way the driver gets the real reason with the first chunk.
    """

    def __init__(self, factory: str, settings: Settings | None) -> None:
        self.pipeline: PipelineFn | None = None
        self.init_error: str | None = None
        start = time.perf_counter()
        try:
            self.pipeline = load_factory(factory)(settings)
        except Exception as exc:
            named = isinstance(exc, FrontlineError)  # our errors already say what and where
            self.init_error = str(exc) if named else f"{type(exc).__name__}: {exc}"
        self.load_seconds = time.perf_counter() - start

    def run(self, items: list[tuple[int, Article]]) -> ChunkResult:
        if self.pipeline is None:
            return ChunkResult([], os.getpid(), peak_rss_bytes(), init_error=self.init_error)
        cpu = time.process_time()
        results = [
            (index, *outcome)
            for (index, _), outcome in zip(
                items, analyse_chunk(self.pipeline, [a for _, a in items]), strict=True
            )
        ]
        return ChunkResult(
            results, os.getpid(), peak_rss_bytes(), time.process_time() - cpu, self.load_seconds
        )


@dataclass
class WorkerStats:
    """What the workers reported with their results: per process, peak resident memory (bytes) and how
    long the pipeline took to load; in all, the CPU time and number of articles they analysed."""

    peak_rss: dict[int, int] = field(default_factory=dict)
    load_seconds: dict[int, float] = field(default_factory=dict)
    cpu_seconds: float = 0.0
    articles: int = 0

    def record(self, result: ChunkResult) -> None:
        self.peak_rss[result.pid] = max(result.peak_rss, self.peak_rss.get(result.pid, 0))
        self.load_seconds[result.pid] = result.load_seconds
        self.cpu_seconds += result.cpu_seconds
        self.articles += len(result.results)

    @property
    def cpu_per_article(self) -> float:
        return self.cpu_seconds / self.articles if self.articles else 0.0

    @property
    def max_peak_rss(self) -> int:
        return max(self.peak_rss.values(), default=0)


# --- the reference engine --------------------------------------------------------------------------


class SerialEngine:
    """In this process, one article at a time: for tests, tiny inputs, and as the reference result."""

    name = "serial"

    def __init__(self, settings: Settings | None = None, *, pipeline_factory: str | None = None) -> None:
        self._settings = settings
        self._factory = pipeline_factory
        self._pipeline: PipelineFn | None = None

    def _get_pipeline(self) -> PipelineFn:
        if self._pipeline is None:
            if self._factory is None:
                from .. import get_pipeline

                # The process-wide pipeline when no settings are given, so `frontline.extract` and a
                # serial batch in the same process share one loaded model.
                self._pipeline = get_pipeline(self._settings)
            else:
                self._pipeline = load_factory(self._factory)(self._settings)
        return self._pipeline

    def analyse(self, articles: Iterable[Article]) -> Iterator[Outcome]:
        pipeline = self._get_pipeline()
        for article in articles:
            analysis, error = analyse_one(pipeline, article)
            yield Outcome(article, analysis, error)

    def close(self) -> None:
        self._pipeline = None

    def __enter__(self) -> SerialEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
