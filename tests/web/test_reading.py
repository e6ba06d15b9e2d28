"""The map read as an analyst reads it, in real headless Chromium (issue 13): labels and boundaries on an
offline basemap fitted to the data, colours by side and a legend on the map, honest symbols for
region-wide, country-wide and unlocated records, modality on the map, the place panel on the slider's
date, a view in the URL, a token for a protected server, and a phone layout.

The corpus is written down by hand (as ``tests/api/seed.py`` is), so each case the page must handle is
there exactly once: two spellings of one army, a foreign army, a place without coordinates, events at
one point, a region-wide, a country-wide and an unlocated event, a claim and a plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from .conftest import LiveServer, serve_store

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

TOKEN = "a-team-token-for-the-test"

ALPHA = dict(name="Alpha", lat=35.05, lon=36.55, country_code="SY", admin1="Hama")
BRAVO = dict(name="Bravo", lat=35.55, lon=37.45, country_code="SY", admin1="Aleppo")
CHARLIE = dict(name="Charlie", lat=34.95, lon=37.2, country_code="SY", admin1="Homs")
DELTA = dict(name="Delta", country_code="SY")  # no coordinates: the gazetteer did not know it


def reading_corpus(path: Path) -> None:
    from frontline.article import Article
    from frontline.schema import Actor, Analysis, ArticleInfo, ControlChange, Event, Location, Plover
    from frontline.store import open_store

    saa = Actor(text="the army", name="Syrian Arab Army", side="government", country_code="SY")
    saa_lower = Actor(text="the army", name="syrian arab army", side="government", country_code="SY")
    hts = Actor(text="HTS", name="Hayat Tahrir al-Sham", side="rebels", country_code="SY")
    russia = Actor(text="Russian troops", name="Russian Armed Forces", side="government", country_code="RU")
    isis = Actor(text="IS", name="Islamic State", side="jihadists")
    alpha, bravo, charlie, delta = (Location(**p) for p in (ALPHA, BRAVO, CHARLIE, DELTA))  # type: ignore[arg-type]
    region = Location(
        name="Idlib Governorate", lat=35.8, lon=36.6, country_code="SY", admin1="Idlib", geo_precision=3
    )
    country = Location(name="Syria", lat=35.0, lon=38.5, country_code="SY", geo_precision=3)

    day = dt.date(2024, 3, 10)
    sentences: list[str] = []
    events: list[Event] = []

    def event(eid: str, sentence: str, trigger: str, **kw: Any) -> None:
        at = len(" ".join(sentences)) + (1 if sentences else 0)
        sentences.append(sentence)
        begin = at + sentence.index(trigger)
        events.append(
            Event(id=eid, sentence=sentence, span=(begin, begin + len(trigger)), time_precision=1, **kw)
        )

    event(
        "clash",
        "Rebels and the army clashed in Alpha.",
        "clashed",
        event_type="Battles",
        sub_event_type="Armed clash",
        plover=Plover(event="ASSAULT"),
        date=day,
        location=alpha,
        actor1=hts,
        actor2=saa,
    )
    event(
        "shelling",
        "The rebels said the army shelled Alpha.",
        "shelled",
        modality="claimed",
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        plover=Plover(event="ASSAULT"),
        date=day,
        location=alpha,
        actor1=saa,
    )
    event(
        "plan",
        "The army plans to reinforce Bravo.",
        "reinforce",
        modality="planned",
        event_type="Strategic developments",
        sub_event_type="Headquarters or base established",
        plover=Plover(event="MOBILIZE"),
        date=dt.date(2024, 3, 9),
        location=bravo,
        actor1=saa_lower,
    )
    event(
        "region",
        "Air strikes hit across Idlib Governorate.",
        "Air strikes",
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        plover=Plover(event="ASSAULT"),
        date=day,
        location=region,
        actor1=russia,
    )
    event(
        "country",
        "The government declared a curfew across Syria.",
        "declared",
        event_type="Strategic developments",
        sub_event_type="Other",
        plover=Plover(event="CONSULT"),
        date=day,
        location=country,
        actor1=saa,
    )
    event(
        "nowhere",
        "Fighting was reported overnight.",
        "Fighting",
        event_type="Battles",
        sub_event_type="Armed clash",
        plover=Plover(event="ASSAULT"),
        date=day,
    )

    changes = [
        ControlChange(place=alpha, date=dt.date(2024, 3, 1), to=saa, status="confirmed"),
        ControlChange(place=alpha, date=day, to=hts, **{"from": saa}, status="claimed", event_ids=["clash"]),
        ControlChange(place=bravo, date=dt.date(2024, 3, 2), to=saa_lower, status="confirmed"),
        ControlChange(place=charlie, date=dt.date(2024, 3, 3), to=russia, status="confirmed"),
        ControlChange(place=delta, date=dt.date(2024, 3, 4), to=isis, status="confirmed"),
    ]
    text = " ".join(sentences)
    info = ArticleInfo(id="reading", title="A day around Alpha", published=day, source="Example Wire")
    store = open_store(str(path))
    try:
        store.save_analysis(
            Article(text=text, id="reading", title=info.title, published=day, source=info.source),
            Analysis(article=info, events=events, control_changes=changes),
        )
    finally:
        store.close()


@pytest.fixture(scope="module")
def reading_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reading") / "frontline.db"
    reading_corpus(path)
    return path


@pytest.fixture(scope="module")
def reading_server(reading_db: Path) -> Iterator[LiveServer]:
    yield from serve_store(reading_db)


@pytest.fixture(scope="module")
def token_server(reading_db: Path) -> Iterator[LiveServer]:
    """A team server: reads need the token, as with --host 0.0.0.0."""
    from frontline.api import create_app
    from frontline.settings import Settings
    from frontline.store import open_store

    store = open_store(str(reading_db))
    try:
        with LiveServer(create_app(Settings(api_token=TOKEN), store, reads_need_token=True)) as server:
            yield server
    finally:
        store.close()


def new_page(chromium: Any, width: int = 1400, height: int = 850) -> Any:
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.outside = []
    page.errors = []
    page.requests = []

    def guard(route: Any) -> None:
        request = route.request
        page.requests.append((request.url, request.headers.get("authorization")))
        if urlparse(request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            page.outside.append(request.url)
            route.abort()

    page.route("**/*", guard)
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    return page


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    p = new_page(chromium)
    try:
        yield p
    finally:
        p.context.close()


def settled(page: Any) -> None:
    page.wait_for_selector('body[data-loading="false"]', state="attached")
    page.wait_for_timeout(350)  # the map's moveend handler (labels, provinces) runs after a short pause
    page.wait_for_selector('body[data-loading="false"]', state="attached")


def label_texts(page: Any, kind: str) -> list[str]:
    return page.locator(f".lbl-{kind} .lbl-text").all_inner_texts()


def inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        inner["x"] >= outer["x"]
        and inner["y"] >= outer["y"]
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"]
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"]
    )


def test_reference_layer_labels_boundaries_and_a_view_fitted_to_the_data(
    page: Any, reading_server: Any
) -> None:
    page.goto(reading_server.url)
    settled(page)
    assert page.locator("#date-label").inner_text() == "2024-03-10"
    # The default view is fitted to the data: every held place inside it, zoomed in past the world.
    zoom = page.evaluate("() => window.frontline.map.getZoom()")
    assert zoom >= 5
    for place in (ALPHA, BRAVO, CHARLIE):
        assert page.evaluate(
            "([lat, lon]) => window.frontline.map.getBounds().contains([lat, lon])",
            [place["lat"], place["lon"]],
        )
    # Every held place is labelled; the towns around them are too, from the gazetteer, where they fit.
    assert set(label_texts(page, "held")) == {"Alpha", "Bravo", "Charlie"}
    towns = page.locator("#map").get_attribute("data-towns")
    assert towns not in (None, "unavailable"), "no towns: is the gazetteer index built?"
    assert len(label_texts(page, "town")) >= 3
    # Labels never overlap one another.
    boxes = page.eval_on_selector_all(".lbl-text", "els => els.map(e => e.getBoundingClientRect().toJSON())")
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap = min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1 and (
                min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1
            )
            assert not overlap, (a, b)
    # First-level boundaries, drawn from the files built at set-up, for the countries in view.
    page.wait_for_selector('#map[data-admin1*="syr"]', state="attached")
    assert page.locator(".leaflet-admin1-pane canvas").count() == 1
    # No outline jumps across the world: rings that cross the antimeridian are unwrapped.
    worst, east = page.evaluate(
        """() => { let worst = 0, east = 0; window.frontline.map.eachLayer((l) => {
             const r = l.options && l.options.renderer;
             if (!l.getLatLngs || !r || r.options.pane !== "outlines") return;
             const walk = (a) => { if (!a.length) return; if (a[0].lat !== undefined) {
               for (let i = 0; i < a.length; i++) { east = Math.max(east, a[i].lng);
                 if (i) worst = Math.max(worst, Math.abs(a[i].lng - a[i - 1].lng)); } }
               else a.forEach(walk); };
             walk(l.getLatLngs()); }); return [worst, east]; }"""
    )
    assert 0 < worst < 90, f"an outline jumps {worst} degrees between two points"
    assert east > 180, "Chukotka and Fiji continue past 180°E instead of wrapping to the far west"
    # Zoomed out to the world, the labels thin out to the largest places instead of piling up.
    page.evaluate("() => { window.frontline.map.setView([20, 10], 2, {animate: false}); }")
    settled(page)
    world = label_texts(page, "town")
    assert "Alpha" not in world and len(world) >= 5
    assert page.outside == [] and page.errors == []


def test_colours_by_side_one_actor_one_key_and_the_legend(page: Any, reading_server: Any) -> None:
    page.goto(reading_server.url)
    settled(page)
    markers = page.eval_on_selector_all(
        ".ctl-marker",
        "els => els.map(e => [e.dataset.placeId, e.dataset.controller,"
        " getComputedStyle(e).getPropertyValue('--c')])",
    )
    by_holder: dict[str, set[str]] = {}
    for _, holder, colour in markers:
        by_holder.setdefault(holder, set()).add(colour.strip())
    # "Syrian Arab Army" and "syrian arab army" are one actor, with one colour and one legend entry.
    assert set(by_holder) == {"Hayat Tahrir al-Sham", "Syrian Arab Army", "Russian Armed Forces"}
    assert all(len(c) == 1 for c in by_holder.values())
    colours = [next(iter(c)) for c in by_holder.values()]
    assert len(set(colours)) == len(colours), f"two holders share a colour: {by_holder}"
    legend = page.locator("#legend")
    assert legend.locator("h4").all_inner_texts() == [
        "Government forces",
        "Foreign forces",
        "Rebels and opposition",
    ]
    text = legend.inner_text()
    assert text.lower().count("syrian arab army") == 1
    # The Russian army in Syria is a foreign force, not a second "government" in red.
    foreign = legend.locator("h4[data-side=foreign] + .keys").inner_text()
    assert "Russian Armed Forces" in foreign
    for word in (
        "confirmed",
        "claimed",
        "contested",
        "Battles",
        "asserted",
        "region-wide",
        "cluster",
        "town",
    ):
        assert word in text, word
    # The legend is on the map, not in the footer.
    assert page.locator("#map #legend").count() == 1


def test_honest_symbols_for_regions_countries_and_unlocated_records(page: Any, reading_server: Any) -> None:
    page.goto(reading_server.url)
    settled(page)
    # The region-wide strike has its own symbol at the region's point; the country-wide curfew and the
    # unlocated fighting are listed, marked as not on the map, and not pinned.
    assert page.locator(".ev-area[data-event-id]").count() == 1
    country = page.locator('#event-list li[data-pin="country"]')
    assert country.count() == 1 and "curfew" in country.inner_text()
    assert "country-wide · not on map" in country.inner_text()
    nowhere = page.locator('#event-list li[data-pin="none"]')
    assert nowhere.count() == 1 and "not on map" in nowhere.inner_text()
    assert page.locator("#map").get_attribute("data-unpinned-count") == "2"
    # Delta's holder is known but not its position: listed under the events, not dropped.
    unplaced = page.locator("#unplaced-list li")
    assert unplaced.count() == 1
    assert "Delta" in unplaced.inner_text() and "Islamic State" in unplaced.inner_text()
    assert "not on map" in unplaced.inner_text()
    # A list click shows the event at a town's scale, with the events at the same point spread apart.
    page.locator("#event-list li", has_text="Armed clash").filter(has_text="Alpha").click()
    page.wait_for_selector(".ev-marker[data-event-id]:not(.leaflet-cluster-anim) .ev-shape", state="attached")
    page.wait_for_timeout(900)
    zoom = page.evaluate("() => window.frontline.map.getZoom()")
    assert 8 <= zoom <= 10
    spots = page.eval_on_selector_all(
        ".ev-marker[data-event-id]",
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [e.dataset.eventId, r.x, r.y]; })",
    )
    at_alpha = [s for s in spots if s[0] in {e for e, *_ in spots}]
    assert len(at_alpha) >= 2
    (_, x1, y1), (_, x2, y2) = at_alpha[:2]
    assert abs(x1 - x2) + abs(y1 - y2) > 8, "events at one point are spread, not stacked"
    # Event markers are diamonds: the shape inside the icon is turned by 45 degrees.
    transform = page.locator(".ev-marker .ev-shape").first.evaluate("e => getComputedStyle(e).transform")
    a, b = (float(x) for x in transform.removeprefix("matrix(").split(",")[:2])
    assert abs(a - 0.7071) < 0.01 and abs(b - 0.7071) < 0.01, transform
    assert page.outside == [] and page.errors == []


def test_modality_on_the_map(page: Any, reading_server: Any) -> None:
    page.goto(reading_server.url)
    settled(page)
    checked = page.eval_on_selector_all(
        "#f-modality-options input", "els => els.filter(e => e.checked).map(e => e.value)"
    )
    assert checked == ["asserted", "claimed"]
    # The claim is drawn hollow, the assertion solid; the plan is not shown until asked for.
    assert page.locator("#event-list li", has_text="reinforce").count() == 0
    # The two at Alpha share a point: a click on one in the list spreads them.
    page.locator("#event-list li", has_text="Shelling").click()
    page.wait_for_selector('.ev-marker[data-modality="claimed"]', state="attached")
    page.wait_for_timeout(600)
    modality = page.eval_on_selector_all(
        ".ev-marker[data-event-id]",
        "els => Object.fromEntries(els.map(e => [e.dataset.modality,"
        " getComputedStyle(e.querySelector('.ev-shape')).backgroundColor]))",
    )
    assert modality.get("claimed") == "rgb(255, 255, 255)"
    assert modality.get("asserted") not in (None, "rgb(255, 255, 255)")
    page.locator("#evidence-back").click()
    page.locator("#f-modality summary").click()
    page.locator('#f-modality-options input[value="planned"]').check()
    page.wait_for_selector('#event-list li:has-text("reinforce")')
    settled(page)
    assert page.locator(".ev-marker.ev-other").count() + page.locator(".ev-cluster").count() >= 1
    assert "planned" in page.locator("#f-modality-summary").inner_text()


def test_place_panel_holder_on_the_date_then_history_newest_first(page: Any, reading_server: Any) -> None:
    page.goto(reading_server.url)
    settled(page)
    page.locator('.ctl-marker[data-place-id="nm:sy:alpha"]').click()
    page.wait_for_selector("#evidence .history")
    holder = page.locator("#holder").inner_text()
    assert "2024-03-10" in holder and "Hayat Tahrir al-Sham" in holder and "claimed" in holder
    history = page.locator("#evidence .history > li")
    dates = [t.split()[0] for t in history.all_inner_texts()]
    assert dates == ["2024-03-10", "2024-03-01"]
    assert "in force on 2024-03-10" in history.first.inner_text()
    # The evidence is one click away.
    assert history.first.locator(".sentences li", has_text="clashed").count() == 1

    # On 5 March the army held it (a link to that day stretches the slider back to it); the panel
    # follows the slider forward to the claim.
    page.goto(reading_server.url + "?date=2024-03-05&place=nm:sy:alpha")
    settled(page)
    page.wait_for_selector('#holder:has-text("2024-03-05")')
    assert "Syrian Arab Army" in page.locator("#holder").inner_text()
    assert "in force on 2024-03-05" in history.nth(1).inner_text()
    page.locator("#slider").focus()
    page.keyboard.press("End")
    page.wait_for_selector('#map[data-control-date="2024-03-10"]', state="attached")
    settled(page)
    page.wait_for_selector('#holder:has-text("2024-03-10")')
    assert "Hayat Tahrir al-Sham" in page.locator("#holder").inner_text()
    assert page.errors == []


def test_the_url_carries_the_view_and_restores_it(chromium: Any, page: Any, reading_server: Any) -> None:
    page.goto(reading_server.url + "?date=2024-03-08")
    settled(page)
    page.select_option("#f-type", "Battles")
    page.select_option("#f-window", "7")
    page.locator("#slider").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_selector('#map[data-control-date="2024-03-09"]', state="attached")
    settled(page)
    shared = page.url
    query = parse_qs(urlparse(shared).query)
    assert query["date"] == ["2024-03-09"] and query["type"] == ["Battles"] and query["window"] == ["7"]
    west, south, east, north = (float(v) for v in query["bbox"][0].split(","))
    assert west < ALPHA["lon"] < east and south < ALPHA["lat"] < north
    centre = page.evaluate("() => window.frontline.map.getCenter()")

    other = new_page(chromium)
    try:
        other.goto(shared)
        settled(other)
        assert other.locator("#date-label").inner_text() == "2024-03-09"
        assert other.locator("#f-type").input_value() == "Battles"
        assert other.locator("#f-window").input_value() == "7"
        restored = other.evaluate("() => window.frontline.map.getCenter()")
        assert abs(restored["lat"] - centre["lat"]) < 0.3 and abs(restored["lng"] - centre["lng"]) < 0.3
        # A link may name the modalities and a place to open.
        other.goto(reading_server.url + "?date=2024-03-10&modality=asserted,planned&place=nm:sy:alpha")
        settled(other)
        checked = other.eval_on_selector_all(
            "#f-modality-options input", "els => els.filter(e => e.checked).map(e => e.value)"
        )
        assert checked == ["asserted", "planned"]
        other.wait_for_selector("#evidence .history")
        assert other.locator("#evidence-title").inner_text() == "Alpha"
        assert other.errors == [] and other.outside == []
    finally:
        other.context.close()


def test_a_token_protected_server_is_read_with_a_token_kept_out_of_urls(
    chromium: Any, token_server: Any
) -> None:
    page = new_page(chromium)
    try:
        page.goto(token_server.url)
        # The API answers 401: the page asks for the token instead of saying it cannot reach the API.
        page.wait_for_selector("#token-dialog[open]")
        page.wait_for_selector('#stats:has-text("needs its access token")')
        page.locator("#token-input").fill(TOKEN)
        page.locator("#token-save").click()
        page.wait_for_selector(".ctl-marker")
        settled(page)
        assert page.locator(".ctl-marker").count() == 3
        assert page.evaluate("() => sessionStorage.getItem('frontline.token')") == TOKEN
        api_calls = [(u, auth) for u, auth in page.requests if "/api/" in u]
        assert any(auth == f"Bearer {TOKEN}" for _, auth in api_calls)
        assert all(TOKEN not in u for u, _ in page.requests), "the token went into a URL"
        assert TOKEN not in page.url
        # A reload in the same tab reads at once; the token stays in this tab's session only.
        page.reload()
        page.wait_for_selector(".ctl-marker")
        assert page.locator("#token-dialog[open]").count() == 0
        assert page.outside == []
    finally:
        page.context.close()


def test_phone_layout_map_above_panel(chromium: Any, reading_server: Any) -> None:
    page = new_page(chromium, 390, 844)
    try:
        page.goto(reading_server.url)
        settled(page)
        m = page.locator("#map").bounding_box()
        side = page.locator("#side").bounding_box()
        assert m["width"] >= 350 and m["height"] >= 320
        assert m["y"] + m["height"] <= side["y"] + 1, "the panel is under the map"
        assert side["width"] >= 350
        # The legend folds away on a phone, and opens.
        assert page.locator("#legend[open]").count() == 0
        page.locator("#legend summary").click()
        assert page.locator("#legend[open]").count() == 1
        assert page.outside == [] and page.errors == []
    finally:
        page.context.close()
