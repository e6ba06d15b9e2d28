"""Fixtures for ingest, watch, exports and the corpus commands: stores on both backends, canned HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from frontline.engine import get_engine
from frontline.engine.base import Engine
from frontline.settings import Settings
from frontline.sources import Fetcher
from frontline.store import open_store
from frontline.store.sql import SQLStore
from store.conftest import db_url, store  # noqa: F401 - the same two fixtures, for ingest tests

DATA = Path(__file__).parent.parent / "data" / "corpus"
STUB = "corpus.stub:build"


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SQLStore]:
    s = open_store(str(tmp_path / "one.db"))
    assert isinstance(s, SQLStore)
    yield s
    s.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, fetch_timeout=2.0, fetch_max_bytes=200_000)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    with get_engine("serial", settings=settings, pipeline_factory=STUB) as e:
        yield e


Handler = Callable[[httpx.Request], httpx.Response]


class Web:
    """A canned web: URL -> response. Unknown URLs are 404; every request is logged."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[httpx.Request] = []

    def add(
        self,
        url: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body.encode() if isinstance(body, str) else body

        def handler(request: httpx.Request) -> httpx.Response:
            return httpx.Response(
                status, content=data, headers={"content-type": content_type, **(headers or {})}
            )

        self.routes[url] = handler

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        handler = self.routes.get(str(request.url))
        if handler is None:
            return httpx.Response(404, content=b"not found")
        return handler(request)

    def fetched(self, url: str) -> int:
        return sum(1 for r in self.requests if str(r.url) == url)


@pytest.fixture
def web() -> Web:
    return Web()


@pytest.fixture
def fetcher(web: Web, settings: Settings) -> Iterator[Fetcher]:
    with Fetcher(settings, transport=httpx.MockTransport(web.handle)) as f:
        yield f


def page(title: str, body: str, date: str = "2024-12-06") -> str:
    """A news page as a site would serve it: navigation, an article, a footer."""
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n"))
    return (
        f"<!doctype html><html><head><title>{title}</title>"
        f'<meta property="article:published_time" content="{date}T10:00:00Z"></head><body>'
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article>"
        "<footer>Copyright News Ltd. All rights reserved.</footer></body></html>"
    )
