"""A stand-in for the extraction pipeline in ingest tests: fast, deterministic, no models.

It reads "<Actor> seized <Place>" style sentences for three known places and reports a capture event and a
control change dated the day before publication. It is an *input* to the code under test (ingest, store),
like a hand-made Analysis; the real pipeline is exercised by the end-to-end tests.
Set ``FRONTLINE_STUB_DELAY`` (seconds) to make each article slow, for the kill-and-rerun test.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from typing import Any

from frontline.article import Article
from frontline.schema import (
    Actor,
    Analysis,
    ArticleInfo,
    ControlChange,
    Event,
    Location,
    Plover,
)

PLACES = {
    "Hama": Location(name="Hama", geonameid=170017, lat=35.13179, lon=36.75783, country_code="SY"),
    "Aleppo": Location(name="Aleppo", geonameid=170063, lat=36.20124, lon=37.16117, country_code="SY"),
    "Homs": Location(name="Homs", geonameid=169577, lat=34.72682, lon=36.72339, country_code="SY"),
}
HTS = Actor(text="rebels", name="Hayat Tahrir al-Sham", side="rebels", country_code="SY")
CAPTURE = re.compile(
    r"(seized|captured|took|fell to)[^.]*?\b(Hama|Aleppo|Homs)\b|\b(Hama|Aleppo|Homs)\b fell"
)


def analyse(article: Article) -> Analysis:
    delay = float(os.environ.get("FRONTLINE_STUB_DELAY", "0") or 0)
    if delay:
        time.sleep(delay)
    if "EXPLODE" in article.text:
        raise ValueError("the stub was told to fail on this article")
    events, changes = [], []
    date = article.published - dt.timedelta(days=1) if article.published else None
    for n, match in enumerate(CAPTURE.finditer(article.text)):
        place = PLACES[match.group(2) or match.group(3)]
        start = article.text.rfind(".", 0, match.start()) + 1
        end = article.text.find(".", match.end())
        end = len(article.text) if end < 0 else end + 1
        eid = f"e{n + 1}"
        events.append(
            Event(
                id=eid,
                sentence=article.text[start:end].strip(),
                span=(match.start(), match.end()),
                event_type="Battles",
                sub_event_type="Non-state actor overtakes territory",
                plover=Plover(event="ASSAULT"),
                date=date,
                time_precision=1 if date else None,
                location=place,
                actor1=HTS,
                confidence=0.9,
            )
        )
        changes.append(
            ControlChange(
                place=place,
                date=date,
                time_precision=1 if date else None,
                to=HTS,
                status="confirmed",
                event_ids=[eid],
            )
        )
    return Analysis(
        article=ArticleInfo(
            id=article.id,
            title=article.title,
            published=article.published,
            url=article.url,
            source=article.source,
        ),
        events=events,
        control_changes=changes,
    )


def build(settings: Any = None) -> Any:
    """The pipeline factory (``corpus.stub:build``) the engines load by import path."""
    return analyse
