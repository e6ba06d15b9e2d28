"""What is history depends on the report: news of this week recalls a capture of two months ago as
background, while a reference entry tells the whole war it defines as its subject. The sentences here are
written for the tests."""

from __future__ import annotations

import frontline


def modality_at(text: str, published: str, place: str) -> set[str]:
    a = frontline.extract(text, published=published)
    return {
        e.modality
        for e in a.events
        if e.location is not None and e.location.name == place and e.sub_event_type is not None
    }


def test_news_recalls_a_capture_of_two_months_ago_as_history() -> None:
    text = (
        "KHARTOUM, May 20 – Fighting spread to the south of the city on Tuesday.\n"
        "The army had recaptured Wad Madani on 11 March after a long siege."
    )
    assert modality_at(text, "2025-05-20", "Wad Madani") == {"historical"}


def test_news_of_last_week_is_not_history() -> None:
    text = "KHARTOUM, March 20 – The army recaptured Wad Madani on 11 March after a long siege."
    assert modality_at(text, "2025-03-20", "Wad Madani") <= {"asserted", "claimed"}


def test_a_reference_entry_tells_its_own_war_as_happening() -> None:
    text = (
        "The Gezira offensive was a campaign of the Sudanese civil war in 2024 and 2025.\n"
        "The army recaptured Wad Madani on 11 January 2025 after a siege of several months."
    )
    got = modality_at(text, "2026-03-01", "Wad Madani")
    assert got and "historical" not in got
