"""Quotes: speakers, affiliations, continued quotes, reported speech."""

from __future__ import annotations

import frontline


def test_quote_speaker_affiliation_and_continuation() -> None:
    text = (
        "“The front has collapsed,” said Anna Petrova, an analyst at the International Crisis Group. "
        "“Nobody expected it so soon.”\nThe ministry declined to comment.\n"
        "“We will hold the line,” Petrova added."
    )
    a = frontline.extract(text, published="2024-05-01")
    quotes = {q.text: q for q in a.quotes}
    first = quotes["The front has collapsed"]
    assert first.speaker.name == "Anna Petrova" and first.affiliation == "International Crisis Group"
    assert quotes["Nobody expected it so soon."].speaker.name == "Anna Petrova"
    later = quotes["We will hold the line"]
    assert later.speaker.text == "Petrova" and later.speaker.name == "Anna Petrova"
    assert later.affiliation == "International Crisis Group"
    start, end = first.span
    assert text[start:end] == "The front has collapsed"


def test_reported_speech_has_its_speaker() -> None:
    text = "Governor Oleh Syniehubov said Russian missiles struck Kharkiv overnight."
    a = frontline.extract(text, published="2024-05-01")
    (quote,) = a.quotes
    assert quote.speaker.name == "Oleh Syniehubov"
    assert quote.text.startswith("Russian missiles struck Kharkiv")


def test_scare_quotes_are_not_speech() -> None:
    a = frontline.extract(
        "Troops repositioned to avoid “urban combat” near the city.", published="2024-05-01"
    )
    assert a.quotes == []
