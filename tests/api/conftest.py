"""Fixtures for the API tests: a SQLite store seeded with the hand-built corpus in ``seed.py``, and test
clients over it. The analysing routes get a small stand-in pipeline, so these tests check the HTTP layer
in seconds; the real pipeline is the pipeline's tests' business."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from frontline.article import Article
from frontline.schema import Actor, Analysis, ArticleInfo, Event, Location, Plover
from frontline.settings import Settings
from frontline.store import Store, open_store

from .seed import HAMA, HOMS, seed

with warnings.catch_warnings():
    # Starlette's TestClient announces a future switch of HTTP client; nothing for us to act on yet.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from frontline.api import create_app

TOKEN = "test-token-not-secret"
# The server answers only to its own host names (DNS rebinding guard); TestClient says "testserver".
BASE = "http://127.0.0.1:8000"


def stand_in_pipeline(article: Article) -> Analysis:
    """One 'Battles' event at the first known place the text names: enough to see an analysis go through."""
    text = article.text
    place = next((p for p in (HAMA, HOMS) if p.name in text), Location(name="Nowhere"))
    at = text.find(place.name)
    span = (at, at + len(place.name)) if at >= 0 else (0, min(len(text), 1))
    event = Event(
        id="e1",
        sentence=text.split(".")[0],
        span=span,
        event_type="Battles",
        sub_event_type="Armed clash",
        plover=Plover(event="ASSAULT"),
        date=article.published,
        time_precision=1 if article.published else None,
        location=place,
        actor1=Actor(text="fighters", name="Hayat Tahrir al-Sham", side="rebels"),
    )
    info = ArticleInfo(
        id=article.id,
        title=article.title,
        published=article.published,
        url=article.url,
        source=article.source,
    )
    return Analysis(article=info, events=[event])


@pytest.fixture(scope="module")
def seeded_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "frontline.db"
    store = open_store(str(path))
    try:
        seed(store)
    finally:
        store.close()
    return path


@pytest.fixture(scope="module")
def store(seeded_path: Path) -> Iterator[Store]:
    s = open_store(str(seeded_path))
    try:
        yield s
    finally:
        s.close()


def make_client(store: Store, **settings: object) -> TestClient:
    app = create_app(Settings(**settings), store, pipeline=stand_in_pipeline)  # type: ignore[arg-type]
    return TestClient(app, base_url=BASE)


@pytest.fixture(scope="module")
def client(store: Store) -> TestClient:
    """Reads over the seeded store; the server has a token, so writes are possible with it."""
    return make_client(store, api_token=TOKEN)


@pytest.fixture
def fresh_store(tmp_path: Path) -> Iterator[Store]:
    """An empty store for tests that write."""
    s = open_store(str(tmp_path / "write.db"))
    try:
        yield s
    finally:
        s.close()
