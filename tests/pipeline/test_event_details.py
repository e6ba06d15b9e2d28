"""ACLED's unit and sub-types in details the benchmark's train and dev splits showed wrong: the dead are a
field of the event that killed them, a place that changed hands without fighting is a non-violent
transfer, a base handed over is one too, and a capture verb whose object is people or goods takes no
territory. The texts are written for these tests."""

from __future__ import annotations

import frontline


def rows(a: frontline.Analysis) -> list[frontline.Event]:
    return [e for e in a.events if e.sub_event_type is not None and e.modality in ("asserted", "claimed")]


def test_the_dead_of_an_explosion_are_its_fatalities_not_another_event() -> None:
    a = frontline.extract(
        "A roadside bomb exploded under a police truck near Garissa on Monday. Four officers were killed.",
        published="2025-03-05",
    )
    got = rows(a)
    assert [e.sub_event_type for e in got] == ["Remote explosive/landmine/IED"]
    assert got[0].fatalities == 4
    killed = next(e for e in a.events if e.sentence.startswith("Four officers"))
    assert killed.part_of == got[0].id and killed.sub_event_type is None


def test_a_killing_with_its_own_perpetrator_stays_an_event() -> None:
    a = frontline.extract(
        "A roadside bomb exploded near Garissa on Monday. Gunmen later killed two traders in the town "
        "of Mandera.",
        published="2025-03-05",
    )
    assert len(rows(a)) == 2


def test_a_place_taken_with_no_fighting_reported_is_a_non_violent_transfer() -> None:
    a = frontline.extract(
        "Government troops took control of Baidoa on Tuesday after the militants left the town. "
        "No fighting was reported.",
        published="2025-03-05",
    )
    got = rows(a)
    assert [e.sub_event_type for e in got] == ["Non-violent transfer of territory"]
    assert got[0].location is not None and got[0].location.name == "Baidoa"


def test_no_fatalities_says_nothing_about_fighting() -> None:
    a = frontline.extract(
        "Rebels seized the town of Kidal on Monday. No fatalities were reported.", published="2025-03-05"
    )
    assert [e.sub_event_type for e in rows(a)] == ["Non-state actor overtakes territory"]


def test_a_base_handed_over_is_a_non_violent_transfer() -> None:
    a = frontline.extract(
        "The French army handed its base in Gao to Malian forces on Friday.", published="2025-03-05"
    )
    got = rows(a)
    assert [e.sub_event_type for e in got] == ["Non-violent transfer of territory"]
    assert got[0].location is not None and got[0].location.name == "Gao"


def test_seizing_goods_or_people_from_a_place_takes_no_territory() -> None:
    for text in (
        "Gunmen seized cattle from herders near Kaduna on Sunday.",
        "Militiamen took three women from the market in Bunia on Sunday.",
    ):
        a = frontline.extract(text, published="2025-03-05")
        assert a.control_changes == [], text
        assert all("territory" not in (e.sub_event_type or "") for e in a.events), text


def test_the_town_of_a_place_is_still_the_place_taken() -> None:
    a = frontline.extract("Rebels seized the town of Kidal on Monday.", published="2025-03-05")
    assert [c.place.name for c in a.control_changes] == ["Kidal"]


def test_a_dateline_is_not_where_the_event_happened() -> None:
    a = frontline.extract(
        "AMMAN, Aug 10 - Government forces shelled the besieged old quarter of Daraa on Monday.",
        published="2021-08-10",
    )
    shelling = next(e for e in a.events if e.sub_event_type == "Shelling/artillery/missile attack")
    assert shelling.location is not None and shelling.location.name == "Daraa"
