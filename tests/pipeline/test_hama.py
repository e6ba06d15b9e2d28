"""The report the project started from, read end to end (the rule file is checked in tests/eval)."""

from __future__ import annotations

import datetime as dt


def by_place(analysis, geonameid):
    return [c for c in analysis.control_changes if c.place.geonameid == geonameid]


def test_hama_changed_hands_on_thursday(hama) -> None:
    (change,) = by_place(hama, 170017)
    assert change.date == dt.date(2024, 12, 5) and change.time_precision == 1
    assert change.status == "confirmed"
    assert change.to.name == "Hayat Tahrir al-Sham"
    assert change.from_ is not None and change.from_.side == "government"
    assert change.place.name == "Hama"  # the article's spelling, not GeoNames' "Ḩamāh"
    assert len(change.event_ids) >= 2  # the capture and the withdrawal, at least


def test_no_capture_of_homs_or_damascus(hama) -> None:
    assert by_place(hama, 169577) == [] and by_place(hama, 170654) == []
    for event in hama.events:
        if event.location and event.location.geonameid in (169577, 170654):
            assert event.modality not in ("asserted", "claimed") or event.sub_event_type is None


def test_1982_is_history_not_news(hama) -> None:
    old = [e for e in hama.events if e.date and e.date.year == 1982]
    assert old and all(e.modality == "historical" for e in old)
    assert all(c.date is None or c.date.year >= 2024 for c in hama.control_changes)


def test_headings_are_not_sentences_of_events(hama) -> None:
    assert not any(e.sentence.startswith("Rebel Advances and Freed Prisoners") for e in hama.events)


def test_event_ids_are_stable(pipeline, hama_article, hama) -> None:
    from frontline.article import from_mapping

    again = pipeline(from_mapping(hama_article, name="again"))
    assert [e.id for e in again.events] == [e.id for e in hama.events]


def test_output_is_the_contract(hama) -> None:
    data = hama.to_json_dict()
    assert data["schema"] == "frontline.extract/1"
    assert set(data) >= {"article", "events", "control_changes", "quotes", "toponyms"}
    change = data["control_changes"][0]
    assert set(change) >= {"place", "date", "time_precision", "to", "from", "status", "event_ids"}
    event = data["events"][0]
    assert set(event) >= {
        "id",
        "sentence",
        "span",
        "event_type",
        "sub_event_type",
        "plover",
        "modality",
        "date",
        "time_precision",
        "date_text",
        "location",
        "actor1",
        "actor2",
        "fatalities",
        "confidence",
    }
    text = hama.article.text or ""
    for e in data["events"]:
        assert 0 <= e["span"][0] < e["span"][1]
    for q in data["quotes"]:
        start, end = q["span"]
        assert end > start
    del text
