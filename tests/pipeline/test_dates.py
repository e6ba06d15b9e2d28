"""Dates against the publication date, with ACLED precision; history as history."""

from __future__ import annotations

import datetime as dt

import pytest

from frontline.pipeline.dates import find_dates

FRIDAY = dt.date(2024, 12, 6)


def first(text: str, published: dt.date | None = FRIDAY):
    found = list(find_dates(text, published))
    assert found, f"no date found in {text!r}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("Troops withdrew on Thursday.", dt.date(2024, 12, 5), 1),
        ("Rebels entered the city on Friday.", dt.date(2024, 12, 6), 1),
        ("The town fell yesterday.", dt.date(2024, 12, 5), 1),
        ("Shelling resumed two days ago.", dt.date(2024, 12, 4), 1),
        ("On 5 December 2024 the army left.", dt.date(2024, 12, 5), 1),
        ("On December 3 the army left.", dt.date(2024, 12, 3), 1),
        ("Clashes broke out last week.", dt.date(2024, 11, 28), 2),
        ("It was the second city to fall in a week.", dt.date(2024, 12, 3), 2),
        ("Fighting began in March 2023.", dt.date(2023, 3, 15), 3),
        ("The massacre of 1982 is remembered.", dt.date(1982, 7, 1), 3),
        ("The siege began last month.", dt.date(2024, 11, 15), 3),
        ("The raid took place on 2024-11-30.", dt.date(2024, 11, 30), 1),
    ],
)
def test_resolves_against_publication(text, date, precision) -> None:
    _, _, _, got, prec, _ = first(text)
    assert (got, prec) == (date, precision)


def test_december_read_in_january_is_last_year() -> None:
    _, _, _, got, _, _ = first("The attack on 28 December killed four.", dt.date(2025, 1, 3))
    assert got == dt.date(2024, 12, 28)


def test_relative_dates_stay_unresolved_without_publication_date() -> None:
    _, _, text, got, _, relative = first("Troops withdrew on Thursday.", None)
    assert text == "on Thursday" and got is None and relative


def test_absolute_dates_resolve_without_publication_date() -> None:
    _, _, _, got, _, _ = first("On 5 December 2024 the army left.", None)
    assert got == dt.date(2024, 12, 5)


@pytest.mark.parametrize(
    "text",
    [
        "Rebels may attempt to push further.",  # the verb "may" is not May
        "a 40-year-old wound",  # an age is not a date
        "Some 2000 people fled.",  # a count is not a year
        "It was 31 February 2024.",  # no such day
    ],
)
def test_not_dates(text) -> None:
    found = [f for f in find_dates(text, FRIDAY) if f[4] == 1]
    assert found == []
    assert all(f[2] != "may" for f in find_dates(text, FRIDAY))
