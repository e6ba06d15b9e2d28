"""The map page in real headless Chromium over the seeded corpus: control and event markers appear, the
time slider changes who holds what, an event's evidence opens with its sentence highlighted, and no
request leaves this machine."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Any:
    context = chromium.new_context(viewport={"width": 1400, "height": 850})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.outside = []  # every request that tried to leave loopback
    page.errors = []

    def guard(route: Any) -> None:
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    # Console errors include Content-Security-Policy violations: the page must live within its own CSP.
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    try:
        yield page
    finally:
        context.close()


def settled(page: Any) -> None:
    page.wait_for_selector('body[data-loading="false"]', state="attached")


def control(page: Any) -> dict[str, str]:
    return page.eval_on_selector_all(
        ".ctl-marker", "els => Object.fromEntries(els.map(e => [e.dataset.placeId, e.dataset.status]))"
    )


def test_map_slider_and_evidence(page: Any, live_server: Any, tmp_path: Path) -> None:
    # The page's CSP forbids eval, so waits use selectors and expect(), never wait_for_function strings.
    from playwright.sync_api import expect

    page.goto(live_server.url)
    settled(page)

    # At the last day: five places held, two of them only claimed; events drawn as markers or clusters.
    assert page.locator("#date-label").inner_text() == "2024-12-20"
    held = control(page)
    assert held == {
        "gn:170063": "confirmed",
        "gn:170017": "confirmed",
        "gn:169577": "claimed",
        "gn:170654": "confirmed",
        "nm:ua:kurakhove": "claimed",
    }
    claimed = page.locator('.ctl-marker[data-status="claimed"]').first
    assert "dashed" in claimed.evaluate("e => getComputedStyle(e).borderTopStyle")
    # Dense events cluster: at the zoom that fits Syria and Ukraine together, Syria's events are counted
    # in clusters, Kurakhove's stands alone.
    assert page.locator(".ev-cluster").count() >= 1
    assert page.locator(".ev-marker").count() >= 1
    assert page.locator(".leaflet-outlines-pane canvas").count() == 1, (
        "the offline country outlines are drawn"
    )
    assert page.locator("#event-list li").count() == 8  # the 30 days up to 20 December
    assert page.locator("#legend").inner_text().count("Hayat Tahrir al-Sham") == 1

    # Back to the first day: only Aleppo has fallen, and the events list follows the date.
    page.locator("#slider").focus()
    page.keyboard.press("Home")
    page.wait_for_selector('#map[data-control-date="2024-11-30"]', state="attached")
    settled(page)
    assert control(page) == {"gn:170063": "confirmed"}
    assert page.locator("#event-list li").count() == 2

    # A step at a time, the replay reaches Hama on 5 December.
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_selector('#map[data-control-date="2024-12-05"]', state="attached")
    settled(page)
    assert control(page) == {"gn:170063": "confirmed", "gn:170017": "confirmed"}

    # The slider has a tick at each of the five changes of control; the play button replays them to the end.
    assert page.locator("#changes option").count() == 5
    page.locator("#play").click()
    page.wait_for_selector('#map[data-control-count="5"]', state="attached", timeout=30_000)
    if page.locator("#play").get_attribute("aria-pressed") == "true":
        page.locator("#play").click()
    settled(page)

    # Filter by type: only the protest in Damascus.
    page.select_option("#f-window", "0")
    page.select_option("#f-type", "Protests")
    expect(page.locator("#event-list li")).to_have_count(1)
    settled(page)
    page.select_option("#f-type", "")
    # The eight dated events up to 20 December that happened or are claimed: the massacre of 1982 is
    # history, shown only when asked for; then it is the ninth. The threat has no date.
    expect(page.locator("#event-list li")).to_have_count(8)
    settled(page)
    page.locator("#f-modality summary").click()
    page.locator('#f-modality-options input[value="historical"]').check()
    expect(page.locator("#event-list li")).to_have_count(9)
    settled(page)
    page.locator("#f-modality summary").click()

    # An event's evidence: its sentence shaded in the article, the words it was read from highlighted.
    page.locator("#event-list li", has_text="Peaceful protest").click()
    page.wait_for_selector("#evidence .article-text .evidence")
    assert page.locator("#evidence-title").inner_text().startswith("Peaceful protest")
    assert page.locator("#evidence .evidence").first.inner_text() == "gathered"
    sentence = "".join(page.locator("#evidence .evidence-sentence").all_inner_texts())
    assert sentence.startswith("Residents of Damascus") and sentence.endswith("old government.")
    assert page.locator("#evidence a[href='https://example.org/damascus']").count() == 1
    page.screenshot(path=str(tmp_path / "evidence.png"))

    # A place's control history, and the claim's sentence found in its article.
    page.locator("#evidence-back").click()
    page.locator("button.fit-all").click()  # the list click zoomed in on Damascus
    page.wait_for_timeout(400)  # the zoom animation
    page.locator('.ctl-marker[data-place-id="gn:170063"]').click()
    expect(page.locator("#evidence-title")).to_have_text("Aleppo")
    page.locator("#evidence-back").click()
    # And by keyboard: markers take the focus, and Enter opens the place as a click does.
    page.locator('.ctl-marker[data-place-id="gn:169577"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#evidence .history")
    assert page.locator("#evidence-title").inner_text() == "Homs"
    assert page.locator("#evidence .history .badge.claimed").count() >= 1
    page.locator("#evidence button", has_text="show in article").first.click()
    page.wait_for_selector("#evidence .evidence-sentence")
    claim = "".join(page.locator("#evidence .evidence-sentence").all_inner_texts())
    assert "their fighters had captured Homs" in claim

    shot = tmp_path / "map.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    assert page.outside == [], f"the page tried to reach other hosts: {page.outside}"
    assert page.errors == [], f"JavaScript errors: {page.errors}"


def test_online_tiles_are_only_an_option(page: Any, live_server: Any) -> None:
    page.goto(live_server.url)
    settled(page)
    assert page.outside == []
    # Choosing the online layer asks the tile server (blocked here): proof that it is opt-in, not default.
    page.locator(".leaflet-control-layers").hover()
    page.get_by_label("OpenStreetMap (online)").check()
    page.wait_for_timeout(300)
    assert any("tile.openstreetmap.org" in u for u in page.outside)


HOSTILE = '<img src="x" onerror="document.body.dataset.pwned=1"><b>Ville</b>'


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A store whose place, actor and sentence are markup, as a scraped page might carry."""
    import datetime as dt

    from frontline.article import Article
    from frontline.schema import Actor, Analysis, ArticleInfo, ControlChange, Event, Location, Plover
    from frontline.store import open_store

    from .conftest import serve_store

    text = f"Fighters of {HOSTILE} took {HOSTILE} on Monday."
    at = text.index("took")
    place = Location(name=HOSTILE, lat=10.0, lon=10.0, country_code="NE")
    actor = Actor(text=HOSTILE, name=HOSTILE, side="rebels")
    event = Event(
        id="e1",
        sentence=text,
        span=(at, at + 4),
        event_type="Battles",
        sub_event_type="Armed clash",
        plover=Plover(event="ASSAULT"),
        date=dt.date(2024, 3, 4),
        time_precision=1,
        location=place,
        actor1=actor,
    )
    info = ArticleInfo(id="hostile", title=HOSTILE, published=dt.date(2024, 3, 5))
    analysis = Analysis(
        article=info,
        events=[event],
        control_changes=[
            ControlChange(place=place, date=dt.date(2024, 3, 4), to=actor, status="claimed", event_ids=["e1"])
        ],
    )
    path = tmp_path_factory.mktemp("hostile") / "frontline.db"
    store = open_store(str(path))
    try:
        store.save_analysis(
            Article(text=text, id="hostile", title=HOSTILE, published=dt.date(2024, 3, 5)), analysis
        )
    finally:
        store.close()
    yield from serve_store(path)


def test_text_from_articles_is_never_markup(chromium: Any, hostile_server: Any) -> None:
    page = chromium.new_page(viewport={"width": 1200, "height": 800})
    try:
        page.goto(hostile_server.url)
        settled(page)
        page.locator(".ctl-marker").first.hover()
        page.wait_for_selector(".leaflet-tooltip")
        assert HOSTILE in page.locator(".leaflet-tooltip").first.inner_text()
        page.locator("#event-list li").first.click()
        page.wait_for_selector("#evidence .article-text .evidence")
        assert HOSTILE in page.locator("#evidence-body").inner_text()
        assert page.locator("#map img:not(.leaflet-tile), #side img, .leaflet-tooltip img, b").count() == 0
        assert page.locator("body[data-pwned]").count() == 0
    finally:
        page.close()
