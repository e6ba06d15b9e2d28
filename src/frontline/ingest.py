"""Ingest: files, folders, web pages and feeds in; articles, events and control changes stored.

    inputs --expand--> jobs --read (thread pool)--> articles --skip stored--> engine (processes)
           --> store.save_analysis (this thread: the one writer, one transaction per article)

Re-runnable by construction: an article's id is its content hash, so anything already stored is skipped
before the (expensive) extraction, and a web page or feed entry already fetched is skipped before it is
fetched again. A run killed half-way leaves whole articles only; running it again does the rest.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from .article import Article, ReadFailure
from .errors import FetchError, InputError
from .sources import Expanded, Failure, Fetcher, Job, expand, read

if TYPE_CHECKING:
    from .engine.base import Engine
    from .settings import Settings
    from .store.base import Store


class Progress(Protocol):
    """What ingest reports as it goes (the CLI draws a rich progress bar from it)."""

    def add_total(self, n: int) -> None: ...

    def advance(self, status: str) -> None: ...


class NoProgress:
    def add_total(self, n: int) -> None:
        pass

    def advance(self, status: str) -> None:
        pass


class Stop(threading.Event):
    """A request to end a run cleanly after the article being saved, with who asked (a signal's name)."""

    reason: str | None = None

    def request(self, reason: str) -> None:
        self.reason = self.reason or reason
        self.set()


@dataclass
class IngestSummary:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[Failure] = field(default_factory=list)
    events_created: int = 0
    events_merged: int = 0
    control_changes: int = 0
    feeds: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # Set when the run was asked to stop before the end (the signal's name, e.g. "SIGTERM"), and how many
    # articles (or unread inputs, which may hold more) it left undone: a re-run does those.
    stopped: str | None = None
    not_done: int = 0

    @property
    def stored(self) -> int:
        return self.new + self.updated

    @property
    def total(self) -> int:
        return self.new + self.updated + self.unchanged + len(self.failed)

    @property
    def rate(self) -> float:
        """Articles handled per second (stored, skipped or failed)."""
        return self.total / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict:
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": [{"input": f.origin, "error": f.error} for f in self.failed],
            "events_created": self.events_created,
            "events_merged": self.events_merged,
            "control_changes": self.control_changes,
            "feeds": self.feeds,
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.rate, 2),
            "stopped": self.stopped,
            "not_done": self.not_done,
        }


def ingest(
    inputs: Iterable[str],
    store: Store,
    engine: Engine,
    *,
    fetcher: Fetcher | None = None,
    settings: Settings | None = None,
    fetch_workers: int = 8,
    progress: Progress | None = None,
    refetch: bool = False,
    stop: threading.Event | None = None,
) -> IngestSummary:
    """Read, extract and store everything the inputs hold; see the module doc.

    ``refetch`` fetches pages again even if they were fetched before (their content hash still decides
    whether anything changes). ``stop`` ends the run cleanly after the article being saved.
    """
    from .settings import get_settings

    settings = settings or get_settings()
    progress = progress or NoProgress()
    started = time.perf_counter()
    summary = IngestSummary()
    todo_inputs = []
    for item in inputs:
        # A page URL stored before (feeds are never recorded with an article) needs no second fetch.
        if item.startswith(("http://", "https://")) and not refetch and store.seen(item):
            summary.unchanged += 1
            continue
        todo_inputs.append(item)
    expanded: Expanded = expand(todo_inputs, fetcher)
    summary.failed.extend(expanded.failures)
    summary.feeds = expanded.feeds
    for failure in expanded.failures:
        if failure.origin.startswith(("http://", "https://")):
            store.mark_seen(failure.origin, None, error=failure.error)

    jobs: list[Job] = []
    for job in expanded.jobs:
        if job.kind == "url" and not refetch and store.seen(job.origin):
            summary.unchanged += 1
            continue
        jobs.append(job)
    progress.add_total(len(jobs))
    # Units of work (a job, or each article of a JSONL job) and how many have been dealt with: what a
    # stopped run reports as not done.
    units = len(jobs)
    handled = 0

    origins: dict[str, Job] = {}
    lock = threading.Lock()  # the engine may pull articles from another thread

    def advance(status: str) -> None:
        nonlocal handled
        with lock:
            handled += 1
        progress.advance(status)

    def fail(origin: str, error: str, job: Job | None) -> None:
        with lock:
            summary.failed.append(Failure(origin, error))
        if job is not None and job.kind == "url":
            store.mark_seen(job.origin, None, error=error)
        advance("failed")

    def articles() -> Iterator[Article]:
        nonlocal units
        for job, result in _read_all(jobs, fetcher, expanded, settings.max_article_bytes, fetch_workers):
            if stop is not None and stop.is_set():
                return
            if isinstance(result, Exception):
                fail(job.origin, str(result), job)
                continue
            if len(result) != 1:
                progress.add_total(len(result) - 1)  # a JSONL file: one unit per line
                with lock:
                    units += len(result) - 1
            for item in result:
                if isinstance(item, ReadFailure):
                    fail(f"{job.origin}:{item.line}", item.error, None)
                    continue
                with lock:
                    duplicate = item.id in origins
                if duplicate or store.has_article(item.id):
                    with lock:
                        summary.unchanged += 1
                    if job.kind == "url":
                        store.mark_seen(job.origin, item.id)
                    advance("unchanged")
                    continue
                with lock:
                    origins[item.id] = job
                yield item

    for outcome in engine.analyse(articles()):
        source_job = origins.get(outcome.article.id)
        origin = source_job.origin if source_job else None
        if not outcome.ok or outcome.analysis is None:
            fail(origin or outcome.article.id, outcome.error or "extraction failed", source_job)
            continue
        result = store.save_analysis(outcome.article, outcome.analysis, origin=origin)
        with lock:
            if result.status == "new":
                summary.new += 1
            elif result.status == "updated":
                summary.updated += 1
            else:
                summary.unchanged += 1
            summary.events_created += len(result.events_created)
            summary.events_merged += len(result.events_merged)
            summary.control_changes += len(result.control_changes)
        advance(result.status)
        if stop is not None and stop.is_set():
            break
    if stop is not None and stop.is_set():
        summary.stopped = getattr(stop, "reason", None) or "stop"
        summary.not_done = max(0, units - handled)
    summary.seconds = time.perf_counter() - started
    return summary


def _read_all(
    jobs: list[Job], fetcher: Fetcher | None, expanded: Expanded, max_bytes: int, workers: int
) -> Iterator[tuple[Job, list[Article | ReadFailure] | Exception]]:
    """Read jobs on a thread pool (fetching is I/O-bound), results in job order, a bounded window ahead
    so a corpus of a million files never sits in memory at once."""
    if not jobs:
        return
    window = max(1, workers) * 4
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="frontline-read") as pool:
        pending: deque[tuple[Job, Future]] = deque()
        it = iter(jobs)

        def submit() -> None:
            job = next(it, None)
            if job is not None:
                pending.append(
                    (
                        job,
                        pool.submit(
                            read,
                            job,
                            fetcher,
                            max_bytes=max_bytes,
                            prefetched=expanded.prefetched.get(job.origin),
                        ),
                    )
                )

        for _ in range(window):
            submit()
        try:
            while pending:
                job, future = pending.popleft()
                submit()
                try:
                    yield job, future.result()
                except (InputError, FetchError) as exc:
                    yield job, exc
                except Exception as exc:  # a reader bug on one input is that input's failure, not the run's
                    yield job, RuntimeError(f"{type(exc).__name__}: {exc}")
        finally:
            for _, future in pending:
                future.cancel()


# --- watch -----------------------------------------------------------------------------------------

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """'15m', '1h', '90s', '2d' or plain seconds, to seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text.lower())
    if not match:
        raise InputError(f"interval {text!r} is not like 15m, 1h, 90s", field="every")
    seconds = float(match.group(1)) * _UNITS.get(match.group(2) or "s", 1)
    if seconds < 1:
        raise InputError("interval must be at least one second", field="every")
    return seconds


def watch(
    feeds: list[str],
    store: Store,
    engine: Engine,
    *,
    every: float,
    fetcher: Fetcher,
    settings: Settings | None = None,
    rounds: int | None = None,
    on_round: Callable[[int, IngestSummary], None] | None = None,
    stop: threading.Event | None = None,
    fetch_workers: int = 8,
) -> int:
    """Poll feeds every ``every`` seconds and ingest what is new, until ``stop`` is set (or ``rounds``
    rounds have run). A feed that is down or malformed is that round's failure; the others go on, and
    it is tried again next round. Returns the number of rounds run."""
    stop = stop or threading.Event()
    done = 0
    while not stop.is_set() and (rounds is None or done < rounds):
        summary = ingest(
            feeds, store, engine, fetcher=fetcher, settings=settings, stop=stop, fetch_workers=fetch_workers
        )
        done += 1
        if on_round is not None:
            on_round(done, summary)
        if rounds is not None and done >= rounds:
            break
        stop.wait(every)
    return done
