"""Pipeline factories for the API's analysis process (import paths, as ``Settings.pipeline_factory``
takes them). ``spinning`` reads "SPIN <seconds>" in a text and burns that much CPU in pure Python, as a
very long article does; otherwise it answers at once with one event per sentence naming Hama."""

from __future__ import annotations

import os
import re
import time

from frontline.article import Article
from frontline.schema import Analysis, ArticleInfo, Event, Location, Plover
from frontline.settings import Settings

HAMA = Location(name="Hama", geonameid=170017, lat=35.13179, lon=36.75783, country_code="SY")


class Spinning:
    def __call__(self, article: Article) -> Analysis:
        match = re.search(r"SPIN (\d+(?:\.\d+)?)", article.text)
        if match:
            end = time.monotonic() + float(match.group(1))
            while time.monotonic() < end:  # CPU, holding this process's GIL the whole time
                pass
        if "CRASH" in article.text:
            os._exit(3)
        events = [
            Event(
                id=f"e{n}",
                sentence=m.group(0),
                span=m.span(),
                event_type="Battles",
                sub_event_type="Armed clash",
                plover=Plover(event="ASSAULT"),
                location=HAMA,
            )
            for n, m in enumerate(re.finditer(r"[^.]*Hama[^.]*\.", article.text))
        ]
        info = ArticleInfo(id=article.id, title=article.title, published=article.published)
        return Analysis(article=info, events=events)


def spinning(settings: Settings | None) -> Spinning:
    return Spinning()
