"""The pipeline's working state, its stage protocol, and the check that stages come in a workable order.

A stage is a callable with a ``name``, the state fields it ``requires`` and the fields it ``sets``
(as spaCy's components declare ``requires=``/``assigns=``). ``check_order`` runs once when a pipeline is
assembled, so a misordered pipeline fails at start-up with a message, not mid-article with a crash.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable

from ..actors.base import CatalogueActor
from ..errors import ConfigError
from ..gazetteer.base import Place
from ..schema import Actor, ControlChange, Feature, Location, Quote, Toponym

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from ..article import Article

# What a fresh State already holds before any stage runs.
INITIAL_FIELDS = ("article", "text")


@dataclass(slots=True)
class Sentence:
    index: int
    start: int  # character offsets into the article text, [start, end)
    end: int
    text: str
    heading: bool = False  # a heading line with no full stop: its own segment, never an event


@dataclass(slots=True)
class ActorMention:
    """A reference to an actor in the text, resolved (or not) to the catalogue."""

    start: int
    end: int
    text: str
    sent: int
    actor: CatalogueActor | None = None
    # how it was resolved: "named" (catalogue name/alias), "generic" (a role tied to an actor by context,
    # "the rebels"), "coref" (a pronoun-like reference, "the group"), "person" (a named person),
    # "unresolved"
    how: str = "named"
    person: str | None = None  # a named person ("Abu Mohammad al-Jolani") when the mention is one
    title: str | None = None  # "leader", "spokesperson", "President" ...
    confidence: float = 1.0

    def to_actor(self) -> Actor:
        a = self.actor
        return Actor(
            text=self.text,
            name=(self.person or (a.name if a else None)),
            side=a.side if a else None,
            country_code=a.country_code if a else None,
        )


@dataclass(slots=True)
class PlaceMention:
    """A place reference in the text, resolved (or not) against the gazetteer."""

    start: int
    end: int
    text: str
    sent: int
    place: Place | None = None
    feature: str = "other"
    precision: int = 1  # ACLED geo precision: 1 the place, 2 near/part of it, 3 a larger region
    qualifier: str | None = None  # "outskirts", "countryside", "near", "30 miles south of" ...
    anaphor: bool = False  # "the city" resolved to an earlier place
    demonym: bool = False  # "Syrian", "Ukrainian": tied to a country, not an event location
    confidence: float = 1.0

    def to_location(self, name: str | None = None) -> Location:
        """The schema's Location; ``name`` replaces GeoNames' (diacritic) name with the article's spelling."""
        p = self.place
        if p is None:
            return Location(name=name or self.text, geo_precision=_prec(self.precision))
        return Location(
            name=name or p.name,
            # A curated region (negative id) has a point but no GeoNames record.
            geonameid=p.geonameid if p.geonameid > 0 else None,
            lat=p.lat,
            lon=p.lon,
            country_code=p.country_code,
            admin1=p.admin1,
            geo_precision=_prec(self.precision),
        )

    def to_toponym(self) -> Toponym:
        p = self.place
        feature = (
            self.feature if self.feature in ("country", "admin1", "admin2", "city", "other") else "other"
        )
        return Toponym(
            text=self.text,
            span=(self.start, self.end),
            geonameid=p.geonameid if p and p.geonameid > 0 else None,
            lat=p.lat if p else None,
            lon=p.lon if p else None,
            country_code=p.country_code if p else None,
            feature=cast(Feature, feature),
        )


def _prec(value: int) -> Any:
    return value if value in (1, 2, 3) else 3


@dataclass(slots=True)
class DateMention:
    start: int
    end: int
    text: str
    sent: int
    date: dt.date | None
    precision: int | None  # ACLED time precision 1/2/3
    historical: bool = False  # clearly before the article's period (years before publication)
    relative: bool = False  # needed the publication date


@dataclass(slots=True)
class EventDraft:
    """An event being built; ``to_event`` in the events stage turns it into the schema's Event."""

    sent: int
    trigger_start: int
    trigger_end: int
    trigger: str
    plover: str
    plover_mode: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    modality: str = "asserted"
    actor1: ActorMention | None = None
    actor2: ActorMention | None = None
    place: PlaceMention | None = None
    date: DateMention | None = None
    fatalities: int | None = None
    confidence: float = 0.5
    territorial: bool = False  # the event moves control of its place
    attributed_to: ActorMention | None = None  # who says so, for claims and denials
    context: list[str] = field(default_factory=list)
    id: str = ""
    token: int = -1  # index of the trigger's head token in ``State.doc``
    noun: bool = False  # a nominal trigger ("the capture of Aleppo") rather than a verb
    retake: bool = False  # "retook", "recaptured": the actor regains a place it had lost
    entry: dict = field(default_factory=dict)  # the lexicon entry that typed it
    # (sentence index, start, end) of every mention of this happening, the main one first (identity stage)
    mentions: list[tuple[int, int, int]] = field(default_factory=list)
    merged: list[EventDraft] = field(default_factory=list)  # the other mentions' drafts, for later stages
    # the ACLED event this one is part of (a withdrawal from a captured town): a draft, then its id
    part_of: Any = None


@dataclass
class State:
    """Everything known about one article while the stages run."""

    article: Article
    text: str
    doc: Doc | None = None
    sentences: list[Sentence] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    events: list[EventDraft] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    control_changes: list[ControlChange] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The article's country context (ISO alpha-2 codes, most mentioned first), set by the stage that knows.
    countries: list[str] = field(default_factory=list)
    # What the control reader weighed (its candidates, with features and scores): kept for training and
    # for explaining a decision, never part of the output.
    control_candidates: list[Any] = field(default_factory=list)

    def place_name(self, mention: PlaceMention) -> str | None:
        """How the article spells a place ("Hama", not GeoNames' "Ḩamāh"), from its first named mention."""
        if mention.place is None:
            return None
        for m in self.places:
            if (
                m.place is not None
                and m.place.geonameid == mention.place.geonameid
                and not m.anaphor
                and (not m.demonym)
            ):
                text = m.text
                for prefix in ("the ", "The "):
                    if text.startswith(prefix):
                        text = text[len(prefix) :]
                return text.removesuffix("’s").removesuffix("'s")
        return None

    def sentence_of(self, char: int) -> int:
        """Index into ``sentences`` of the sentence holding a character offset (the one before, in a gap).

        Mentions' ``sent`` fields are such indexes; compute them with this rather than by counting
        ``doc.sents``, which may include whitespace-only segments that ``sentences`` leaves out."""
        import bisect

        starts = [s.start for s in self.sentences]
        return max(0, bisect.bisect_right(starts, char) - 1)


def mention_at(state: State, tok: Token) -> ActorMention | None:
    """The actor mention a phrase headed by ``tok`` names: the one covering its head, else the first
    inside the phrase ("Samuel Ramani, an expert at ..." -> Samuel Ramani)."""
    lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)
    inside = None
    for m in state.actors:
        if m.start <= tok.idx < m.end:
            return m
        if inside is None and lo <= m.start < hi:
            inside = m
    return inside


@runtime_checkable
class Stage(Protocol):
    # read-only in the protocol, so a stage may declare them as fixed tuples
    @property
    def name(self) -> str: ...

    @property
    def requires(self) -> tuple[str, ...]: ...

    @property
    def sets(self) -> tuple[str, ...]: ...

    def __call__(self, state: State) -> None: ...


def check_order(stages: list[Stage]) -> None:
    """Fail at assembly if a stage needs a field that no earlier stage sets."""
    available = set(INITIAL_FIELDS)
    for stage in stages:
        missing = [f for f in stage.requires if f not in available]
        if missing:
            raise ConfigError(
                f"pipeline stage {stage.name!r} requires {missing}, which no earlier stage "
                f"sets (stages so far set: {sorted(available)}); reorder the stages"
            )
        available.update(stage.sets)
