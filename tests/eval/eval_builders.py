"""Small constructors for hand-built Analysis objects, so each test states only what it is about."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from frontline.schema import (
    Actor,
    Analysis,
    ArticleInfo,
    ControlChange,
    Event,
    Location,
    Plover,
    Quote,
    Toponym,
)

# Here rather than in conftest.py: test modules cannot import a conftest by name reliably when other test
# folders have conftest.py files of their own.
FLOORS = Path(__file__).with_name("floors.json")
GOLD = Path(__file__).resolve().parents[1] / "data" / "eval" / "gold.jsonl"

HAMA, ALEPPO, HOMS, DAMASCUS, MOSCOW = 170017, 170063, 169577, 170654, 524901


def place(geonameid: int | None, name: str = "somewhere", country_code: str | None = "SY") -> Location:
    return Location(name=name, geonameid=geonameid, country_code=country_code)


def actor(text: str, name: str | None = None, side: str | None = None) -> Actor:
    return Actor(text=text, name=name, side=side)


def date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def event(
    id: str = "e1",
    sentence: str = "Something happened.",
    plover: str = "ASSAULT",
    *,
    on: str | None = None,
    at: Location | None = None,
    confidence: float = 0.5,
    **fields: Any,
) -> Event:
    return Event(
        id=id,
        sentence=sentence,
        span=(0, 1),
        plover=Plover(event=plover),
        date=date(on),
        location=at,
        confidence=confidence,
        **fields,
    )


def control(
    at: Location, to: Actor, *, on: str | None = None, frm: Actor | None = None, status: str = "confirmed"
):
    return ControlChange(place=at, to=to, from_=frm, date=date(on), status=status)  # type: ignore[arg-type]


def quote(speaker: Actor, text: str, affiliation: str | None = None) -> Quote:
    return Quote(speaker=speaker, text=text, affiliation=affiliation, span=(0, len(text)))


def toponym(text: str, geonameid: int | None = None, country_code: str | None = None) -> Toponym:
    return Toponym(text=text, span=(0, len(text)), geonameid=geonameid, country_code=country_code)


def analysis(
    events: list[Event] | None = None,
    control_changes: list[ControlChange] | None = None,
    quotes: list[Quote] | None = None,
    toponyms: list[Toponym] | None = None,
    id: str = "test",
) -> Analysis:
    return Analysis(
        article=ArticleInfo(id=id),
        events=events or [],
        control_changes=control_changes or [],
        quotes=quotes or [],
        toponyms=toponyms or [],
    )


def hama_as_read() -> Analysis:
    """The Hama report as a careful analyst reads it, written out by hand from the article (not from any
    program's output): what ``expected.json`` should accept."""
    hts = actor("rebels", "Hayat Tahrir al-Sham", "rebels")
    army = actor("government forces", "Syrian Armed Forces", "government")
    return analysis(
        events=[
            event(
                "e1",
                "Syrian rebels, led by the Islamist group Hayat Tahrir al-Sham (HTS), have seized control "
                "of Hama",
                "ASSAULT",
                on="2024-12-05",
                at=place(HAMA, "Hama"),
                actor1=hts,
                actor2=army,
                event_type="Battles",
                sub_event_type="Non-state actor overtakes territory",
            ),
            event(
                "e2",
                "The Syrian Defense Ministry confirmed the withdrawal of government forces from Hama on "
                "Thursday",
                "RETREAT",
                on="2024-12-05",
                at=place(HAMA, "Hama"),
                actor1=army,
            ),
            event(
                "e3",
                "Fighters stormed the city's central prison, freeing hundreds of detainees",
                "ASSAULT",
                on="2024-12-05",
                at=place(HAMA, "Hama"),
                actor1=actor("Fighters", "Hayat Tahrir al-Sham"),
            ),
            event(
                "e4",
                "The group has now set its sights on Homs",
                "THREATEN",
                at=place(HOMS, "Homs"),
                actor1=actor("The group", "Hayat Tahrir al-Sham"),
                modality="threatened",
            ),
            event(
                "e5",
                "The city was the site of the 1982 massacre",
                "ASSAULT",
                on="1982-02-15",
                at=place(HAMA, "Hama"),
                actor1=actor("Hafez al-Assad", "Hafez al-Assad", "government"),
                modality="historical",
            ),
            event(
                "e6",
                "the rebels' capture of Aleppo",
                "ASSAULT",
                on="2024-11-29",
                at=place(ALEPPO, "Aleppo"),
                actor1=hts,
                sub_event_type="Non-state actor overtakes territory",
                event_type="Battles",
            ),
        ],
        control_changes=[
            control(place(HAMA, "Hama"), hts, on="2024-12-05", frm=army),
            control(place(ALEPPO, "Aleppo"), hts, on="2024-11-29"),
        ],
        quotes=[
            quote(
                actor("Samuel Ramani", "Samuel Ramani"),
                "This is a huge humiliation for Assad",
                "Royal United Services Institute",
            ),
            quote(actor("Ramani", "Samuel Ramani"), "It doesn't mean that Damascus is going to fall"),
            quote(actor("Abu Mohammad al-Jolani", "Abu Mohammad al-Jolani"), "cleansing a 40-year-old wound"),
            quote(
                actor("an HTS spokesperson", "Hayat Tahrir al-Sham"),
                "Our heroic people in Homs, your time has come",
            ),
        ],
        toponyms=[
            toponym("Hama", HAMA, "SY"),
            toponym("Aleppo", ALEPPO, "SY"),
            toponym("Homs", HOMS, "SY"),
            toponym("Damascus", DAMASCUS, "SY"),
            toponym("Moscow", MOSCOW, "RU"),
            toponym("Syria", 163843, "SY"),
            toponym("Russia", 2017370, "RU"),
            toponym("Iran", 130758, "IR"),
            toponym("Ukraine", 690791, "UA"),
        ],
    )
