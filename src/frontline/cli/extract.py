"""``frontline extract``: one article (text, HTML, JSON) or a corpus (JSONL, Parquet, folders, globs)."""

from __future__ import annotations

import glob
import json
import sys
from pathlib import Path
from typing import Any

import click

from . import handle_errors, main


@main.command("extract")
@click.argument("inputs", nargs=-1, required=True, metavar="PATH|-")
@click.option(
    "--published",
    help="Publication date (YYYY-MM-DD) of a text file: anchors 'on Thursday', "
    "'last week'. Without it relative dates stay unresolved.",
)
@click.option("--title", help="Title of a text file.")
@click.option("--url", help="Address the article came from.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "table"]),
    default="json",
    show_default=True,
    help="json: the output contract (frontline.extract/1); table: events, control changes and "
    "quotes for a person, one line each with the evidence sentence.",
)
@click.option(
    "--input-format",
    type=click.Choice(["text", "html", "json", "jsonl"]),
    help="Read the input as this format (default: by extension, then by content).",
)
@click.option("--indent", type=int, default=2, show_default=True, help="JSON indentation (single article).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=True, writable=True),
    help="Write here instead of standard output (batch: a .jsonl file or a Parquet folder).",
)
@click.option(
    "--out-format",
    type=click.Choice(["jsonl", "parquet"]),
    default=None,
    help="Batch output format (default: jsonl; parquet writes a partitioned dataset).",
)
@click.option(
    "--engine",
    type=click.Choice(["serial", "local", "ray"]),
    default=None,
    help="Batch engine: local process pool (default), ray cluster, or serial (one process).",
)
@click.option("--workers", type=int, default=None, help="Worker processes (default: all cores).")
@click.option("--address", default=None, help="Ray cluster address (auto, ray://host:port).")
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar for batches (default: on a terminal)."
)
@handle_errors
def extract_command(
    inputs: tuple[str, ...],
    published: str | None,
    title: str | None,
    url: str | None,
    fmt: str,
    input_format: str | None,
    indent: int,
    output: str | None,
    out_format: str | None,
    engine: str | None,
    workers: int | None,
    address: str | None,
    progress: bool | None,
) -> None:
    """Read conflict news: events, control changes, quotes and places of each article.

    \b
    PATH is a text, HTML or JSON file with one article, a web page's URL, or - for standard input;
    JSONL/Parquet files, feeds (files or URLs), folders, globs and several inputs are read as
    corpora, by the same rules as `frontline ingest` (one result a line, in input order, each
    carrying the input's id; an input or line that fails gives {"id", "error"} and the rest go on).
    --format table is for one article.

    \b
    Examples:
      frontline extract article.json
      frontline extract report.txt --published 2024-12-06 --format table
      frontline extract corpus.jsonl -o results.jsonl --workers 2
    """
    from ..article import Article, ReadFailure, read_path
    from ..settings import get_settings
    from ..sources import Fetcher, is_url

    settings = get_settings()
    fetcher = Fetcher(settings) if any(is_url(i) for i in inputs) else None
    try:
        page = _single_page(inputs, input_format, fetcher, settings.max_article_bytes)
        if page is None and (_is_batch(inputs, input_format) or fetcher is not None):
            if fmt == "table":
                raise click.UsageError(
                    "--format table shows one article; a corpus (JSONL or Parquet, a feed, a folder, a "
                    "glob or several inputs) is written as JSONL, one analysis a line "
                    "(or --out-format parquet)"
                )
            _batch(
                list(inputs),
                output,
                out_format or "jsonl",
                engine or settings.engine,
                workers,
                address,
                progress,
                input_format,
                fetcher,
            )
            return
    finally:
        if fetcher is not None:
            fetcher.close()
    if len(inputs) != 1:
        raise click.UsageError("give one article (or JSONL/Parquet corpora, folders or globs)")
    meta: dict[str, Any] = {"published": published, "title": title, "url": url}
    if page is not None:
        items = page
    else:
        items = read_path(inputs[0], fmt=input_format, max_bytes=settings.max_article_bytes, **meta)
    from .. import get_pipeline

    pipeline = get_pipeline()
    failures = 0
    out = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    try:
        for item in items:
            if isinstance(item, ReadFailure):
                failures += 1
                out.write(json.dumps({"id": item.id, "error": item.error}) + "\n")
                continue
            assert isinstance(item, Article)
            analysis = pipeline(item)
            if fmt == "table":
                out.write(render_table(analysis.to_json_dict()))
            else:
                out.write(analysis.to_json(indent=indent if len(items) == 1 else None) + "\n")
    finally:
        if output:
            out.close()
    if failures:
        click.echo(f"{failures} of {len(items)} articles failed", err=True)
        sys.exit(1)


def _single_page(
    inputs: tuple[str, ...], input_format: str | None, fetcher: Any, max_bytes: int
) -> list[Any] | None:
    """One web page's article when the only input is a URL of a page (not a feed), else None."""
    from ..errors import FetchError
    from ..sources import expand, is_url, read

    if len(inputs) != 1 or not is_url(inputs[0]) or input_format is not None:
        return None
    expanded = expand([inputs[0]], fetcher)
    if expanded.failures:
        raise FetchError(expanded.failures[0].error)
    if expanded.feeds:
        return None  # a feed: its entries are a corpus
    job = expanded.jobs[0]
    return read(job, fetcher, max_bytes=max_bytes, prefetched=expanded.prefetched.get(job.origin))


def _is_batch(inputs: tuple[str, ...], input_format: str | None) -> bool:
    from ..sources import CORPUS_SUFFIXES, FEED_SUFFIXES

    if input_format == "jsonl" or len(inputs) > 1:
        return True
    path = inputs[0]
    if path == "-":
        return False
    p = Path(path).expanduser()
    return (
        p.is_dir()
        or p.suffix.lower() in CORPUS_SUFFIXES + FEED_SUFFIXES
        or (not p.exists() and glob.has_magic(path))
    )


def _batch(
    inputs: list[str],
    output: str | None,
    out_format: str,
    engine_name: str,
    workers: int | None,
    address: str | None,
    progress: bool | None,
    input_format: str | None,
    fetcher: Any = None,
) -> None:
    from ..engine import get_engine
    from ..engine.batch import extract_batch
    from ..settings import get_settings

    engine = get_engine(engine_name, settings=get_settings(), workers=workers, address=address)
    try:
        summary = extract_batch(
            inputs,
            output,
            out_format="parquet" if out_format == "parquet" else "jsonl",
            engine=engine,
            progress=sys.stderr.isatty() if progress is None else progress,
            settings=get_settings(),
            fetcher_given=fetcher,
        )
    finally:
        engine.close()
    click.echo(
        f"{summary.done} done, {summary.failed} failed in {summary.seconds:.1f} s "
        f"({summary.rate:.1f} articles/s)",
        err=True,
    )
    if summary.failed:
        sys.exit(1)


EXTRACT_LEGEND = (
    "p1/p2/p3: the date is exact to the day / the week / the month or more (ACLED's time precision); "
    "A -> B: who acted on whom, as named in the text [and the words used]; '-': not stated; "
    "[...]: modality (asserted, claimed, denied, threatened, planned, hypothetical, negated, historical)."
)


def terminal_width(piped: int = 80) -> int:
    """Columns to fit: ``COLUMNS`` if set, else the terminal's, else ``piped``; never under 60."""
    import os
    import shutil

    if os.environ.get("COLUMNS", "").isdigit():
        return max(60, int(os.environ["COLUMNS"]))
    if sys.stdout.isatty():
        return max(60, shutil.get_terminal_size((80, 24)).columns)
    return max(60, piped)


def render_table(data: dict[str, Any], width: int | None = None) -> str:
    """Events, control changes and quotes for a person, each a short block that fits ``width``
    columns: a heading line (date and precision first, never cut), then who did what where, then the
    evidence sentence, wrapped at word boundaries."""
    import textwrap

    width = width or terminal_width()
    indent = "    "

    def wrap(text: str, first: str = indent, rest: str = indent) -> list[str]:
        return textwrap.wrap(
            _one_line(text),
            width=width,
            initial_indent=first,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [first.rstrip()]

    lines: list[str] = []
    art = data["article"]
    lines += wrap(
        f"Article {art['id']}, published {art.get('published') or 'unknown'}"
        + (f": {art['title']}" if art.get("title") else ""),
        "",
        indent,
    )
    lines += wrap(EXTRACT_LEGEND, "", "")
    lines.append("")
    lines.append(f"EVENTS ({len(data['events'])})")
    for ev in data["events"]:
        loc = ev.get("location") or {}
        where = f"{loc.get('name')} ({loc.get('country_code') or '?'})" if loc else "-"
        mode = ev["plover"].get("mode")
        plover = ev["plover"]["event"] + (f"/{mode}" if mode else "")
        typ = ev.get("sub_event_type") or "no ACLED type"
        when = f"{ev.get('date') or '?':10} p{ev.get('time_precision') or '-'}"
        head = f"{when} {plover}, {typ} [{ev['modality']}]"
        lines += wrap(head, "", indent + "  ")
        lines += wrap(f"{_actor(ev.get('actor1'))} -> {_actor(ev.get('actor2'))} @ {where}")
        lines += wrap(ev["sentence"])
    lines.append("")
    lines.append(f"CONTROL CHANGES ({len(data['control_changes'])})")
    for cc in data["control_changes"]:
        place = cc["place"]
        head = (
            f"{cc.get('date') or '?':10} p{cc.get('time_precision') or '-'} [{cc['status']}] "
            f"{place['name']} ({place.get('country_code') or '?'})"
        )
        lines += wrap(head, "", indent + "  ")
        lines += wrap(f"{_actor(cc.get('from'))} -> {_actor(cc['to'])}")
        lines += wrap(f"events: {', '.join(cc['event_ids'])}")
    lines.append("")
    lines.append(f"QUOTES ({len(data['quotes'])})")
    for q in data["quotes"]:
        who = _actor(q["speaker"]) + (f" ({q['affiliation']})" if q.get("affiliation") else "")
        lines += wrap(f"{who}: “{_one_line(q['text'])}”", "  ", indent)
    return "\n".join(lines) + "\n"


def _actor(actor: dict[str, Any] | None) -> str:
    if not actor:
        return "-"
    name = actor.get("name")
    text = actor.get("text")
    return f"{name} [{text}]" if name and text and name.lower() != text.lower() else (name or text or "-")


def _one_line(text: str) -> str:
    return " ".join(text.split())
