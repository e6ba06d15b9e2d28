"""Running the pipeline for the API's analysing routes, within a time budget and off the event loop.

An analysis is seconds to minutes of CPU in pure Python and Cython that holds the GIL for long
stretches: run in the server's process it starves every other request, and a thread cannot be stopped
once it has started. So by default the pipeline runs in a child process (``ProcessAnalyser``): the
server's own threads only wait on a pipe, other requests are served meanwhile, and an analysis that
exceeds ``Settings.analyse_timeout`` (or is still running at shutdown) is ended by killing the child,
which is started afresh for the next request.

A pipeline passed in as a Python callable (tests, embedding) cannot cross to another process:
``ThreadAnalyser`` runs it on a thread of its own and stops *waiting* at the budget, but cannot stop
the work; use a pipeline factory (an import path) for a hard limit.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import ExtractionError, FrontlineError, TimeLimitExceeded

if TYPE_CHECKING:
    from ..article import Article
    from ..schema import Analysis
    from ..settings import Settings

log = logging.getLogger("frontline.api")

# Loading spaCy, the gazetteer and the catalogue: not part of any request's budget, but bounded.
LOAD_TIMEOUT = 300.0


class Analyser(Protocol):
    """Article in, Analysis out, within ``timeout`` seconds or ``TimeLimitExceeded``."""

    def analyse(self, article: Article, *, timeout: float) -> Analysis: ...

    def close(self) -> None:
        """Stop any analysis under way (its request gets an error) and release the worker."""
        ...


def _over_budget(timeout: float, waited: float = 0.0) -> TimeLimitExceeded:
    queued = f" (it waited {waited:.0f} s for an earlier analysis)" if waited >= 1 else ""
    return TimeLimitExceeded(
        f"the analysis did not finish within the server's {timeout:g} s budget per request{queued}; "
        "send a shorter article, split it, or raise FRONTLINE_ANALYSE_TIMEOUT",
        source="<request>",
    )


# --- in a child process ----------------------------------------------------------------------------


def _child(conn: Connection, factory: str, settings: Settings | None, parent: int) -> None:
    """The child's loop: build the pipeline once, then analyse what the parent sends until it hangs up."""
    import signal

    from ..engine.base import exit_with_parent, load_factory

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server handles Ctrl-C, and stops us
    exit_with_parent(parent)
    try:
        pipeline = load_factory(factory)(settings)
    except Exception as exc:
        conn.send(("error", _error_state(exc)))
        return
    conn.send(("ready", None))
    while True:
        try:
            article = conn.recv()
        except (EOFError, OSError):
            return
        try:
            result: tuple[str, Any] = ("ok", pipeline(article))
        except Exception as exc:
            result = ("error", _error_state(exc))
        conn.send(result)


def _error_state(exc: BaseException) -> tuple[str, str, dict[str, Any]]:
    """An exception as plain data: our error classes by name with their context, others as text."""
    if isinstance(exc, FrontlineError):
        fields = {"source": exc.source, "line": exc.line, "field": exc.field}
        return type(exc).__name__, exc.message, fields
    return "ExtractionError", f"{type(exc).__name__}: {exc}", {}


def _rebuild(state: tuple[str, str, dict[str, Any]]) -> FrontlineError:
    from .. import errors

    name, message, fields = state
    cls = getattr(errors, name, None)
    if not (isinstance(cls, type) and issubclass(cls, FrontlineError)):
        cls = ExtractionError
    return cls(message, **fields)


class ProcessAnalyser:
    """The pipeline (built by an import-path factory) in one child process, killed on time-out."""

    def __init__(self, factory: str, settings: Settings | None = None) -> None:
        self._factory = factory
        self._settings = settings
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()  # one analysis at a time in the one child
        self._state = threading.Lock()  # guards _proc/_conn against close() from another thread
        self._proc: Any = None
        self._conn: Connection | None = None
        self._closed = False

    def analyse(self, article: Article, *, timeout: float) -> Analysis:
        started = time.monotonic()
        if not self._lock.acquire(timeout=timeout):
            raise _over_budget(timeout, time.monotonic() - started)
        try:
            waited = time.monotonic() - started  # behind earlier analyses: part of this one's budget
            conn = self._ready()  # loading the pipeline is not: it is the server's cost, paid once
            try:
                conn.send(article)
                if not conn.poll(max(0.0, timeout - waited)):
                    self._kill("over its time budget")
                    raise _over_budget(timeout, waited)
                kind, payload = conn.recv()
            except (EOFError, OSError, BrokenPipeError):
                self._kill("lost")
                if self._closed:
                    raise TimeLimitExceeded(
                        "the server is shutting down; the analysis was stopped", source="<request>"
                    ) from None
                raise ExtractionError(
                    "the analysis process died (out of memory, or a crash in native code); "
                    "it is restarted for the next request",
                    source="<request>",
                ) from None
            if kind == "ok":
                analysis: Analysis = payload
                return analysis
            raise _rebuild(payload)
        finally:
            self._lock.release()

    def _ready(self) -> Connection:
        """The child's end of the pipe, starting the child (and waiting for its pipeline) if needed."""
        with self._state:
            if self._closed:
                raise TimeLimitExceeded("the server is shutting down", source="<request>")
            if self._proc is not None and self._proc.is_alive() and self._conn is not None:
                return self._conn
            ours, theirs = self._context.Pipe()
            proc = self._context.Process(
                target=_child,
                args=(theirs, self._factory, self._settings, os.getpid()),
                name="frontline-analyse",
                daemon=True,  # never outlives the server, even if close() is not reached
            )
            proc.start()
            theirs.close()
            self._proc, self._conn = proc, ours
        if not ours.poll(LOAD_TIMEOUT):
            self._kill("slow to load")
            raise ExtractionError(f"the pipeline did not load within {LOAD_TIMEOUT:g} s", source="<server>")
        try:
            kind, payload = ours.recv()
        except (EOFError, OSError):
            self._kill("died loading")
            raise ExtractionError("the analysis process died while loading the pipeline") from None
        if kind != "ready":
            self._kill("failed to load")
            raise _rebuild(payload)
        return ours

    def _kill(self, why: str) -> None:
        with self._state:
            proc, conn = self._proc, self._conn
            self._proc = self._conn = None
        if proc is not None and proc.is_alive():
            log.warning("stopping the analysis process (pid %s): %s", proc.pid, why)
            proc.kill()
        if proc is not None:
            proc.join(5)
        if conn is not None:
            conn.close()

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs (for tests and the log)."""
        proc = self._proc
        return proc.pid if proc is not None and proc.is_alive() else None

    def close(self) -> None:
        self._closed = True
        self._kill("server shutting down")


# --- in a thread -----------------------------------------------------------------------------------


class ThreadAnalyser:
    """A pipeline callable run on a worker thread: the request stops waiting at the budget; the work
    itself runs on (a thread cannot be stopped), and later requests queue behind it."""

    def __init__(self, pipeline: Callable[[Article], Analysis]) -> None:
        self._pipeline = pipeline
        self._lock = threading.Lock()  # spaCy makes no promise about concurrent calls
        self._closed = False

    def analyse(self, article: Article, *, timeout: float) -> Analysis:
        if self._closed:
            raise TimeLimitExceeded("the server is shutting down", source="<request>")
        started = time.monotonic()
        if not self._lock.acquire(timeout=timeout):
            raise _over_budget(timeout, time.monotonic() - started)
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["ok"] = self._pipeline(article)
            except BaseException as exc:
                box["error"] = exc
            finally:
                self._lock.release()

        worker = threading.Thread(target=run, name="frontline-analyse", daemon=True)
        worker.start()
        worker.join(max(0.0, timeout - (time.monotonic() - started)))
        if worker.is_alive():
            raise _over_budget(timeout)
        if "error" in box:
            error = box["error"]
            if isinstance(error, FrontlineError):
                raise error
            raise ExtractionError(f"{type(error).__name__}: {error}", source="<request>") from error
        analysis: Analysis = box["ok"]
        return analysis

    def close(self) -> None:
        self._closed = True
