"""The issue's acceptance check over a corpus the real extractor read: the Hama report, ingested through
the pipeline, opened at a shared link's date and box on a desktop and on a phone. The screenshots go to
FRONTLINE_SCREENSHOTS when it is set (the README's are made by ``tests/web/screenshot.py`` over a larger
ingested corpus), else to the test's temporary folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from .conftest import LiveServer, serve_store

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

VIEW = "?date=2024-12-09&bbox=35,32,42,37.5"


@pytest.fixture(scope="module")
def hama_server(
    tmp_path_factory: pytest.TempPathFactory, pipeline: Any, hama_article: dict
) -> Iterator[LiveServer]:
    from frontline.article import from_mapping
    from frontline.store import open_store

    path = tmp_path_factory.mktemp("hama-map") / "frontline.db"
    article = from_mapping(hama_article, name="hama article.json")
    store = open_store(str(path))
    try:
        store.save_analysis(article, pipeline(article), origin="hama article.json")
    finally:
        store.close()
    yield from serve_store(path)


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("FRONTLINE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize(("device", "width", "height"), [("desktop", 1400, 850), ("phone", 390, 844)])
def test_a_shared_link_to_hama(
    chromium: Any, hama_server: Any, tmp_path: Path, device: str, width: int, height: int
) -> None:
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(20_000)
    outside: list[str] = []
    errors: list[str] = []

    def guard(route: Any) -> None:
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        page.goto(hama_server.url + VIEW)
        page.wait_for_selector('body[data-loading="false"]', state="attached")
        page.wait_for_selector('.lbl-text:text-is("Hama")')
        page.wait_for_timeout(400)
        assert page.locator("#date-label").inner_text() == "2024-12-09"
        the_map = page.locator("#map").bounding_box()
        label = page.locator('.lbl-text:text-is("Hama")').bounding_box()
        assert label is not None and the_map is not None
        assert the_map["x"] <= label["x"] and label["x"] + label["width"] <= the_map["x"] + the_map["width"]
        assert the_map["y"] <= label["y"] and label["y"] + label["height"] <= the_map["y"] + the_map["height"]
        # Held by the rebels on that date, in the legend on the map.
        assert page.locator('.ctl-marker[data-place-id="gn:170017"]').count() == 1
        if device == "phone":
            assert the_map["width"] >= 350
        else:
            assert "Hayat Tahrir al-Sham" in page.locator("#legend").inner_text()
        page.screenshot(path=str(shots(tmp_path) / f"hama-{device}.png"))
        assert outside == [], f"the page tried to reach other hosts: {outside}"
        assert errors == [], f"JavaScript errors: {errors}"
    finally:
        context.close()
