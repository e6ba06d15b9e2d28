"""The store on both backends: saving, merging reports into events, control over time, queries."""

from __future__ import annotations

import datetime as dt

import pytest

from frontline.errors import NotFound, StoreError
from frontline.schema import Actor, Location
from frontline.store import EventFilter, open_store
from frontline.store.migrations import LATEST, MIGRATIONS
from frontline.store.sql import SQLStore

from .conftest import (
    ALEPPO,
    HAMA,
    HOMS,
    HTS,
    KHARKIV,
    SAA,
    capture_report,
    make_analysis,
    make_article,
    make_control,
    make_event,
)

D = dt.date.fromisoformat


def test_three_reports_of_one_capture_give_one_event_with_every_source(store: SQLStore) -> None:
    reports = [
        capture_report(
            "Rebels led by HTS seized Hama on Thursday. The army withdrew.", source="Reuters", fatalities=12
        ),
        capture_report(
            "Hama fell to Hayat Tahrir al-Sham fighters. Troops left the city.", source="AFP", fatalities=9
        ),
        capture_report("HTS took control of Hama after the army pulled out.", source="Al Jazeera"),
    ]
    results = [store.save_analysis(a, an) for a, an in reports]
    assert [r.status for r in results] == ["new", "new", "new"]
    assert len(results[0].events_created) == 1
    assert results[1].events_merged == results[0].events_created == results[2].events_merged

    page = store.list_events()
    assert page.total == 1
    event = store.get_event(page.items[0].id)
    assert event.n_reports == 3 and event.n_articles == 3 and event.n_outlets == 3
    assert sorted(event.outlets) == ["AFP", "Al Jazeera", "Reuters"]
    assert {s.source for s in event.sources} == {"AFP", "Al Jazeera", "Reuters"}
    assert {s.article_id for s in event.sources} == {a.id for a, _ in reports}
    assert any(s.sentence.startswith("Hama fell to") for s in event.sources)
    # ACLED's rule: the lowest figure reported; every figure kept
    assert event.fatalities == 9
    assert event.fatalities_reported == [9, 12]
    assert event.date == D("2024-12-05") and event.location == "Hama" and event.country_code == "SY"

    history = store.control_history("Hama")
    assert len(history) == 1
    assert history[0].n_reports == 3 and history[0].status == "confirmed"
    assert {e.source for e in history[0].evidence} == {"AFP", "Al Jazeera", "Reuters"}
    assert history[0].evidence[0].sentences  # the sentence of the event the change rests on


def test_saving_twice_changes_nothing(store: SQLStore) -> None:
    article, analysis = capture_report("Rebels seized Hama on Thursday.", source="Reuters")
    first = store.save_analysis(article, analysis, origin="file:a.txt")
    before = store.stats().model_dump(exclude={"size_bytes"})
    event_before = store.get_event(first.events_created[0])
    second = store.save_analysis(article, analysis, origin="file:a.txt")
    assert second.status == "unchanged" and second.events_created == [] and second.events_merged == []
    assert store.stats().model_dump(exclude={"size_bytes"}) == before
    assert store.get_event(first.events_created[0]) == event_before
    assert store.seen("file:a.txt") == article.id


def test_reanalysis_replaces_the_old_reports(store: SQLStore) -> None:
    article = make_article("Rebels seized Hama. Later they shelled Homs.")
    old = make_analysis(article, [make_event("e1")])
    store.save_analysis(article, old)
    new = make_analysis(article, [make_event("e1", sub="Shelling/artillery/missile attack", location=HOMS)])
    result = store.save_analysis(article, new)
    assert result.status == "updated"
    events = store.list_events().items
    assert [e.location for e in events] == ["Homs"]
    assert store.stats().reports == 1


@pytest.mark.parametrize(
    ("other", "why"),
    [
        ({"location": ALEPPO}, "another city"),
        ({"location": KHARKIV}, "another country"),
        ({"date": "2024-12-20"}, "dates apart beyond the precision"),
        ({"sub": "Armed clash"}, "another kind of event"),
        ({"modality": "threatened"}, "a threat is not the deed"),
        ({"actor1": Actor(text="ISIS", name="Islamic State", side="jihadists")}, "another actor"),
    ],
)
def test_reports_of_different_events_stay_apart(store: SQLStore, other: dict, why: str) -> None:
    a1 = make_article("Report one about Hama.", source="Reuters")
    a2 = make_article("Report two, different.", source="AFP")
    store.save_analysis(a1, make_analysis(a1, [make_event("e1")]))
    store.save_analysis(a2, make_analysis(a2, [make_event("e1", **other)]))
    assert store.list_events().total == 2, why


def test_nearby_places_and_dates_within_the_precision_merge(store: SQLStore) -> None:
    # a quarter of Hama 2 km from the centre, reported with week precision three days later
    quarter = Location(name="Hama citadel", lat=35.14, lon=36.75, country_code="SY", geo_precision=2)
    a1 = make_article("Report one.", source="Reuters")
    a2 = make_article("Report two.", source="AFP")
    a3 = make_article("Report three.", source="BBC")
    store.save_analysis(a1, make_analysis(a1, [make_event("e1", date="2024-12-05")]))
    store.save_analysis(
        a2, make_analysis(a2, [make_event("x", location=quarter, date="2024-12-08", precision=2)])
    )
    store.save_analysis(a3, make_analysis(a3, [make_event("y", date="2024-12-05", actor1=None)]))
    events = store.list_events().items
    assert len(events) == 1
    merged = events[0]
    assert merged.n_reports == 3
    # the date most reports give wins; the other is kept
    assert merged.date == D("2024-12-05") and merged.dates_reported == [D("2024-12-05"), D("2024-12-08")]
    assert merged.date_min == D("2024-12-05") and merged.date_max == D("2024-12-08")
    # the most precise place wins
    assert merged.location == "Hama" and merged.geo_precision == 1


def test_control_claim_later_confirmed_is_upgraded(store: SQLStore) -> None:
    a1 = make_article("HTS says it took Hama.", published="2024-12-05", source="HTS Telegram")
    store.save_analysis(a1, make_analysis(a1, [make_event()], [make_control(status="claimed")]))
    assert store.control_history("Hama")[0].status == "claimed"
    a2 = make_article(
        "The ministry confirmed the withdrawal from Hama.", published="2024-12-06", source="SANA"
    )
    store.save_analysis(a2, make_analysis(a2, [make_event()], [make_control(status="confirmed")]))
    history = store.control_history("Hama")
    assert len(history) == 1
    assert history[0].status == "confirmed" and history[0].n_reports == 2
    assert [e.status for e in history[0].evidence] == ["claimed", "confirmed"]


def test_control_claim_then_denial_is_contested_and_denial_alone_moves_nothing(store: SQLStore) -> None:
    a1 = make_article("HTS says it took Homs.", published="2024-12-07")
    store.save_analysis(
        a1, make_analysis(a1, [], [make_control(place=HOMS, date="2024-12-07", status="claimed")])
    )
    a2 = make_article("The army denies losing Homs.", published="2024-12-07", source="SANA")
    store.save_analysis(
        a2, make_analysis(a2, [], [make_control(place=HOMS, date="2024-12-07", status="denied")])
    )
    assert store.control_history("Homs")[0].status == "contested"
    # a denial alone: recorded, shown in the history, but it does not move control
    a3 = make_article("Rebels deny Aleppo has fallen.", published="2024-11-29")
    store.save_analysis(
        a3, make_analysis(a3, [], [make_control(place=ALEPPO, date="2024-11-29", status="denied")])
    )
    aleppo = store.control_history("Aleppo")
    assert aleppo[0].status == "denied" and aleppo[0].effective is False
    held = {c.place.name: c for c in store.control_at(D("2024-12-08"))}
    assert "Aleppo" not in held
    assert held["Homs"].status == "contested" and held["Homs"].to_actor == "Hayat Tahrir al-Sham"


def test_who_holds_hama_on_a_date(store: SQLStore) -> None:
    old = make_article("Government forces retook Hama in 2012.", published="2012-06-10")
    store.save_analysis(
        old, make_analysis(old, [], [make_control(date="2012-06-01", to=SAA, from_=HTS, precision=2)])
    )
    new, analysis = capture_report("Rebels seized Hama on Thursday.", source="Reuters")
    store.save_analysis(new, analysis)
    kyiv = Location(name="Kupiansk", geonameid=704508, lat=49.7, lon=37.6, country_code="UA")
    ua = make_article("Ukraine retook Kupiansk.", published="2022-09-11")
    store.save_analysis(
        ua,
        make_analysis(
            ua,
            [],
            [
                make_control(
                    place=kyiv,
                    date="2022-09-10",
                    to=Actor(text="Ukrainian forces", name="Armed Forces of Ukraine", side="Ukraine"),
                    from_=None,
                )
            ],
        ),
    )

    before = {c.place.name: c for c in store.control_at(D("2024-12-04"))}
    assert before["Hama"].to_actor == "Syrian Arab Army"
    assert before["Hama"].until == D("2024-12-05")
    after = {c.place.name: c for c in store.control_at(D("2024-12-06"), with_evidence=True)}
    assert after["Hama"].to_actor == "Hayat Tahrir al-Sham" and after["Hama"].status == "confirmed"
    assert after["Hama"].date == D("2024-12-05")
    assert after["Hama"].evidence[0].source == "Reuters"
    assert set(after) == {"Hama", "Kupiansk"}
    assert [c.place.name for c in store.control_at(D("2024-12-06"), country="sy")] == ["Hama"]
    # a box around Ukraine's east, (west, south, east, north)
    assert [c.place.name for c in store.control_at(D("2024-12-06"), bbox=(35, 48, 40, 51))] == ["Kupiansk"]
    assert store.control_at(D("2000-01-01")) == []

    history = store.control_history("170017")  # by GeoNames id too
    assert [(c.to_actor, c.date) for c in history] == [
        ("Syrian Arab Army", D("2012-06-01")),
        ("Hayat Tahrir al-Sham", D("2024-12-05")),
    ]
    assert history[0].until == D("2024-12-05") and history[1].until is None
    with pytest.raises(NotFound):
        store.control_history("Atlantis")


def test_event_filters_and_pages(store: SQLStore) -> None:
    specs = [
        ("Rebels seized Hama.", dict(location=HAMA, date="2024-12-05")),
        (
            "Shelling hit Homs.",
            dict(
                location=HOMS,
                date="2024-12-07",
                sub="Shelling/artillery/missile attack",
                actor1=SAA,
                actor2=None,
                fatalities=3,
            ),
        ),
        ("Fighting in Aleppo.", dict(location=ALEPPO, date="2024-11-29", sub="Armed clash")),
        (
            "Strike on Kharkiv.",
            dict(
                location=KHARKIV,
                date="2024-05-10",
                sub="Air/drone strike",
                actor1=Actor(text="Russian forces", name="Military Forces of Russia", side="Russia"),
                actor2=None,
            ),
        ),
    ]
    for text, kw in specs:
        article = make_article(text + " Filler words for the search index.")
        store.save_analysis(article, make_analysis(article, [make_event("e1", sentence=text, **kw)]))

    def names(f: EventFilter) -> set[str | None]:
        return {e.location for e in store.list_events(f).items}

    assert names(EventFilter(country="SY")) == {"Hama", "Homs", "Aleppo"}
    assert names(EventFilter(date_from=D("2024-12-01"), date_to=D("2024-12-06"))) == {"Hama"}
    assert names(EventFilter(bbox=(36.0, 34.0, 37.0, 35.5))) == {"Hama", "Homs"}
    assert names(EventFilter(actor="russia")) == {"Kharkiv"}
    assert names(EventFilter(actor="syrian arab")) == {"Hama", "Homs", "Aleppo"}
    assert names(EventFilter(event_type="Explosions/Remote violence")) == {"Homs", "Kharkiv"}
    assert names(EventFilter(sub_event_type="Armed clash")) == {"Aleppo"}
    assert names(EventFilter(q="shelling")) == {"Homs"}
    assert names(EventFilter(q='" OR * NEAR(')) == set()  # query syntax is read as words, never run
    assert names(EventFilter(actor="100%_")) == set()

    page = store.list_events(limit=2, offset=1)
    assert page.total == 4 and len(page.items) == 2
    assert [e.date for e in page.items] == [D("2024-12-05"), D("2024-11-29")]  # newest first
    streamed = list(store.iter_events(batch=3))
    assert [e.date for e in streamed] == sorted(e.date for e in streamed if e.date)
    assert len({e.id for e in streamed}) == 4
    assert store.list_actors(q="russia").items[0].name == "Military Forces of Russia"
    assert store.list_places(country="sy").total == 3
    assert store.list_places(q="ha").items[0].name == "Hama"


def test_search_articles(store: SQLStore) -> None:
    a = make_article("Rebels seized the central prison of Hama and freed detainees.", title="Hama falls")
    b = make_article("Talks in Geneva ended without agreement.", title="Talks")
    for art in (a, b):
        store.save_analysis(art, make_analysis(art))
    hits = store.search_articles("prison detainees")
    assert [h.id for h in hits.items] == [a.id] and hits.total == 1
    assert hits.items[0].snippet and "[" in hits.items[0].snippet
    assert store.search_articles('AND OR "').total == 0
    stored = store.get_article(a.id)
    assert stored.text == a.text and stored.analysis is not None
    assert stored.analysis["article"]["text"] == a.text
    with pytest.raises(NotFound):
        store.get_article("nope")
    with pytest.raises(NotFound):
        store.get_event("nope")


def test_a_failed_save_leaves_nothing_behind(store: SQLStore, monkeypatch: pytest.MonkeyPatch) -> None:
    article, analysis = capture_report("Rebels seized Hama on Thursday.", source="Reuters")

    def boom(*args: object, **kwargs: object) -> None:
        raise StoreError("disk on fire")

    monkeypatch.setattr(store, "_merge_claim", boom)
    with pytest.raises(StoreError):
        store.save_analysis(article, analysis)
    stats = store.stats()
    assert (stats.articles, stats.reports, stats.events, stats.control_changes) == (0, 0, 0, 0)
    monkeypatch.undo()
    assert store.save_analysis(article, analysis).status == "new"
    assert store.stats().events == 1


def test_migrations_are_recorded_and_rerunnable(db_url: str) -> None:
    store = open_store(db_url)
    assert store.migrate() == []  # already done by open_store
    assert isinstance(store, SQLStore)
    assert [m["version"] for m in store.migrations()] == [m.version for m in MIGRATIONS]
    store.close()
    again = open_store(db_url, migrate=False)
    assert again.stats().schema_version == LATEST
    again.close()


def test_unmigrated_database_is_refused_without_migrate(tmp_path: object) -> None:
    with pytest.raises(StoreError, match="frontline db migrate"):
        open_store(str(tmp_path) + "/empty.db", migrate=False)


def test_unknown_url_scheme_is_refused() -> None:
    with pytest.raises(StoreError, match="scheme"):
        open_store("mysql://user:secret@host/db")


def test_postgres_connection_failure_is_a_store_error_without_password() -> None:
    with pytest.raises(StoreError) as info:
        open_store("postgresql://user:hunter2@127.0.0.1:1/none?connect_timeout=2")
    assert "hunter2" not in str(info.value)


def test_migrating_an_old_database_keeps_and_completes_its_data(db_url: str) -> None:
    """A store made by schema version 1 gets version 2's timeline filled in from its rows."""
    from frontline.store.dialect import connect
    from frontline.store.migrations import MIGRATIONS

    old = SQLStore(connect(db_url))
    old.db.execute(
        "CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at TEXT NOT NULL)"
    )
    with old.db.transaction():
        for statement in MIGRATIONS[0].statements(old.backend):
            old.db.execute(statement)
        old.db.execute("INSERT INTO migrations VALUES (1, 'v1', '2024-12-01T00:00:00+00:00')")
        old.db.execute("INSERT INTO places (id, name) VALUES ('gn:170017', 'Hama')")
        for cid, date, actor, effective in [
            ("a", "2012-06-01", "SAA", 1),
            ("b", "2024-12-05", "HTS", 1),
            ("c", "2024-12-07", "SAA", 0),
        ]:
            old.db.execute(
                "INSERT INTO control_changes (id, place_id, date, to_actor, status, status_rank, effective, "
                "n_reports, updated_at) VALUES (?, 'gn:170017', ?, ?, 'confirmed', 0, ?, 1, 'now')",
                (cid, date, actor, effective),
            )
    assert old.schema_version() == 1
    assert old.migrate() == [m.version for m in MIGRATIONS[1:]]
    assert old.schema_version() == LATEST
    held = {d: [c.to_actor for c in old.control_at(D(d))] for d in ("2020-01-01", "2024-12-06", "2024-12-08")}
    assert held == {"2020-01-01": ["SAA"], "2024-12-06": ["HTS"], "2024-12-08": ["HTS"]}  # c is not effective
    old.close()


def test_two_changes_on_one_day_the_more_certain_holds(store: SQLStore) -> None:
    a = make_article("HTS says it holds Homs.", published="2024-12-07")
    store.save_analysis(
        a, make_analysis(a, [], [make_control(place=HOMS, date="2024-12-07", status="claimed")])
    )
    b = make_article("The army retook Homs the same day.", published="2024-12-07", source="SANA")
    store.save_analysis(
        b,
        make_analysis(
            b, [], [make_control(place=HOMS, date="2024-12-07", to=SAA, from_=HTS, status="confirmed")]
        ),
    )
    held = store.control_at(D("2024-12-07"))
    assert [(c.to_actor, c.status) for c in held] == [("Syrian Arab Army", "confirmed")]


def test_two_writers_at_once_still_merge_into_one_event(db_url: str) -> None:
    """Two ingests writing to one database at once (two connections here): reports of one capture
    still make one event, with every report counted once."""
    from concurrent.futures import ThreadPoolExecutor

    stores = [open_store(db_url), open_store(db_url)]

    def write(which: int) -> None:
        for i in range(8):
            article, analysis = capture_report(
                f"Writer {which}, report {i}: rebels seized Hama.", source=f"W{which}"
            )
            stores[which].save_analysis(article, analysis)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(write, [0, 1]))
    events = stores[0].list_events().items
    assert len(events) == 1 and events[0].n_reports == 16
    assert [c.n_reports for c in stores[1].control_history("Hama")] == [16]
    for s in stores:
        s.close()


def test_events_of_any_of_several_modalities(store: SQLStore) -> None:
    # The map shows asserted and claimed events together and the rest only when asked.
    # Three places, so that no two reports merge into one event.
    for text, modality, place in (
        ("Rebels seized Hama.", "asserted", HAMA),
        ("Rebels said they seized Homs.", "claimed", HOMS),
        ("Rebels threatened to seize Aleppo.", "threatened", ALEPPO),
    ):
        article = make_article(text + " Filler words for the search index.")
        event = make_event("e1", sentence=text, modality=modality, location=place)
        store.save_analysis(article, make_analysis(article, [event]))

    def modalities(f: EventFilter) -> list[str]:
        return sorted(e.modality for e in store.list_events(f).items)

    assert modalities(EventFilter(modalities=["asserted", "claimed"])) == ["asserted", "claimed"]
    assert modalities(EventFilter(modalities=["threatened"])) == ["threatened"]
    assert modalities(EventFilter(modalities=["claimed"], modality="asserted")) == []  # AND, as every filter
    assert store.list_events(EventFilter(modalities=["asserted", "claimed"])).total == 2
