"""The Article model and its readers: plain text, HTML, JSON and JSONL, from files or standard input.

Readers refuse what is not an article (empty, binary, oversized, malformed) with an ``InputError`` that
names the input, and never guess a missing publication date: relative dates then stay unresolved.
Fetching URLs and feeds lives in ``frontline.sources``; it hands its pages to ``from_html`` here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import InputError

DEFAULT_MAX_BYTES = 5_000_000
JSON_KEYS = ("id", "title", "published", "url", "source", "text")


@dataclass(frozen=True)
class Article:
    text: str
    id: str = ""
    title: str | None = None
    published: dt.date | None = None
    url: str | None = None
    source: str | None = None
    # Problems that did not stop reading (a future date, an undecodable byte replaced ...).
    warnings: tuple[str, ...] = field(default=())
    # What it was read from: "text", "html" or "json"; an HTML page's extracted text goes into the output.
    origin: str = "text"

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", self.content_hash)

    @property
    def content_hash(self) -> str:
        """A stable id from what the article says: the same text (and date) gives the same id."""
        h = hashlib.sha256()
        h.update(normalise_whitespace(self.text).encode("utf-8"))
        h.update(b"\x00" + (self.published.isoformat() if self.published else "").encode())
        return h.hexdigest()[:20]

    def with_(self, **changes: Any) -> Article:
        return replace(self, **changes)


def normalise_whitespace(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- dates -----------------------------------------------------------------------------------------


def parse_published(
    value: Any, *, source: str | None = None, line: int | None = None, today: dt.date | None = None
) -> tuple[dt.date | None, list[str]]:
    """Read a publication date (ISO date or datetime). Impossible dates are errors; future ones warnings."""
    warnings: list[str] = []
    if value in (None, ""):
        return None, warnings
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    elif isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                date = dt.date.fromisoformat(text)
            else:
                date = dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            raise InputError(
                f"publication date {value!r} is not a real YYYY-MM-DD date",
                source=source,
                line=line,
                field="published",
            ) from None
    else:
        raise InputError(
            f"publication date must be a string, not {type(value).__name__}",
            source=source,
            line=line,
            field="published",
        )
    today = today or dt.date.today()
    if date > today + dt.timedelta(days=1):
        warnings.append(
            f"publication date {date.isoformat()} is in the future; dates are resolved against it as given"
        )
    if date.year < 1900:
        raise InputError(
            f"publication date {date.isoformat()} is before 1900", source=source, line=line, field="published"
        )
    return date, warnings


# --- bytes to text ----------------------------------------------------------------------------------


def decode(data: bytes, *, source: str) -> tuple[str, list[str]]:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 with a warning.

    Binary data (NUL bytes outside UTF-16, or mostly control characters) is refused.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid UTF-16 text ({exc.reason})", source=source) from None
    if b"\x00" in data[:8192]:
        raise InputError("looks binary (NUL bytes), not text, HTML or JSON", source=source)
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\r\n\f")
    if controls > 0.05 * min(len(text), 8192):
        raise InputError("looks binary (control characters), not text, HTML or JSON", source=source)
    return text, [f"{source}: not UTF-8; read as Windows-1252"]


def check_text(text: str, *, source: str, line: int | None = None) -> str:
    if not text or not text.strip():
        raise InputError("no text to read (empty article)", source=source, line=line, field="text")
    return text


# --- readers ---------------------------------------------------------------------------------------


def from_text(
    text: str,
    *,
    published: Any = None,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    id: str | None = None,
    name: str = "<text>",
) -> Article:
    check_text(text, source=name)
    date, warnings = parse_published(published, source=name)
    return Article(
        text=text, id=id or "", title=title, published=date, url=url, source=source, warnings=tuple(warnings)
    )


def from_html(
    html: str,
    *,
    published: Any = None,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    name: str = "<html>",
) -> Article:
    """Main text and metadata of a web page (trafilatura); explicit arguments win over the page's."""
    import trafilatura

    if not html.strip():
        raise InputError("empty HTML page", source=name)
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
        raise InputError(f"HTML could not be parsed: {exc}", source=name) from exc
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise InputError("no article text found in the HTML page", source=name)
    page_title = getattr(doc, "title", None)
    page_date = getattr(doc, "date", None)
    page_source = getattr(doc, "sitename", None)
    date, warnings = parse_published(published or page_date, source=name)
    return Article(
        text=text,
        title=title or page_title,
        published=date,
        url=url or getattr(doc, "url", None),
        source=source or page_source,
        warnings=tuple(warnings),
        origin="html",
    )


def from_mapping(obj: Any, *, name: str, line: int | None = None) -> Article:
    """An article from a JSON object ``{"id", "title", "published", "url", "source", "text"}``."""
    if not isinstance(obj, dict):
        raise InputError(f"expected a JSON object, got {type(obj).__name__}", source=name, line=line)
    text = obj.get("text")
    if not isinstance(text, str):
        raise InputError("missing or non-string 'text'", source=name, line=line, field="text")
    check_text(text, source=name, line=line)
    date, warnings = parse_published(obj.get("published"), source=name, line=line)
    ident = obj.get("id")
    return Article(
        text=text,
        id=str(ident) if ident not in (None, "") else "",
        title=_opt_str(obj, "title"),
        published=date,
        url=_opt_str(obj, "url"),
        source=_opt_str(obj, "source"),
        warnings=tuple(warnings),
        origin="json",
    )


def _opt_str(obj: dict, key: str) -> str | None:
    value = obj.get(key)
    return None if value is None else str(value)


@dataclass(frozen=True)
class ReadFailure:
    """A JSONL line that is not an article: reported on its own line, the rest go on."""

    id: str | None
    line: int
    error: str


def iter_jsonl(text: str, *, name: str) -> Iterator[Article | ReadFailure]:
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield ReadFailure(
                None, number, str(InputError(f"malformed JSON ({exc.msg})", source=name, line=number))
            )
            continue
        ident = str(obj.get("id")) if isinstance(obj, dict) and obj.get("id") is not None else None
        try:
            yield from_mapping(obj, name=name, line=number)
        except InputError as exc:
            yield ReadFailure(ident, number, str(exc))


def iter_jsonl_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | ReadFailure]:
    """Stream a JSONL corpus line by line: the size limit applies to each article, not to the file."""
    name = str(path)
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            if len(raw) > max_bytes:
                yield ReadFailure(
                    None,
                    number,
                    str(
                        InputError(
                            f"line is {len(raw):,} bytes, over the {max_bytes:,}-byte limit",
                            source=name,
                            line=number,
                        )
                    ),
                )
                continue
            try:
                line = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                yield ReadFailure(
                    None, number, str(InputError("line is not UTF-8", source=name, line=number))
                )
                continue
            for item in iter_jsonl(line, name=name):
                if isinstance(item, ReadFailure):
                    yield ReadFailure(item.id, number, item.error.replace("line 1", f"line {number}"))
                else:
                    yield item


def sniff_format(data: str, suffix: str) -> str:
    """'text', 'html', 'json' or 'jsonl', by extension first and content second."""
    suffix = suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "json"
    if suffix in (".html", ".htm", ".xhtml"):
        return "html"
    if suffix in (".txt", ".text", ".md"):
        return "text"
    head = data.lstrip()[:1000].lower()
    if head.startswith("{"):
        first = data.lstrip().split("\n", 1)[0]
        try:
            json.loads(first)
            rest = data.lstrip().split("\n", 1)
            return "jsonl" if len(rest) > 1 and rest[1].strip() else "json"
        except json.JSONDecodeError:
            return "json"
    if head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head or "<p>" in head:
        return "html"
    return "text"


def read_bytes(
    data: bytes,
    *,
    name: str,
    fmt: str | None = None,
    suffix: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
    **meta: Any,
) -> list[Article | ReadFailure]:
    """Every article in some input bytes; ``meta`` (published, title, url) applies to text and HTML."""
    if len(data) > max_bytes:
        raise InputError(
            f"input is {len(data):,} bytes, over the {max_bytes:,}-byte limit "
            "(split it, or raise FRONTLINE_MAX_ARTICLE_BYTES)",
            source=name,
        )
    if not data.strip():
        raise InputError("input is empty", source=name)
    text, warnings = decode(data, source=name)
    fmt = fmt or sniff_format(text, suffix)
    if fmt == "jsonl":
        items = list(iter_jsonl(text, name=name))
        if not items:
            raise InputError("no JSON lines found", source=name)
    elif fmt == "json":
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"malformed JSON ({exc.msg} at line {exc.lineno})", source=name) from None
        items = [from_mapping(_merge_meta(obj, meta), name=name)]
    elif fmt == "html":
        items = [from_html(text, name=name, **meta)]
    else:
        items = [from_text(text, name=name, **meta)]
    if warnings:
        items = [
            a.with_(warnings=a.warnings + tuple(warnings)) if isinstance(a, Article) else a for a in items
        ]
    return items


def _merge_meta(obj: Any, meta: dict[str, Any]) -> Any:
    if isinstance(obj, dict):
        return {**obj, **{k: v for k, v in meta.items() if v is not None}}
    return obj


def read_path(
    path: str | Path, *, fmt: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, **meta: Any
) -> list[Article | ReadFailure]:
    """Every article in a file (``-`` for standard input)."""
    import sys

    if str(path) == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        return read_bytes(data, name="<stdin>", fmt=fmt, max_bytes=max_bytes, **meta)
    p = Path(path)
    if not p.exists():
        raise InputError("no such file", source=str(p))
    if p.is_dir():
        raise InputError("is a folder; give a file (or use `frontline ingest` for folders)", source=str(p))
    if (fmt or "") == "jsonl" or p.suffix.lower() in (".jsonl", ".ndjson"):
        return list(iter_jsonl_file(p, max_bytes=max_bytes))
    size = p.stat().st_size
    if size > max_bytes:
        raise InputError(
            f"file is {size:,} bytes, over the {max_bytes:,}-byte limit "
            "(split it, or raise FRONTLINE_MAX_ARTICLE_BYTES)",
            source=str(p),
        )
    return read_bytes(p.read_bytes(), name=str(p), fmt=fmt, suffix=p.suffix, max_bytes=max_bytes, **meta)


def article_to_json(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "url": article.url,
        "source": article.source,
        "text": article.text,
    }
