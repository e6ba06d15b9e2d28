"""Fixtures for the store tests: the same tests run on SQLite and on a real PostgreSQL server.

PostgreSQL comes from ``FRONTLINE_TEST_PG`` (``scripts/test.sh`` starts a throwaway server and sets it).
Each test gets its own schema there, dropped afterwards. Without the variable, PostgreSQL tests fail
under CI (``CI=true``) and are skipped, with the reason shown, elsewhere.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from frontline.article import Article
from frontline.schema import Actor, Analysis, ArticleInfo, ControlChange, Event, Location, Plover
from frontline.store import open_store
from frontline.store.sql import SQLStore

PG_ENV = "FRONTLINE_TEST_PG"

HAMA = Location(name="Hama", geonameid=170017, lat=35.13179, lon=36.75783, country_code="SY", admin1="Hama")
ALEPPO = Location(
    name="Aleppo", geonameid=170063, lat=36.20124, lon=37.16117, country_code="SY", admin1="Aleppo"
)
HOMS = Location(name="Homs", geonameid=169577, lat=34.72682, lon=36.72339, country_code="SY", admin1="Homs")
KHARKIV = Location(
    name="Kharkiv", geonameid=706483, lat=49.98081, lon=36.25272, country_code="UA", admin1="Kharkiv"
)
HTS = Actor(text="HTS", name="Hayat Tahrir al-Sham", side="rebels", country_code="SY")
SAA = Actor(text="government forces", name="Syrian Arab Army", side="government", country_code="SY")


def pg_url_or_skip() -> str:
    url = os.environ.get(PG_ENV)
    if url:
        return url
    message = (
        f"{PG_ENV} is not set: PostgreSQL store tests need a server "
        "(scripts/test.sh starts one; or run scripts/pg-test-server.sh start and export its URL)"
    )
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


def fresh_pg_schema(base_url: str) -> tuple[str, Any]:
    """A new empty schema on the test server; returns (URL that uses it, admin connection to drop it)."""
    import psycopg

    admin = psycopg.connect(base_url, autocommit=True)
    schema = "t_" + uuid.uuid4().hex[:12]
    admin.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base_url else "?"
    return f"{base_url}{sep}options={quote(f'-csearch_path={schema}')}", (admin, schema)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """A URL (or path) of an empty database, once per backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "frontline.db")
        return
    url, (admin, schema) = fresh_pg_schema(pg_url_or_skip())
    try:
        yield url
    finally:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")
        admin.close()


@pytest.fixture
def store(db_url: str) -> Iterator[SQLStore]:
    s = open_store(db_url)
    assert isinstance(s, SQLStore)
    try:
        yield s
    finally:
        s.close()


# --- hand-made analyses: the store's inputs ---------------------------------------------------------


def make_article(
    text: str,
    *,
    published: str | None = "2024-12-06",
    source: str | None = "Outlet A",
    url: str | None = None,
    title: str | None = None,
) -> Article:
    return Article(
        text=text,
        published=dt.date.fromisoformat(published) if published else None,
        source=source,
        url=url,
        title=title,
    )


def make_event(
    eid: str = "e1",
    *,
    sentence: str = "Rebels seized Hama.",
    sub: str | None = "Non-state actor overtakes territory",
    plover: str = "ASSAULT",
    modality: str = "asserted",
    date: str | None = "2024-12-05",
    precision: int | None = 1,
    location: Location | None = HAMA,
    actor1: Actor | None = HTS,
    actor2: Actor | None = SAA,
    fatalities: int | None = None,
    span: tuple[int, int] = (0, 10),
    confidence: float = 0.8,
) -> Event:
    from frontline.schema import ACLED_SUB_TO_TYPE

    return Event(
        id=eid,
        sentence=sentence,
        span=span,
        event_type=ACLED_SUB_TO_TYPE.get(sub) if sub else None,
        sub_event_type=sub,
        plover=Plover(event=plover),
        modality=modality,  # type: ignore[arg-type]
        date=dt.date.fromisoformat(date) if date else None,
        time_precision=precision,  # type: ignore[arg-type]
        location=location,
        actor1=actor1,
        actor2=actor2,
        fatalities=fatalities,
        confidence=confidence,
    )


def make_control(
    *,
    place: Location = HAMA,
    date: str | None = "2024-12-05",
    to: Actor = HTS,
    from_: Actor | None = SAA,
    status: str = "confirmed",
    event_ids: tuple[str, ...] = ("e1",),
    precision: int | None = 1,
) -> ControlChange:
    return ControlChange(
        place=place,
        date=dt.date.fromisoformat(date) if date else None,
        time_precision=precision,
        to=to,
        from_=from_,
        status=status,  # type: ignore[arg-type]
        event_ids=list(event_ids),
    )


def make_analysis(
    article: Article, events: list[Event] | None = None, controls: list[ControlChange] | None = None
) -> Analysis:
    return Analysis(
        article=ArticleInfo(
            id=article.id,
            title=article.title,
            published=article.published,
            url=article.url,
            source=article.source,
        ),
        events=events or [],
        control_changes=controls or [],
    )


def capture_report(
    text: str,
    *,
    source: str,
    published: str = "2024-12-06",
    date: str = "2024-12-05",
    fatalities: int | None = None,
    status: str = "confirmed",
    location: Location = HAMA,
) -> tuple[Article, Analysis]:
    """One outlet's report of the capture of a place: an article with one event and one control change."""
    article = make_article(text, published=published, source=source)
    event = make_event(
        "e1",
        sentence=text.split(".")[0] + ".",
        date=date,
        fatalities=fatalities,
        location=location,
        span=(0, len(text.split(".")[0])),
    )
    return article, make_analysis(article, [event], [make_control(place=location, date=date, status=status)])
