"""Property-based fuzzing of the article readers and the parameter parsers (issue 14): whatever bytes or
values come in, the answer is an article, a recorded failure, or Frontline's own error naming the
input, never another exception. Bounded: a fixed number of examples per property (FUZZ_EXAMPLES),
no example database, no deadline (the machine is shared and slow)."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontline.article import (
    Article,
    ReadFailure,
    from_html,
    from_mapping,
    iter_jsonl,
    parse_published,
    read_bytes,
    sniff_format,
)
from frontline.errors import FetchError, InputError
from frontline.ingest import parse_interval
from frontline.sources import parse_feed
from frontline.store.models import country_code

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# Inputs that look like what readers get, broken in the ways real inputs break.
FRAGMENTS = [
    b"{",
    b"}",
    b'"text": ',
    b'"published": "2024-12-06"',
    b"\n",
    b"<html>",
    b"<p>",
    b"</p>",
    b"<?xml version='1.0'?>",
    b"<rss version='2.0'><channel>",
    b"<item><link>https://example.org/a</link></item>",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x00",
    b"Rebels seized Hama on Thursday.",
    "é Ḩamāh “quoted” ".encode(),
    b"\xe9",
]
structured = st.lists(st.sampled_from(FRAGMENTS), max_size=30).map(b"".join)
raw = st.binary(max_size=3000)
anybytes = st.one_of(structured, raw)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
article_like = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values,
        "title": json_values,
        "published": st.one_of(json_values, st.dates().map(dt.date.isoformat), st.text(max_size=25)),
        "url": json_values,
        "source": json_values,
        "text": st.one_of(json_values, st.text(max_size=500)),
    },
)


def _is_result(items: object) -> bool:
    return isinstance(items, list) and all(isinstance(i, Article | ReadFailure) for i in items)


@BOUNDED
@given(data=anybytes, suffix=st.sampled_from(["", ".txt", ".json", ".jsonl", ".html", ".md", ".xml"]))
def test_read_bytes_reads_or_refuses(data: bytes, suffix: str) -> None:
    try:
        items = read_bytes(data, name="fuzz", suffix=suffix, max_bytes=2000)
    except InputError as exc:
        assert "fuzz" in str(exc)
        return
    assert _is_result(items) and items
    for item in items:
        if isinstance(item, Article):
            assert item.text.strip() and item.id


@BOUNDED
@given(text=st.text(max_size=2000))
def test_jsonl_lines_are_articles_or_failures_with_their_line(text: str) -> None:
    for item in iter_jsonl(text, name="fuzz.jsonl"):
        assert isinstance(item, Article | ReadFailure)
        if isinstance(item, ReadFailure):
            assert item.line >= 1 and "fuzz.jsonl" in item.error


@BOUNDED
@given(obj=st.one_of(article_like, json_values))
def test_a_json_object_is_an_article_or_an_input_error(obj: object) -> None:
    try:
        article = from_mapping(obj, name="fuzz.json")
    except InputError:
        return
    assert isinstance(article, Article) and article.text.strip()
    json.dumps({"id": article.id, "title": article.title})  # every field came out serialisable


@BOUNDED
@given(value=st.one_of(json_values, st.text(max_size=40), st.dates(), st.datetimes()))
def test_publication_dates_parse_or_refuse(value: object) -> None:
    try:
        date, warnings = parse_published(value, source="fuzz")
    except InputError:
        return
    assert date is None or isinstance(date, dt.date)
    assert isinstance(warnings, list)


@BOUNDED
@given(text=st.text(max_size=1500), suffix=st.sampled_from(["", ".txt", ".xyz"]))
def test_sniffing_never_fails(text: str, suffix: str) -> None:
    assert sniff_format(text, suffix) in ("text", "html", "json", "jsonl")


@settings(BOUNDED, max_examples=max(10, EXAMPLES // 5))
@given(html=st.lists(st.sampled_from([f.decode("utf-8", "replace") for f in FRAGMENTS]), max_size=40))
def test_html_pages_read_or_refuse(html: list[str]) -> None:
    try:
        article = from_html("".join(html), name="fuzz.html")
    except InputError:
        return
    assert article.text.strip()


@BOUNDED
@given(body=anybytes)
def test_feeds_read_or_fail_as_the_feed(body: bytes) -> None:
    try:
        jobs = parse_feed(body, source="fuzz.xml")
    except FetchError as exc:
        assert "fuzz.xml" in str(exc)
        return
    assert all(job.origin.startswith(("http://", "https://")) for job in jobs)


@BOUNDED
@given(value=st.text(max_size=12))
def test_country_codes_and_intervals_parse_or_refuse(value: str) -> None:
    try:
        code = country_code(value)
    except InputError:
        pass
    else:
        assert len(code) == 2 and code.isupper()
    try:
        seconds = parse_interval(value)
    except InputError:
        pass
    else:
        assert seconds >= 1


@pytest.mark.parametrize("bad", ["2024-02-30", "1899-12-31", "31/12/2024", "tomorrow"])
def test_impossible_dates_are_named(bad: str) -> None:
    with pytest.raises(InputError, match="published"):
        from_mapping({"text": "Rebels seized Hama.", "published": bad}, name="x.json")
