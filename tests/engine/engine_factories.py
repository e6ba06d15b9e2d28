"""Pipeline factories for the engine tests: import paths the workers load, as they load the real one.

``fake_pipeline`` reads an article in microseconds and deterministically (so serial, pool and Ray results
can be compared byte for byte), and obeys planted instructions in the text:

- ``FAIL``: raise, as a pipeline bug would;
- ``CRASH_ONCE``: kill the worker process the first time (a marker file under ``settings.data_dir``
  remembers it), succeed when retried;
- ``CRASH_ALWAYS``: kill the worker process every time;
- ``SLOW``: take 1.5 s.

Every pipeline load appends its process id to ``settings.data_dir / "loads.log"`` so tests can count them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import time
from pathlib import Path

from frontline.article import Article
from frontline.errors import ExtractionError
from frontline.schema import Actor, Analysis, ArticleInfo, Event, Location, Plover
from frontline.settings import Settings

PLACES = {
    "Hama": (170017, 35.13, 36.75, "SY"),
    "Aleppo": (170063, 36.2, 37.16, "SY"),
    "Bakhmut": (712451, 48.6, 38.0, "UA"),
    "Goma": (216281, -1.68, 29.22, "CD"),
}


class FakePipeline:
    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch

    def __call__(self, article: Article) -> Analysis:
        text = article.text
        if "CRASH_ALWAYS" in text:
            os._exit(3)
        if "CRASH_ONCE" in text:
            marker = self.scratch / f"crashed-{article.id}"
            if not marker.exists():
                marker.write_text(str(os.getpid()))
                os._exit(3)
        if "SLOW" in text:
            time.sleep(1.5)
        if "FAIL" in text:
            raise ExtractionError("planted failure", source=article.id)
        events = []
        for number, match in enumerate(re.finditer(r"[^.]*\b(" + "|".join(PLACES) + r")\b[^.]*\.", text)):
            name = match.group(1)
            gid, lat, lon, cc = PLACES[name]
            offset = int(hashlib.sha256(match.group(0).encode()).hexdigest(), 16) % 40
            date = article.published - dt.timedelta(days=offset) if article.published else None
            events.append(
                Event(
                    id=f"{article.id}-e{number}",
                    sentence=match.group(0).strip(),
                    span=match.span(),
                    event_type="Battles",
                    sub_event_type="Armed clash",
                    plover=Plover(event="ASSAULT"),
                    date=date,
                    time_precision=1 if date else None,
                    location=Location(name=name, geonameid=gid, lat=lat, lon=lon, country_code=cc),
                    actor1=Actor(text="rebels", side="rebels"),
                    fatalities=offset % 7,
                    confidence=0.5,
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
        )


def _log_load(settings: Settings | None) -> Path:
    scratch = settings.data_dir if settings is not None else Path.cwd()
    with (scratch / "loads.log").open("a") as fh:
        fh.write(f"{os.getpid()}\n")
    return scratch


def fake_pipeline(settings: Settings | None) -> FakePipeline:
    return FakePipeline(_log_load(settings))


def broken_pipeline(settings: Settings | None) -> FakePipeline:
    raise FileNotFoundError("gazetteer.sqlite is missing (planted)")


def make_articles(n: int, *, plant: dict[int, str] | None = None) -> list[Article]:
    """``n`` short distinct articles; ``plant`` puts an instruction (FAIL, CRASH_ONCE ...) in some."""
    plant = plant or {}
    names = list(PLACES)
    out = []
    for i in range(n):
        place = names[i % len(names)]
        other = names[(i * 7 + 3) % len(names)]
        text = (
            f"Report {i}. Fighters attacked positions near {place} at dawn. Shelling hit {other} later. "
            f"Officials gave no figures. {plant.get(i, '')}"
        )
        out.append(
            Article(
                text=text,
                id=f"a{i:04d}",
                title=f"Report {i}",
                published=dt.date(2024, 1, 1) + dt.timedelta(days=3 * i),
            )
        )
    return out


def loads(settings: Settings) -> list[str]:
    """The process ids that loaded a pipeline, one per load."""
    log = settings.data_dir / "loads.log"
    return log.read_text().split() if log.exists() else []


# Short reports in the register of conflict news, for running the real pipeline through the engines.
REPORTS = [
    (
        "2024-12-06",
        "Syrian rebels led by Hayat Tahrir al-Sham seized control of Hama on Thursday, a week "
        "after they captured Aleppo. The Syrian army said its troops had withdrawn from the city to avoid "
        "urban combat. “This is a huge humiliation for Assad,” said Samuel Ramani, an analyst at the "
        "Royal United Services Institute. The group said it would advance on Homs next.",
    ),
    (
        "2023-05-21",
        "Russian forces and Wagner Group fighters took full control of Bakhmut on Saturday, the "
        "Russian Defence Ministry said. Ukraine's military denied that the city had fallen and said its "
        "troops still held positions in the south-west. At least 12 civilians were killed by shelling in "
        "Kostiantynivka on Friday, regional officials said.",
    ),
    (
        "2025-01-28",
        "M23 rebels entered Goma on Monday after days of fighting with the Congolese army and UN "
        "peacekeepers. Residents said gunfire could be heard near the airport. The rebels said they had "
        "captured the city, a claim the government in Kinshasa rejected. Protesters attacked several "
        "embassies in Kinshasa on Tuesday.",
    ),
    (
        "2024-10-26",
        "The Rapid Support Forces attacked villages east of Wad Madani last week, killing at "
        "least 124 people, local activists said. The Sudanese army said it had repelled an RSF assault on "
        "El Fasher on Thursday. Aid agencies warned that food was running out in the city.",
    ),
]


def make_reports() -> list[Article]:
    return [
        Article(text=text, title=text.split(".")[0][:60], published=dt.date.fromisoformat(day))
        for day, text in REPORTS
    ]


def exiting_pipeline(settings: Settings | None) -> FakePipeline:
    os._exit(3)  # a worker that dies as it starts (a missing native library, a script without a main guard)
