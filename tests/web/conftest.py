"""Fixtures for the browser test: the API and page served by uvicorn on a free loopback port over the
seeded corpus, and Debian's Chromium driven by Playwright (which never downloads a browser here).

Without Chromium or Playwright the test is skipped on a developer's machine, with the reason, and fails
under CI (``CI=true``): the map must not go untested silently.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("FRONTLINE_CHROMIUM", "/usr/bin/chromium")
# Quiet Chromium: no update checks, sync, or QUIC probes; the only traffic is the page's own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (CI=true: the browser test must run)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """uvicorn in a thread, on 127.0.0.1 only; stopped when the fixture ends."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="frontline-test-server", daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def serve_store(db_path: Path) -> Iterator[LiveServer]:
    from frontline.api import create_app
    from frontline.settings import Settings
    from frontline.store import open_store

    store = open_store(str(db_path))
    try:
        with LiveServer(create_app(Settings(), store)) as server:
            yield server
    finally:
        store.close()


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    try:  # tests/api/seed.py; tests/ itself is not a package, so pytest puts it on sys.path
        from api.seed import seed
    except ImportError:  # should tests/ become a package one day
        from tests.api.seed import seed  # type: ignore[no-redef]
    from frontline.store import open_store

    path = tmp_path_factory.mktemp("web") / "frontline.db"
    store = open_store(str(path))
    try:
        seed(store)
    finally:
        store.close()
    return path


@pytest.fixture(scope="session")
def live_server(seeded_db: Path) -> Iterator[LiveServer]:
    yield from serve_store(seeded_db)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        _missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
