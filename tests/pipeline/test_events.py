"""Events, modality and control changes on short reports from several wars.

Each case states what an analyst would code; none of these sentences is in the Hama report.
"""

from __future__ import annotations

import pytest

import frontline


def extract(text: str, published: str = "2024-06-20"):
    return frontline.extract(text, published=published)


def only_change(analysis):
    assert len(analysis.control_changes) == 1, analysis.control_changes
    return analysis.control_changes[0]


def test_claimed_capture_denied_by_the_other_side_is_contested() -> None:
    a = extract(
        "The paramilitary Rapid Support Forces (RSF) said on Thursday it had seized control of Singa, "
        "the capital of Sennar state. The Sudanese army denied the claim."
    )
    change = only_change(a)
    assert change.place.country_code == "SD" and change.place.name == "Singa"
    assert change.to.name == "Rapid Support Forces"
    assert change.status == "contested"
    assert change.date is not None and change.date.isoformat() == "2024-06-20"


def test_claim_alone_stays_a_claim() -> None:
    a = extract(
        "The Myanmar National Democratic Alliance Army (MNDAA) said it had captured Lashio on Saturday. "
        "The junta did not comment.",
        published="2024-08-05",
    )
    change = only_change(a)
    assert change.status == "claimed" and change.date.isoformat() == "2024-08-03"


def test_withdrawal_by_the_loser_confirms_the_capture() -> None:
    a = extract(
        "Russian forces have captured the eastern Ukrainian town of Avdiivka, Russia's defence ministry "
        "said on Saturday. Ukraine's army chief said on Friday he had ordered troops to withdraw from the "
        "town.",
        published="2024-02-18",
    )
    change = only_change(a)
    assert change.place.name == "Avdiivka" and change.place.country_code == "UA"
    assert change.status == "confirmed"
    assert change.from_ is not None and change.from_.country_code == "UA"


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("The RSF has threatened to attack El Obeid.", {"threatened"}),
        ("Rebels may attempt to push toward Damascus.", {"hypothetical"}),
        ("It does not mean that Kharkiv is going to fall.", {"negated", "hypothetical"}),
        ("The army said it would retake Tessalit.", {"threatened", "planned"}),
        ("Israeli forces did not enter Rafah on Tuesday.", {"negated"}),
    ],
)
def test_no_control_change_from_words_that_are_not_captures(text, modality) -> None:
    a = extract(text)
    assert a.control_changes == []
    assert a.events, "the statement itself is still an event"
    assert any(e.modality in modality for e in a.events), [(e.plover.event, e.modality) for e in a.events]


def test_history_keeps_its_old_date() -> None:
    a = extract(
        "In 2012 rebels captured Timbuktu, which the army retook in 2013. On Monday JNIM fighters "
        "attacked a base near Timbuktu.",
        published="2024-07-30",
    )
    old = [c for c in a.control_changes if c.date and c.date.year < 2020]
    assert old, a.control_changes
    assert all(c.date.year in (2012, 2013) for c in old)
    assert not [c for c in a.control_changes if c.date and c.date.year >= 2020]


@pytest.mark.parametrize(
    ("text", "sub_event_type", "plover"),
    [
        (
            "Russian missiles struck Kharkiv overnight, killing at least three civilians.",
            "Shelling/artillery/missile attack",
            "ASSAULT",
        ),
        (
            "An Israeli airstrike on a house in Rafah killed at least five people.",
            "Air/drone strike",
            "ASSAULT",
        ),
        ("A drone attack hit an oil depot in Port Sudan on Sunday.", "Air/drone strike", "ASSAULT"),
        ("JNIM militants ambushed a convoy of Malian soldiers near Djibo.", "Armed clash", "ASSAULT"),
        ("Gunmen abducted 20 students from a school in Kaduna.", "Abduction/forced disappearance", "ASSAULT"),
        ("Police arrested dozens of opposition supporters in Kampala.", "Arrests", "COERCE"),
        ("Thousands of people protested in Tbilisi against the law.", "Peaceful protest", "PROTEST"),
        ("M23 rebels seized the town of Rubaya on Tuesday.", "Non-state actor overtakes territory", "COERCE"),
    ],
)
def test_acled_and_plover_types(text, sub_event_type, plover) -> None:
    a = extract(text)
    assert any(e.sub_event_type == sub_event_type and e.plover.event == plover for e in a.events), [
        (e.plover.event, e.sub_event_type) for e in a.events
    ]


def test_fatalities_are_the_lowest_figure() -> None:
    a = extract(
        "An airstrike on the market in Sagaing killed at least 11 people; local media said 15 were killed."
    )
    strikes = [e for e in a.events if e.sub_event_type == "Air/drone strike"]
    assert strikes and strikes[0].fatalities == 11


def test_actor_and_target() -> None:
    a = extract("JNIM militants ambushed a convoy of Malian soldiers near Djibo on Monday.")
    (event,) = [e for e in a.events if e.plover.event == "ASSAULT"]
    assert event.actor1 is not None and "JNIM" in (event.actor1.name or "")
    assert event.actor2 is not None and event.actor2.country_code == "ML"
    assert event.location is not None and event.location.geo_precision == 2  # near Djibo


@pytest.mark.parametrize(
    ("text", "plover"),
    [
        ("Norway is willing to send troops to the peacekeeping force.", "AGREE"),
        ("Syria says it will not accept any more refugees.", "REJECT"),
        ("Russia said on Tuesday that Sudan must return the helicopter.", "REQUEST"),
        ("The two governments agreed to a ceasefire on Sunday.", "AGREE"),
        ("The United Nations imposed sanctions on the junta.", "SANCTION"),
        ("The foreign minister met his Turkish counterpart in Ankara.", "CONSULT"),
    ],
)
def test_statements_are_typed_in_plover(text, plover) -> None:
    a = extract(text)
    top = max(a.events, key=lambda e: e.confidence)
    assert top.plover.event == plover, [(e.plover.event, e.confidence) for e in a.events]


def test_without_publication_date_relative_dates_are_unresolved() -> None:
    a = frontline.extract("Rebels seized Hama on Thursday.")
    assert a.events and all(e.date is None for e in a.events)
    assert any(e.date_text is None or "Thursday" in e.date_text for e in a.events)
    assert any("publication date" in w for w in a.warnings)


@pytest.mark.parametrize(
    ("text", "place", "holder"),
    [
        ("The town of Kupiansk fell to Russian forces on Monday.", "Kupiansk", "Russian armed forces"),
        ("Kharkiv was captured by Russian troops on Monday.", "Kharkiv", "Russian armed forces"),
        ("Iraqi forces declared the city of Mosul liberated on Monday.", "Mosul", "Iraqi armed forces"),
    ],
)
def test_who_holds_the_place_now(text, place, holder) -> None:
    change = only_change(extract(text))
    assert change.place.name == place and change.to.name == holder
    assert change.date is not None and change.date.isoformat() == "2024-06-17"


def test_withdrawal_from_a_place_the_other_side_was_attacking() -> None:
    a = extract(
        "Ukraine has withdrawn its troops from the eastern town of Vuhledar, the army said on Wednesday. "
        "Russian forces had been trying to take the town for two years.",
        published="2024-10-03",
    )
    change = only_change(a)
    assert change.place.name == "Vuhledar" and change.to.name == "Russian armed forces"
    assert change.status == "confirmed" and change.date.isoformat() == "2024-10-02"


def test_a_group_the_catalogue_does_not_know_is_kept_as_written() -> None:
    a = extract(
        "Ethnic armed groups said on Thursday they had seized the border town of Laukkai from the military "
        "government.",
        published="2024-01-12",
    )
    change = only_change(a)
    assert change.to.name is None and change.to.text == "Ethnic armed groups"
    assert change.from_ is not None and change.from_.country_code == "MM"
    assert change.status == "claimed"


def test_a_withdrawal_right_after_a_claim_confirms_it() -> None:
    a = extract(
        "The Malian army said on Tuesday it had taken control of Kidal. Rebels of the CSP alliance said they "
        "had made a strategic withdrawal.",
        published="2023-11-15",
    )
    change = only_change(a)
    assert change.place.name == "Kidal" and change.status == "confirmed"
