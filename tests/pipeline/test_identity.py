"""Events in ACLED's unit: one event per happening, however many times a report tells it (issue 16)."""

from __future__ import annotations

import frontline


def acled_rows(analysis):
    return [e for e in analysis.events if e.sub_event_type and e.modality in ("asserted", "claimed")]


def test_the_hama_report_is_one_or_two_acled_events(hama) -> None:
    rows = acled_rows(hama)
    assert 1 <= len(rows) <= 2, [
        (e.sub_event_type, e.location and e.location.name, e.sentence[:60]) for e in rows
    ]
    capture = next(e for e in rows if e.location and e.location.geonameid == 170017)
    assert capture.sub_event_type == "Non-state actor overtakes territory"
    assert capture.date is not None and capture.date.isoformat() == "2024-12-05"
    # the capture carries its other tellings: "its capture", "its fall", "the loss of Hama" ...
    assert len(capture.mentions) >= 3
    assert capture.mentions[0].sentence == capture.sentence


def test_two_places_or_two_days_stay_two_events() -> None:
    a = frontline.extract(
        "Rebels captured Kupiansk on Monday. On Wednesday rebels captured Izium. "
        "The capture of Kupiansk was a blow to the army.",
        published="2024-06-20",
    )
    places = sorted(e.location.name for e in acled_rows(a) if e.location)
    assert places == ["Izium", "Kupiansk"]


def test_a_threat_is_never_an_acled_row_and_history_keeps_its_modality() -> None:
    a = frontline.extract(
        "The group has vowed to take Homs next. In 1982 government forces crushed an uprising in Hama, "
        "killing thousands.",
        published="2024-12-06",
    )
    assert not [e for e in acled_rows(a) if e.location and e.location.name == "Homs"]
    assert any(e.modality == "historical" for e in a.events)


def test_a_withdrawal_from_a_town_taken_that_day_is_part_of_its_capture() -> None:
    a = frontline.extract(
        "M23 rebels captured the town of Kiwanja on Tuesday. "
        "Congolese troops withdrew from Kiwanja on Tuesday.",
        published="2024-06-20",
    )
    rows = acled_rows(a)
    assert [e.sub_event_type for e in rows] == ["Non-state actor overtakes territory"]
    withdrawal = next(e for e in a.events if e.plover.event == "RETREAT")
    assert withdrawal.sub_event_type is None and withdrawal.part_of == rows[0].id
