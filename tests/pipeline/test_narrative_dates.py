"""Dates a story tells in its own time: a day without a year in the year the story is in, "the next day",
"two days later", a dateline's date, "25 years since"."""

from __future__ import annotations

import datetime as dt

from frontline.article import from_text


def dates(pipeline, text: str, published: str) -> dict[str, dt.date | None]:
    state = pipeline.run(from_text(text, published=published))
    return {d.text: d.date for d in state.dates}


def test_a_day_without_a_year_is_in_the_story_year(pipeline) -> None:
    got = dates(
        pipeline, "On 5 April 2024 the garrison surrendered. On 11 April the KNLA left.", "2025-06-10"
    )
    assert got["On 11 April"] == dt.date(2024, 4, 11)


def test_a_timeline_with_old_background_keeps_the_publication_year(pipeline) -> None:
    text = (
        "Islamic State seized Mosul in June 2014.\n20 October - Special forces retake Bartella.\n"
        "24 January - Troops enter the east."
    )
    got = dates(pipeline, text, "2017-07-11")
    assert got["20 October"] == dt.date(2016, 10, 20) and got["24 January"] == dt.date(2017, 1, 24)


def test_relative_to_the_story(pipeline) -> None:
    got = dates(
        pipeline,
        "On 5 April 2024 the garrison surrendered. "
        "The KNLA took the town the same day, and two days later it fell.",
        "2025-06-10",
    )
    assert got["the same day"] == dt.date(2024, 4, 5) and got["two days later"] == dt.date(2024, 4, 7)


def test_part_of_a_month(pipeline) -> None:
    got = dates(
        pipeline,
        "Militants overran the city in early January 2014 and lost it in late March 2016.",
        "2017-01-01",
    )
    assert set(got.values()) >= {dt.date(2014, 1, 5), dt.date(2016, 3, 25)}, got


def test_a_dateline_is_not_read_as_an_event_date(pipeline) -> None:
    got = dates(
        pipeline, "KYIV, Oct 3 (Frontline) – Russia said it had taken Vuhledar on Wednesday.", "2024-10-03"
    )
    assert "Oct 3" not in got and got["on Wednesday"] == dt.date(2024, 10, 2)
