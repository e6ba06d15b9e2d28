"""Where articles come from: files and folders, web pages by URL, and RSS/Atom feeds.

``expand`` turns the command line's inputs into ``Job``s (one file, one page, one feed entry); ``read``
turns one job into articles. Every failure is an ``InputError`` or ``FetchError`` naming its input, so
ingest records it against that item and goes on with the rest.

Fetching is bounded in every direction: a timeout per request, a size limit read as the body streams (a
lying Content-Length cannot get past it), at most ``MAX_REDIRECTS`` redirects, and only HTML or plain
text accepted as a page. Feeds are fetched by us and handed to feedparser as bytes, so feedparser never
touches the network itself.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import httpx

from .article import Article, ReadFailure, from_html, from_text, iter_jsonl_file, read_bytes
from .errors import FetchError, InputError

if TYPE_CHECKING:
    from .settings import Settings

MAX_REDIRECTS = 5
FILE_SUFFIXES = (
    ".txt",
    ".text",
    ".md",
    ".html",
    ".htm",
    ".xhtml",
    ".json",
    ".jsonl",
    ".ndjson",
    ".parquet",
    ".pq",
)
CORPUS_SUFFIXES = (".jsonl", ".ndjson", ".parquet", ".pq")  # many articles a file
FEED_SUFFIXES = (".xml", ".rss", ".atom")
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
)


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def input_files(item: str) -> list[Path]:
    """The files one command-line input names, by the rules ``ingest`` and ``extract`` share: a file
    as it is; a folder walked (``walk``); a glob's matches (folders among them walked). An
    ``InputError`` when it names nothing."""
    path = Path(item).expanduser()
    if path.is_file():
        return [path]
    if path.is_dir():
        found = list(walk(path))
        if not found:
            raise InputError(
                f"folder holds no article files ({' '.join(FILE_SUFFIXES + FEED_SUFFIXES)})", source=item
            )
        return found
    if glob.has_magic(item):
        matched: list[Path] = []
        for m in sorted(glob.glob(os.path.expanduser(item), recursive=True)):
            mp = Path(m)
            if mp.is_dir():
                matched.extend(walk(mp))
            elif mp.is_file():
                matched.append(mp)
        if not matched:
            raise InputError("no file matches this pattern", source=item)
        return matched
    raise InputError("no such file, folder, pattern or URL", source=item)


def read_file(path: Path, *, max_bytes: int, fmt: str | None = None) -> list[Article | ReadFailure]:
    """The articles of one file, by its kind: JSONL and Parquet many (streamed line by line / row by
    row, the size limit per article), anything else one (``article.read_bytes``)."""
    suffix = path.suffix.lower()
    if fmt == "jsonl" or suffix in (".jsonl", ".ndjson"):
        return list(iter_jsonl_file(path, max_bytes=max_bytes))
    if suffix in (".parquet", ".pq"):
        from .io_parquet import iter_parquet_file

        return list(iter_parquet_file(path, max_bytes=max_bytes))
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(
            f"file is {size:,} bytes, over the {max_bytes:,}-byte limit "
            "(split it, or raise FRONTLINE_MAX_ARTICLE_BYTES)",
            source=str(path),
        )
    return read_bytes(path.read_bytes(), name=str(path), fmt=fmt, suffix=path.suffix, max_bytes=max_bytes)


@dataclass(frozen=True)
class Job:
    """One thing to read: a file, a web page, or a feed entry's page (with what the feed said of it)."""

    kind: Literal["file", "url"]
    origin: str  # the path or URL; recorded as the article's origin
    title: str | None = None
    published: dt.date | None = None
    feed: str | None = None  # the feed that listed it
    summary: str | None = None  # the feed entry's own text, used if the page has none


@dataclass
class Failure:
    origin: str
    error: str


@dataclass
class Fetched:
    url: str  # after redirects
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class Fetcher:
    """HTTP with Frontline's limits. Pass ``transport`` (e.g. ``httpx.MockTransport``) to stay offline."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float | None = None,
        max_bytes: int | None = None,
        user_agent: str | None = None,
    ):
        from .settings import get_settings

        s = settings or get_settings()
        self.max_bytes = max_bytes or s.fetch_max_bytes
        self.max_article_bytes = s.max_article_bytes
        self.client = httpx.Client(
            transport=transport,
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            timeout=httpx.Timeout(timeout or s.fetch_timeout),
            headers={
                "User-Agent": user_agent or s.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.1",
            },
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str) -> Fetched:
        """The body of ``url``; FetchError for HTTP errors, timeouts, redirect loops and oversize bodies."""
        try:
            with self.client.stream("GET", url) as response:
                if response.status_code >= 400:
                    raise FetchError(
                        f"HTTP {response.status_code} {response.reason_phrase}".strip(), source=url
                    )
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(
                        f"response is {int(declared):,} bytes, over the {self.max_bytes:,}-byte "
                        "limit (FRONTLINE_FETCH_MAX_BYTES)",
                        source=url,
                    )
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(
                            f"response exceeds the {self.max_bytes:,}-byte limit (FRONTLINE_FETCH_MAX_BYTES)",
                            source=url,
                        )
                    chunks.append(chunk)
                ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
                return Fetched(str(response.url), ctype, b"".join(chunks), dict(response.headers))
        except httpx.TooManyRedirects:
            raise FetchError(f"more than {MAX_REDIRECTS} redirects", source=url) from None
        except httpx.TimeoutException:
            raise FetchError("timed out", source=url) from None
        except httpx.InvalidURL as exc:
            raise FetchError(f"invalid URL: {exc}", source=url) from None
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot fetch: {exc or type(exc).__name__}", source=url) from None

    def page(
        self,
        url: str,
        *,
        fetched: Fetched | None = None,
        title: str | None = None,
        published: dt.date | None = None,
    ) -> Article:
        """The article on a web page: its main text (trafilatura) and metadata."""
        got = fetched or self.get(url)
        if got.content_type and got.content_type not in (*HTML_TYPES, "text/plain"):
            raise FetchError(f"not a web page ({got.content_type})", source=url)
        if len(got.body) > self.max_article_bytes:
            raise InputError(
                f"page is {len(got.body):,} bytes, over the {self.max_article_bytes:,}-byte article limit",
                source=url,
            )
        if got.content_type == "text/plain":
            items = read_bytes(
                got.body,
                name=url,
                fmt="text",
                max_bytes=self.max_article_bytes,
                url=got.url,
                published=published,
                title=title,
            )
            article = items[0]
            if isinstance(article, ReadFailure):  # pragma: no cover - plain text yields an article or raises
                raise InputError(article.error, source=url)
            return article
        text = _decode_html(got.body, url)
        return from_html(text, url=got.url, title=title, published=published, name=url)


def _decode_html(body: bytes, name: str) -> str:
    from .article import decode

    text, _ = decode(body, source=name)
    return text


# --- feeds -----------------------------------------------------------------------------------------


def looks_like_feed(body: bytes, content_type: str = "") -> bool:
    if content_type in FEED_TYPES and content_type not in ("application/xml", "text/xml"):
        return True
    head = body[:2000].lstrip().lower()
    return (
        head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head)
    ) or head.startswith((b"<rss", b"<feed"))


def parse_feed(body: bytes, *, source: str, skipped: list[Failure] | None = None) -> list[Job]:
    """A feed's entries as jobs (their pages to fetch).

    A feed that is not RSS/Atom, or is malformed or truncated anywhere, is a FetchError for the whole
    feed: feedparser reads a cut-off feed's first entries and flags the rest as a parse error, and
    taking those entries (the last one possibly cut mid-link) as the feed would hide that it is broken.
    Entries without a web link are counted into ``skipped`` as one failure for the feed.
    """
    import feedparser

    parsed: Any = feedparser.parse(body)
    if parsed.bozo:
        problem = getattr(parsed, "bozo_exception", None)
        # Declared-versus-actual encoding and content-type disagreements are feedparser's notes on
        # a feed it read whole; anything else (an XML syntax error, a cut-off document) is damage.
        benign = (
            feedparser.CharacterEncodingOverride,
            feedparser.NonXMLContentType,
            feedparser.UndeclaredNamespace,
        )
        if problem is None or not isinstance(problem, benign):
            reason = _feed_problem(problem)
            got = len(parsed.entries)
            more = f"; {got} entr{'y' if got == 1 else 'ies'} before it were not taken" if got else ""
            raise FetchError(f"malformed feed: {reason}{more}", source=source)
    if not parsed.entries and not getattr(parsed, "version", ""):
        raise FetchError("not an RSS or Atom feed", source=source)
    jobs = []
    without_link = 0
    for entry in parsed.entries:
        link = entry.get("link")
        if not link or not is_url(link):
            without_link += 1
            continue
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        published = dt.date(when.tm_year, when.tm_mon, when.tm_mday) if when else None
        summary = None
        if entry.get("content"):
            summary = entry["content"][0].get("value")
        summary = summary or entry.get("summary")
        jobs.append(
            Job("url", link, title=entry.get("title"), published=published, feed=source, summary=summary)
        )
    if without_link and skipped is not None:
        skipped.append(
            Failure(
                source,
                f"{source}: {without_link} of {len(parsed.entries)} feed entries have no http(s) link "
                "and were skipped",
            )
        )
    return jobs


def _feed_problem(problem: object) -> str:
    """feedparser's parse error as a person reads it: what, and where (line, column) when known."""
    if problem is None:
        return "not RSS or Atom"
    text = str(problem)
    line = getattr(problem, "getLineNumber", None)
    if callable(line):
        text = f"{getattr(problem, 'getMessage', lambda: text)()} at line {line()}"
    if "no element found" in text or "unclosed token" in text:
        text += " (the feed is cut off: truncated?)"
    return text


# --- expanding inputs ------------------------------------------------------------------------------


def walk(folder: Path) -> Iterator[Path]:
    """Article files under a folder, in a stable order; hidden files and folders are skipped."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(root) / name
            if path.suffix.lower() in FILE_SUFFIXES + FEED_SUFFIXES:
                yield path


@dataclass
class Expanded:
    """What an input turned into: jobs to read, pages already fetched, failures, and the feeds seen."""

    jobs: list[Job] = field(default_factory=list)
    prefetched: dict[str, Fetched] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)


def expand(inputs: list[str], fetcher: Fetcher | None) -> Expanded:
    """Inputs (paths, folders, URLs of pages or feeds) to jobs. A URL is fetched once here to tell a
    feed from a page; a page's body is kept so it is not fetched twice."""
    out = Expanded()
    for item in inputs:
        try:
            if is_url(item):
                if fetcher is None:
                    raise FetchError("fetching is off", source=item)
                got = fetcher.get(item)
                if looks_like_feed(got.body, got.content_type):
                    out.feeds.append(item)
                    out.jobs.extend(parse_feed(got.body, source=item, skipped=out.failures))
                else:
                    out.prefetched[item] = got
                    out.jobs.append(Job("url", item))
                continue
            for file in input_files(item):
                _add_file(out, file)
        except (InputError, FetchError) as exc:
            out.failures.append(Failure(item, str(exc)))
    return out


def _add_file(out: Expanded, path: Path) -> None:
    if path.suffix.lower() in FEED_SUFFIXES:
        try:
            body = path.read_bytes()
            out.feeds.append(str(path))
            out.jobs.extend(parse_feed(body, source=str(path), skipped=out.failures))
        except (InputError, FetchError) as exc:
            out.failures.append(Failure(str(path), str(exc)))
        except OSError as exc:
            out.failures.append(Failure(str(path), f"cannot read: {exc.strerror}"))
        return
    out.jobs.append(Job("file", str(path)))


def read(
    job: Job, fetcher: Fetcher | None, *, max_bytes: int, prefetched: Fetched | None = None
) -> list[Article | ReadFailure]:
    """The articles of one job (a JSONL file gives many). Raises InputError/FetchError for the job."""
    if job.kind == "file":
        try:
            return read_file(Path(job.origin), max_bytes=max_bytes)
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", source=job.origin) from None
    if fetcher is None:
        raise FetchError("fetching is off", source=job.origin)
    try:
        return [fetcher.page(job.origin, fetched=prefetched, title=job.title, published=job.published)]
    except InputError:
        # A page with no extractable text (a video page, a teaser): the feed's own text, if it has some.
        if job.summary and len(job.summary) > 200:
            summary = (
                from_html(
                    job.summary, url=job.origin, title=job.title, published=job.published, name=job.origin
                )
                if "<" in job.summary
                else from_text(
                    job.summary, url=job.origin, title=job.title, published=job.published, name=job.origin
                )
            )
            return [summary]
        raise
