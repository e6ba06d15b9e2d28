"""Many articles in, many results out: JSONL and Parquet corpora through an engine, to JSONL or Parquet.

``extract_batch`` is what ``frontline extract`` runs for corpora (JSONL or Parquet files, folders, globs).
With ``progress`` it keeps a line on stderr (done, failed, articles/s) up to date; the summary it returns
is what the caller prints at the end.
It streams: the input is read as the engine asks for more, results are written as they come back, and
neither the corpus nor the results are ever all in memory.

Output is in input order, one result per input record: an article's Analysis, or ``{"id", "error"}`` for a
record that could not be read or analysed (the run goes on; ``BatchSummary.failed`` counts them). Output
files appear only when complete (written beside the target, then renamed), so an interrupted run never
leaves a half-written file in place of a good one.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal

from ..article import DEFAULT_MAX_BYTES, Article, ReadFailure, iter_jsonl, iter_jsonl_file
from ..errors import ConfigError, EngineError, FetchError, InputError

if TYPE_CHECKING:
    from ..io_parquet import ParquetDatasetWriter
    from ..schema import Analysis
    from ..settings import Settings
    from ..sources import Fetcher
    from .base import Engine

JSONL_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet", ".pq")
OutFormat = Literal["jsonl", "parquet"]


@dataclass
class BatchSummary:
    done: int  # articles analysed
    failed: int  # records that could not be read or analysed
    seconds: float

    @property
    def total(self) -> int:
        return self.done + self.failed

    @property
    def rate(self) -> float:
        """Records per second over the whole run, start-up included."""
        return self.total / self.seconds if self.seconds > 0 else 0.0

    def __str__(self) -> str:
        return (
            f"{self.done:,} done, {self.failed:,} failed in {self.seconds:.1f} s ({self.rate:.1f} articles/s)"
        )


# --- inputs ----------------------------------------------------------------------------------------


def expand_inputs(inputs: Iterable[str]) -> list[Path | str | None]:
    """Files, folders and globs (by ``sources.input_files``: the rules ``ingest`` uses too), and web
    pages or feeds by URL, in a stable order.

    ``-`` (standard input, JSONL) comes back as ``None``, a URL as its string.
    """
    from ..sources import input_files, is_url

    paths: list[Path | str | None] = []
    for item in inputs:
        if item == "-":
            paths.append(None)
        elif is_url(item):
            paths.append(item)
        else:
            paths.extend(input_files(item))
    if not paths:
        raise InputError("no input given")
    return paths


def _iter_stdin(max_bytes: int) -> Iterator[Article | ReadFailure]:
    for number, raw in enumerate(sys.stdin.buffer, 1):
        if not raw.strip():
            continue
        if len(raw) > max_bytes:
            yield ReadFailure(
                None,
                number,
                str(InputError(f"line is over the {max_bytes:,}-byte limit", source="<stdin>", line=number)),
            )
            continue
        for item in iter_jsonl(raw.decode("utf-8-sig", errors="replace"), name="<stdin>"):
            if isinstance(item, ReadFailure):
                yield ReadFailure(item.id, number, item.error.replace("line 1", f"line {number}"))
            else:
                yield item


def iter_records(
    paths: list[Path | str | None],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    fetcher: Fetcher | None = None,
) -> Iterator[Article | ReadFailure]:
    """Every record of every input, streamed: an Article, or a ReadFailure for one that is not.

    JSONL and Parquet are streamed record by record; a text, HTML or JSON file is one article; a feed
    (file or URL) gives the articles of its entries' pages, fetched with ``fetcher``. An input that
    cannot be read at all is one ReadFailure naming it, and the rest go on.
    """
    from ..sources import FEED_SUFFIXES, expand, read

    for path in paths:
        if path is None:
            yield from _iter_stdin(max_bytes)
            continue
        if isinstance(path, Path) and path.suffix.lower() in PARQUET_SUFFIXES:
            from ..io_parquet import iter_parquet_file

            yield from iter_parquet_file(path, max_bytes=max_bytes)
            continue
        if isinstance(path, Path) and path.suffix.lower() in JSONL_SUFFIXES:
            yield from iter_jsonl_file(path, max_bytes=max_bytes)
            continue
        if isinstance(path, Path) and path.suffix.lower() not in FEED_SUFFIXES:
            try:
                yield from read_one(path, max_bytes)
            except InputError as exc:
                yield ReadFailure(None, 0, str(exc))
            continue
        # a feed file, or a URL (a page or a feed): the same expansion ingest makes
        expanded = expand([str(path)], fetcher)
        for failure in expanded.failures:
            yield ReadFailure(None, 0, failure.error)
        for job in expanded.jobs:
            try:
                yield from read(
                    job, fetcher, max_bytes=max_bytes, prefetched=expanded.prefetched.get(job.origin)
                )
            except (InputError, FetchError) as exc:
                yield ReadFailure(None, 0, str(exc))


def read_one(path: Path, max_bytes: int) -> list[Article | ReadFailure]:
    from ..sources import read_file

    try:
        return read_file(path, max_bytes=max_bytes)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=str(path)) from None


# --- outputs ---------------------------------------------------------------------------------------


class _JsonlSink:
    def __init__(self, output: str | None) -> None:
        self._final: Path | None = None
        self._tmp: Path | None = None
        if output in (None, "-"):
            self._fh: IO[str] = sys.stdout
        else:
            self._final = Path(output)
            if self._final.is_dir():
                raise ConfigError(f"output {output} is a folder; JSONL output is a file")
            self._tmp = self._final.parent / f".{self._final.name}.tmp-{os.getpid()}"
            self._fh = self._tmp.open("w", encoding="utf-8")

    def add(self, article: Article, analysis: Analysis | None, error: str | None = None) -> None:
        if analysis is not None:
            self._fh.write(analysis.to_json() + "\n")
        else:
            self.add_failure(article.id, error or "unknown error")

    def add_failure(self, ident: str | None, error: str) -> None:
        self._fh.write(json.dumps({"id": ident, "error": error}, ensure_ascii=False) + "\n")

    def commit(self) -> None:
        if self._tmp is None:
            self._fh.flush()
            return
        self._fh.close()
        os.replace(self._tmp, self._final)  # type: ignore[arg-type]

    def abort(self) -> None:
        if self._tmp is not None:
            self._fh.close()
            self._tmp.unlink(missing_ok=True)
        else:
            self._fh.flush()


class _Progress:
    """A line on stderr: rewritten in place on a terminal, every ten seconds in a log."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.tty = enabled and sys.stderr.isatty()
        self.every = 0.5 if self.tty else 10.0
        self.last = time.monotonic()

    def update(self, summary: BatchSummary) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < self.every:
            return
        self.last = now
        end = "\r" if self.tty else "\n"
        print(f"extract: {summary}", end=end, file=sys.stderr, flush=True)

    def finish(self) -> None:
        # Clear the progress line; the final summary is the caller's to print (``str(BatchSummary)``).
        if self.tty:
            print("\r\x1b[K", end="", file=sys.stderr, flush=True)


# --- the run ---------------------------------------------------------------------------------------


def extract_batch(
    inputs: list[str],
    output: str | None = None,
    *,
    out_format: OutFormat = "jsonl",
    engine: Engine | str | None = None,
    progress: bool = False,
    partition_by: str | None = "month",
    settings: Settings | None = None,
    workers: int | None = None,
    address: str | None = None,
    fetcher_given: Fetcher | None = None,
) -> BatchSummary:
    """Analyse every article of ``inputs`` and write the results to ``output``.

    ``inputs``: files of any kind ``ingest`` reads (text, HTML, JSON, JSONL, Parquet, feeds), folders
    and globs of them, web pages or feeds by URL (fetched with ``fetcher_given``, or a ``Fetcher`` of
    ``settings``), or ``-`` (JSONL on standard input).
    ``output``: a JSONL file (``None`` or ``-``: standard output), or for ``out_format="parquet"`` a
    dataset folder partitioned by ``partition_by`` ("month", "year", "day" or None; see ``io_parquet``).
    ``engine``: an Engine (left open for the caller), or a name for ``get_engine`` with ``settings``,
    ``workers`` and ``address`` (then closed here).
    """
    from . import get_engine

    if out_format not in ("jsonl", "parquet"):
        raise ConfigError(f"output format {out_format!r}: use jsonl or parquet")
    if out_format == "parquet" and output in (None, "-"):
        raise ConfigError("Parquet output is a dataset folder: give --output PATH")
    paths = expand_inputs(inputs)
    max_bytes = settings.max_article_bytes if settings is not None else DEFAULT_MAX_BYTES

    sink: _JsonlSink | ParquetDatasetWriter
    if out_format == "parquet":
        from .. import io_parquet  # pyarrow is imported only by runs that need it

        sink = io_parquet.ParquetDatasetWriter(output, partition_by=partition_by)  # type: ignore[arg-type]
    else:
        sink = _JsonlSink(output)

    start = time.monotonic()
    summary = BatchSummary(0, 0, 0.0)
    bar = _Progress(progress)
    fetcher = None
    if fetcher_given is not None:
        fetcher = fetcher_given
    elif any(
        isinstance(p, str) or (isinstance(p, Path) and p.suffix.lower() in (".xml", ".rss", ".atom"))
        for p in paths
    ):
        from ..sources import Fetcher

        fetcher = Fetcher(settings)
    records = iter_records(paths, max_bytes=max_bytes, fetcher=fetcher)
    try:
        if engine is None or isinstance(engine, str):
            with get_engine(engine, settings=settings, workers=workers, address=address) as runner:
                _run(runner, records, sink, summary, start, bar)
        else:
            _run(engine, records, sink, summary, start, bar)
    except BaseException:
        sink.abort()
        raise
    finally:
        if fetcher is not None and fetcher_given is None:
            fetcher.close()
    sink.commit()
    summary.seconds = time.monotonic() - start
    bar.finish()
    return summary


def _run(
    engine: Engine,
    records: Iterator[Article | ReadFailure],
    sink: _JsonlSink | ParquetDatasetWriter,
    summary: BatchSummary,
    start: float,
    bar: _Progress,
) -> None:
    # Records the engine has taken, in input order, with read failures kept in their places: the engine
    # sees only articles, and each outcome it yields (in order) is matched to the head of this queue.
    queue: deque[Article | ReadFailure] = deque()

    def articles() -> Iterator[Article]:
        for record in records:
            queue.append(record)
            if isinstance(record, Article):
                yield record

    def flush_failures() -> None:
        while queue and isinstance(queue[0], ReadFailure):
            failure = queue.popleft()
            sink.add_failure(failure.id, failure.error)  # type: ignore[union-attr]
            summary.failed += 1

    for outcome in engine.analyse(articles()):
        flush_failures()
        if not queue or queue.popleft() is not outcome.article:
            raise EngineError(f"the {engine.name} engine returned results out of input order")
        sink.add(outcome.article, outcome.analysis, outcome.error)
        if outcome.ok:
            summary.done += 1
        else:
            summary.failed += 1
        summary.seconds = time.monotonic() - start
        bar.update(summary)
    flush_failures()
