"""event_place: of a sentence's places, the one the event happened at, from the parse."""

from __future__ import annotations

import pytest

from frontline.pipeline.toponyms import event_place


def where(parse, text: str, trigger: str, sentence: int = 0):
    state = parse(text)
    start = text.index(trigger)
    place = event_place(state, sentence, start, start + len(trigger))
    return place


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("Fighters from Idlib attacked Hama on Monday.", "attacked", "Hama"),
        ("Russia struck Kharkiv overnight.", "struck", "Kharkiv"),
        ("Russian forces struck Kharkiv with drones.", "struck", "Kharkiv"),
        ("Government forces withdrew from Hama on Thursday.", "withdrew", "Hama"),
        ("Syria's army shelled villages near Idlib.", "shelled", "Idlib"),
        ("Ukraine said Russian troops attacked Avdiivka.", "attacked", "Avdiivka"),
        ("Rebels seized control of Hama, a key city in Syria.", "seized", "Hama"),
        ("A car bomb exploded in Azaz, near the Turkish border, killing five.", "exploded", "Azaz"),
        ("Ukraine shot down 20 drones over Kyiv.", "shot", "Kyiv"),
        (
            "Israeli airstrikes killed 20 people in Rafah on Tuesday, Gaza health officials said.",
            "killed",
            "Rafah",
        ),
        (
            "At least 15 people were killed when gunmen attacked a village in Zamfara state.",
            "attacked",
            "Zamfara",
        ),
        ("Al-Shabaab militants stormed a hotel in Mogadishu, Somalia's capital.", "stormed", "Mogadishu"),
        ("Turkish drones struck Kurdish positions near Kobani in northern Syria.", "struck", "Kobani"),
        ("Moscow accused Kyiv of attacking Belgorod.", "attacking", "Belgorod"),
        ("Sudan's army retook Omdurman from the RSF.", "retook", "Omdurman"),
        ("A suicide bomber blew himself up at a checkpoint outside Baghdad.", "blew", "Baghdad"),
        ("Iran launched missiles at Israel.", "launched", "Israel"),
        ("Rebels from Idlib shelled Latakia.", "shelled", "Latakia"),
        ("Russia's defence ministry said its forces captured Ocheretyne.", "captured", "Ocheretyne"),
    ],
)
def test_the_event_place(parse, text: str, trigger: str, expected: str) -> None:
    place = where(parse, text, trigger)
    assert place is not None and place.text == expected


def test_an_anaphor_can_be_the_place(parse) -> None:
    text = "Rebels reached Hama on Thursday. Fighters stormed the city’s central prison."
    place = where(parse, text, "stormed", sentence=1)
    assert place is not None and place.anaphor and place.place is not None and place.place.geonameid == 170017


def test_no_place_no_answer(parse) -> None:
    assert where(parse, "The group said it would fight on.", "fight") is None


def test_a_demonym_is_not_a_place(parse) -> None:
    assert where(parse, "Syrian rebels attacked an army post.", "attacked") is None
