"""A small, hand-built corpus for the API and browser tests: five reports of the end of 2024 in Syria and
one from Ukraine, each with the analysis a careful reader would write down (so the tests check the API,
not the extractor). Stored through the store's public ``save_analysis``, never by SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from frontline.article import Article
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
from frontline.store import Store

ALEPPO = Location(
    name="Aleppo", geonameid=170063, lat=36.20124, lon=37.16117, country_code="SY", admin1="Aleppo"
)
HAMA = Location(name="Hama", geonameid=170017, lat=35.13179, lon=36.75783, country_code="SY", admin1="Hama")
HOMS = Location(name="Homs", geonameid=169577, lat=34.72682, lon=36.72339, country_code="SY", admin1="Homs")
DAMASCUS = Location(
    name="Damascus", geonameid=170654, lat=33.5102, lon=36.29128, country_code="SY", admin1="Damascus"
)
IDLIB = Location(
    name="Idlib", geonameid=169389, lat=35.93062, lon=36.63393, country_code="SY", admin1="Idlib"
)
# Not in the gazetteer on purpose: the place then has a name-based id (nm:...), which the API must handle.
KURAKHOVE = Location(name="Kurakhove", lat=47.9833, lon=37.2833, country_code="UA", admin1="Donetsk")

HTS = Actor(text="Hayat Tahrir al-Sham", name="Hayat Tahrir al-Sham", side="rebels", country_code="SY")
SAA = Actor(text="government forces", name="Syrian Arab Army", side="government", country_code="SY")
RUAF = Actor(text="Russian jets", name="Russian Air Force", side="government", country_code="RU")
RUS = Actor(text="Russian forces", name="Russian Armed Forces", side="Russia", country_code="RU")
UKR = Actor(text="Ukrainian troops", name="Ukrainian Armed Forces", side="Ukraine", country_code="UA")
CIVS = Actor(text="residents", name="Protesters (Syria)", side="civilians", country_code="SY")


@dataclass
class Draft:
    """An article being written down: sentences are appended and every span is computed, never typed."""

    id: str
    title: str
    published: dt.date
    url: str
    source: str
    text: str = ""
    events: list[Event] = field(default_factory=list)
    changes: list[ControlChange] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    toponyms: list[Toponym] = field(default_factory=list)

    def say(self, sentence: str) -> int:
        start = len(self.text) + (1 if self.text else 0)
        self.text = f"{self.text} {sentence}" if self.text else sentence
        return start

    def event(self, sentence: str, trigger: str, **kw: object) -> str:
        at = self.say(sentence)
        begin = at + sentence.index(trigger)
        ident = f"{self.id}-e{len(self.events) + 1}"
        self.events.append(Event(id=ident, sentence=sentence, span=(begin, begin + len(trigger)), **kw))  # type: ignore[arg-type]
        loc = kw.get("location")
        if isinstance(loc, Location) and loc.name in sentence:
            t = at + sentence.index(loc.name)
            self.toponyms.append(
                Toponym(
                    text=loc.name,
                    span=(t, t + len(loc.name)),
                    geonameid=loc.geonameid,
                    lat=loc.lat,
                    lon=loc.lon,
                    country_code=loc.country_code,
                    feature="city",
                )
            )
        return ident

    def quote(self, sentence: str, words: str, speaker: Actor) -> None:
        at = self.say(sentence)
        begin = at + sentence.index(words)
        self.quotes.append(Quote(speaker=speaker, text=words, span=(begin, begin + len(words))))

    def build(self) -> tuple[Article, Analysis]:
        article = Article(
            text=self.text,
            id=self.id,
            title=self.title,
            published=self.published,
            url=self.url,
            source=self.source,
        )
        info = ArticleInfo(
            id=self.id, title=self.title, published=self.published, url=self.url, source=self.source
        )
        return article, Analysis(
            article=info,
            events=self.events,
            control_changes=self.changes,
            quotes=self.quotes,
            toponyms=self.toponyms,
        )


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def corpus() -> list[tuple[Article, Analysis]]:
    out = []

    a = Draft(
        "aleppo-1130",
        "Rebels seize most of Aleppo",
        d("2024-11-30"),
        "https://example.org/aleppo",
        "Example Wire",
    )
    e = a.event(
        "Rebels led by Hayat Tahrir al-Sham seized control of most of Aleppo on Saturday, a war "
        "monitor said.",
        "seized control",
        event_type="Battles",
        sub_event_type="Non-state actor overtakes territory",
        plover=Plover(event="ASSAULT"),
        date=d("2024-11-30"),
        time_precision=1,
        date_text="on Saturday",
        location=ALEPPO,
        actor1=HTS,
        actor2=SAA,
        confidence=0.9,
    )
    a.say("Government forces withdrew from the city after two days of fighting.")
    a.event(
        "Russian jets struck rebel positions near Idlib on Saturday.",
        "struck",
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        plover=Plover(event="ASSAULT", mode="aerial"),
        date=d("2024-11-30"),
        time_precision=1,
        date_text="on Saturday",
        location=IDLIB,
        actor1=RUAF,
        actor2=HTS,
        fatalities=4,
        confidence=0.8,
    )
    a.changes.append(
        ControlChange(
            place=ALEPPO,
            date=d("2024-11-30"),
            time_precision=1,
            to=HTS,
            from_=SAA,
            status="confirmed",
            event_ids=[e],
        )
    )
    out.append(a.build())

    h = Draft("hama-1206", "Rebels take Hama", d("2024-12-06"), "https://example.org/hama", "Example News")
    e = h.event(
        "Syrian rebels led by Hayat Tahrir al-Sham have seized control of Hama, a key city in "
        "western-central Syria.",
        "seized control",
        event_type="Battles",
        sub_event_type="Non-state actor overtakes territory",
        plover=Plover(event="ASSAULT"),
        date=d("2024-12-05"),
        time_precision=1,
        location=HAMA,
        actor1=HTS,
        actor2=SAA,
        confidence=0.9,
    )
    r = h.event(
        "The Syrian Defense Ministry confirmed the withdrawal of government forces from Hama on Thursday.",
        "withdrawal",
        event_type="Strategic developments",
        sub_event_type="Non-violent transfer of territory",
        plover=Plover(event="RETREAT", mode="withdraw"),
        date=d("2024-12-05"),
        time_precision=1,
        date_text="on Thursday",
        location=HAMA,
        actor1=SAA,
        confidence=0.9,
    )
    h.quote(
        "\u201cThis is a huge humiliation for Assad,\u201d said Samuel Ramani, an analyst.",
        "This is a huge humiliation for Assad,",
        Actor(text="Samuel Ramani", name="Samuel Ramani"),
    )
    h.event(
        "The group has set its sights on Homs, the next city to the south.",
        "set its sights",
        plover=Plover(event="THREATEN", mode="territory"),
        modality="threatened",
        location=HOMS,
        actor1=HTS,
        confidence=0.7,
    )
    # History recalled in a report of today: an event of 1982, which must not stretch the time slider.
    h.event(
        "Hama was the site of the 1982 massacre, in which Hafez al-Assad crushed an uprising.",
        "crushed",
        event_type="Violence against civilians",
        sub_event_type="Attack",
        plover=Plover(event="ASSAULT"),
        modality="historical",
        date=d("1982-07-01"),
        time_precision=3,
        date_text="1982",
        location=HAMA,
        actor1=Actor(text="Hafez al-Assad", name="Hafez al-Assad", side="government", country_code="SY"),
        confidence=0.8,
    )
    h.changes.append(
        ControlChange(
            place=HAMA,
            date=d("2024-12-05"),
            time_precision=1,
            to=HTS,
            from_=SAA,
            status="confirmed",
            event_ids=[e, r],
        )
    )
    out.append(h.build())

    s = Draft(
        "homs-1207",
        "Rebels say they are inside Homs",
        d("2024-12-07"),
        "https://example.org/homs",
        "Example Wire",
    )
    e = s.event(
        "Rebel commanders said on Saturday that their fighters had captured Homs, a claim the army denied.",
        "captured",
        event_type="Battles",
        sub_event_type="Non-state actor overtakes territory",
        plover=Plover(event="ASSAULT"),
        modality="claimed",
        date=d("2024-12-07"),
        time_precision=1,
        date_text="on Saturday",
        location=HOMS,
        actor1=HTS,
        actor2=SAA,
        confidence=0.6,
    )
    s.changes.append(
        ControlChange(
            place=HOMS,
            date=d("2024-12-07"),
            time_precision=1,
            to=HTS,
            from_=SAA,
            status="claimed",
            event_ids=[e],
        )
    )
    out.append(s.build())

    m = Draft(
        "damascus-1208",
        "Assad falls as rebels enter Damascus",
        d("2024-12-08"),
        "https://example.org/damascus",
        "Example News",
    )
    e = m.event(
        "Rebel forces entered Damascus on Sunday and the army command told officers the government "
        "had fallen.",
        "entered Damascus",
        event_type="Battles",
        sub_event_type="Non-state actor overtakes territory",
        plover=Plover(event="ASSAULT"),
        date=d("2024-12-08"),
        time_precision=1,
        date_text="on Sunday",
        location=DAMASCUS,
        actor1=HTS,
        actor2=SAA,
        confidence=0.9,
    )
    m.event(
        "Residents of Damascus gathered in Umayyad Square on Sunday, chanting against the old government.",
        "gathered",
        event_type="Protests",
        sub_event_type="Peaceful protest",
        plover=Plover(event="PROTEST"),
        date=d("2024-12-08"),
        time_precision=1,
        date_text="on Sunday",
        location=DAMASCUS,
        actor1=CIVS,
        confidence=0.7,
    )
    m.changes.append(
        ControlChange(
            place=DAMASCUS,
            date=d("2024-12-08"),
            time_precision=1,
            to=HTS,
            from_=SAA,
            status="confirmed",
            event_ids=[e],
        )
    )
    out.append(m.build())

    k = Draft(
        "kurakhove-1220",
        "Russia says it has taken Kurakhove",
        d("2024-12-20"),
        "https://example.org/kurakhove",
        "Example Wire",
    )
    e = k.event(
        "Russia's defence ministry said on Friday that Russian forces had taken Kurakhove, which "
        "Ukrainian troops had held for months.",
        "taken Kurakhove",
        event_type="Battles",
        sub_event_type="Armed clash",
        plover=Plover(event="ASSAULT"),
        modality="claimed",
        date=d("2024-12-20"),
        time_precision=1,
        date_text="on Friday",
        location=KURAKHOVE,
        actor1=RUS,
        actor2=UKR,
        confidence=0.6,
    )
    k.changes.append(
        ControlChange(
            place=KURAKHOVE,
            date=d("2024-12-20"),
            time_precision=1,
            to=RUS,
            from_=UKR,
            status="claimed",
            event_ids=[e],
        )
    )
    out.append(k.build())
    return out


def seed(store: Store) -> list[tuple[Article, Analysis]]:
    items = corpus()
    for article, analysis in items:
        store.save_analysis(article, analysis, origin=article.url)
    return items
