"""The control reader over whole reports (issue 10): lists, descriptions, narrative dates, datelines,
corrections, things captured that are not places, and the side that gains."""

from __future__ import annotations

import frontline


def changes(text: str, published: str = "2024-06-20"):
    return frontline.extract(text, published=published).control_changes


def test_a_list_of_places_is_a_change_each() -> None:
    got = changes("The Taliban captured Kunduz, Sar-e Pul and Taloqan on Sunday.", published="2021-08-09")
    assert {c.place.name for c in got} == {"Kunduz", "Sar-e Pul", "Taloqan"}
    assert all(c.to.text and "Taliban" in c.to.text for c in got)
    assert {c.date.isoformat() for c in got if c.date} == {"2021-08-08"}


def test_a_timeline_is_read_in_its_own_year() -> None:
    got = changes(
        "On 5 April 2024 the garrison at Thingannyinaung surrendered.\n"
        "The Karen National Liberation Army took control of Myawaddy on 11 April.",
        published="2025-06-10",
    )
    myawaddy = next(c for c in got if c.place.name == "Myawaddy")
    assert myawaddy.date is not None and myawaddy.date.isoformat() == "2024-04-11"


def test_a_dateline_is_not_when_it_happened() -> None:
    got = changes(
        "HERAT, Afghanistan, July 9 — Taliban fighters captured Islam Qala on Thursday evening, "
        "officials said.",
        published="2021-07-09",
    )
    qala = next(c for c in got if "Qala" in c.place.name)
    assert qala.date is not None and qala.date.isoformat() == "2021-07-08"


def test_an_earlier_capture_recalled_with_an_offset_takes_its_own_date() -> None:
    got = changes(
        "Islamic State overran Tikrit on 11 June 2014, a day after it seized Mosul.", published="2017-07-11"
    )
    mosul = next(c for c in got if c.place.name == "Mosul")
    assert mosul.date is not None and mosul.date.isoformat() == "2014-06-10"


def test_seized_weapons_are_not_a_captured_place() -> None:
    got = changes(
        "Marines patrolling the San Juan river seized weapons and explosives from the Clan del Golfo."
    )
    assert got == []


def test_a_threat_in_a_partys_own_words_is_not_a_capture() -> None:
    got = changes('"We will take back Loikaw, however long it takes," the Karenni Army\'s commander said.')
    assert got == []


def test_a_live_blog_correction_takes_back_the_capture() -> None:
    got = changes(
        "09:20 – AA fighters have entered and taken Taungup, a local source says.\n"
        "11:05 – Correction: an entry at 09:20 said AA fighters had taken Taungup. The town is still held "
        "by the army.",
        published="2024-12-21",
    )
    assert [c for c in got if c.place.name == "Taungup"] == []


def test_no_side_taking_anything_is_a_negation() -> None:
    assert changes("No group has taken or lost a town in the latest fighting, officials said.") == []


def test_the_side_that_withdrew_is_never_the_new_holder() -> None:
    got = changes(
        "Ukraine has withdrawn its troops from the eastern town of Vuhledar, the army said on Wednesday. "
        "Russian forces had been trying to take the town for two years.",
        published="2024-10-03",
    )
    vuhledar = next(c for c in got if c.place.name == "Vuhledar")
    assert vuhledar.to.name == "Russian armed forces"
    assert vuhledar.from_ is not None and vuhledar.from_.country_code == "UA"
