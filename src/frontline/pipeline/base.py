"""The pipeline's working state, its stage protocol, and the check that stages come in a workable order.

A stage is a callable with a ``name``, the state fields it ``requires`` and the fields it ``sets``
(as spaCy's components declare ``requires=``/``assigns=``). ``check_order`` runs once when a pipeline is
assembled, so a misordered pipeline fails at start-up with a message, not mid-article with a crash.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable

from ..actors.base import CatalogueActor
from ..errors import ConfigError
from ..gazetteer.base import Place
from ..schema import Actor, ControlChange, Feature, Location, Quote, Toponym

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

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
    # the name an anaphor stands for when the gazetteer lacks it ("seized Rubaya ... retook it")
    refers_to: str | None = None

    def key(self) -> Any:
        """What makes two mentions the same place: the GeoNames id, else the name as written."""
        return self.place.geonameid if self.place is not None else self.text.lower().removeprefix("the ")

    def to_location(self, name: str | None = None) -> Location:
        """The schema's Location; ``name`` replaces GeoNames' (diacritic) name with the article's spelling."""
        p = self.place
        if p is None:
            return Location(name=name or self.refers_to or self.text, geo_precision=_prec(self.precision))
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
    # where a date with no text of its own came from: "offset" ("a week after" a date in the sentence),
    # "anchor" (the report's own period), "published"; "" for a date written in the text
    derived: str = ""

    @classmethod
    def derived_from(
        cls, date: dt.date, precision: int, sent: int, derived: str, historical: bool = False
    ) -> DateMention:
        """A date no words of the text spell out, and where it came from."""
        return cls(-1, -1, "", sent, date, precision, historical=historical, relative=True, derived=derived)


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
    # Lookup tables derived from the lists above, rebuilt when a list is replaced (see ``sentence_of``).
    _starts: list[int] = field(default_factory=list, repr=False, compare=False)
    _starts_of: list[Sentence] | None = field(default=None, repr=False, compare=False)
    _actor_start_list: list[int] = field(default_factory=list, repr=False, compare=False)
    _actor_starts_ok: bool = field(default=False, repr=False, compare=False)
    _actor_starts_of: list[ActorMention] | None = field(default=None, repr=False, compare=False)
    _ents: tuple[Span, ...] = field(default=(), repr=False, compare=False)
    _places_by_sent: dict[int, list[PlaceMention]] = field(default_factory=dict, repr=False, compare=False)
    _places_of: list[PlaceMention] | None = field(default=None, repr=False, compare=False)
    _places_len: int = field(default=0, repr=False, compare=False)
    _dates_by_sent: dict[int, list[DateMention]] = field(default_factory=dict, repr=False, compare=False)
    _dates_of: list[DateMention] | None = field(default=None, repr=False, compare=False)
    _dates_len: int = field(default=0, repr=False, compare=False)
    _ents_of: Doc | None = field(default=None, repr=False, compare=False)
    _actors_by_sent: dict[int, list[ActorMention]] = field(default_factory=dict, repr=False, compare=False)
    _actors_key: tuple[int, int] = field(default=(0, -1), repr=False, compare=False)
    # answers a stage works out once per report and asks for again per candidate, with what they depend on
    memo: dict[str, tuple[Any, Any]] = field(default_factory=dict, repr=False, compare=False)

    def place_name(self, mention: PlaceMention) -> str | None:
        """How the article spells a place ("Hama", not GeoNames' "Ḩamāh"), from its first named mention
        in ordinary case (a dateline's "LASHIO" is the same town as the "Lashio" of the story)."""
        if mention.place is None:
            return None
        names = [
            m.text
            for m in self.places
            if m.place is not None
            and m.place.geonameid == mention.place.geonameid
            and not m.anaphor
            and not m.demonym
        ]
        if not names:
            return None
        # all in capitals (only datelines name it): GeoNames' name
        text = next((t for t in names if not (t.isupper() and len(t) > 3)), mention.place.name)
        for prefix in ("the ", "The "):
            if text.startswith(prefix):
                text = text[len(prefix) :]
        return text.removesuffix("’s").removesuffix("'s")

    def sentence_of(self, char: int) -> int:
        """Index into ``sentences`` of the sentence holding a character offset (the one before, in a gap).

        Mentions' ``sent`` fields are such indexes; compute them with this rather than by counting
        ``doc.sents``, which may include whitespace-only segments that ``sentences`` leaves out."""
        return max(0, bisect.bisect_right(self._sentence_starts(), char) - 1)

    def _sentence_starts(self) -> list[int]:
        # Built once per list of sentences, not once per call: stages ask for every mention, and a list
        # rebuilt each time made long articles cost the square of their length.
        if self._starts_of is not self.sentences or len(self._starts) != len(self.sentences):
            self._starts = [s.start for s in self.sentences]
            self._starts_of = self.sentences
        return self._starts

    def actors_in(self, sent: int) -> list[ActorMention]:
        """The actor mentions of one sentence, in list order."""
        key = (id(self.actors), len(self.actors))
        if self._actors_key != key:
            self._actors_by_sent = {}
            for m in self.actors:
                self._actors_by_sent.setdefault(m.sent, []).append(m)
            self._actors_key = key
        return self._actors_by_sent.get(sent, [])

    def lede(self) -> Sentence | None:
        """The report's first sentence that is not a heading."""
        return next((s for s in self.sentences if not s.heading), None)

    def places_in(self, sent: int) -> list[PlaceMention]:
        """The place mentions of one sentence, in list order."""
        if self._places_of is not self.places or self._places_len != len(self.places):
            self._places_by_sent = {}
            for m in self.places:
                self._places_by_sent.setdefault(m.sent, []).append(m)
            self._places_of, self._places_len = self.places, len(self.places)
        return self._places_by_sent.get(sent, [])

    def dates_in(self, sent: int) -> list[DateMention]:
        """The date mentions of one sentence, in list order."""
        if self._dates_of is not self.dates or self._dates_len != len(self.dates):
            self._dates_by_sent = {}
            for d in self.dates:
                self._dates_by_sent.setdefault(d.sent, []).append(d)
            self._dates_of, self._dates_len = self.dates, len(self.dates)
        return self._dates_by_sent.get(sent, [])

    def ents(self) -> tuple[Span, ...]:
        """``doc.ents``, read once: spaCy builds that tuple anew from every token on each access."""
        assert self.doc is not None
        if self._ents_of is not self.doc:
            self._ents = tuple(self.doc.ents)
            self._ents_of = self.doc
        return self._ents

    def actor_at(self, char: int) -> ActorMention | None:
        """The first actor mention (in list order) covering a character offset."""
        starts = self._actor_starts()
        if starts is None:
            return next((m for m in self.actors if m.start <= char < m.end), None)
        i = bisect.bisect_right(starts, char) - 1
        return self.actors[i] if i >= 0 and char < self.actors[i].end else None

    def first_actor_from(self, lo: int, hi: int) -> ActorMention | None:
        """The first actor mention (in list order) starting in ``[lo, hi)``."""
        starts = self._actor_starts()
        if starts is None:
            return next((m for m in self.actors if lo <= m.start < hi), None)
        i = bisect.bisect_left(starts, lo)
        return self.actors[i] if i < len(starts) and starts[i] < hi else None

    def _actor_starts(self) -> list[int] | None:
        """The mentions' starts for bisecting, or None when they are not sorted and disjoint (the actors
        stage makes them so; anything else is searched in order, as before)."""
        if self._actor_starts_of is not self.actors or len(self._actor_start_list) != len(self.actors):
            starts = [m.start for m in self.actors]
            ordered = all(a.end <= b.start for a, b in zip(self.actors, self.actors[1:], strict=False))
            self._actor_start_list = starts
            self._actor_starts_ok = ordered
            self._actor_starts_of = self.actors
        return self._actor_start_list if self._actor_starts_ok else None


class SpanIndex:
    """Character spans ``[start, end)``, any order, overlapping or not, asked in log time whether one of
    them overlaps a range or holds a point: what ``any(... for s, e in spans)`` answers by scanning them
    all, which for every mention of a long article costs the square of its length."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        # the largest end among the spans up to each position (spans sorted by start)
        self._max_end: list[int] = []
        for _, e in ordered:
            self._max_end.append(max(e, self._max_end[-1]) if self._max_end else e)

    def _reach(self, n: int) -> int | None:
        """The largest end among the first ``n`` spans by start (None for none)."""
        return self._max_end[n - 1] if n > 0 else None

    def overlaps(self, start: int, end: int) -> bool:
        """Some span has ``s < end`` and ``start < e``."""
        reach = self._reach(bisect.bisect_left(self._starts, end))
        return reach is not None and reach > start

    def holds(self, pos: int) -> bool:
        """Some span has ``s <= pos < e``."""
        reach = self._reach(bisect.bisect_right(self._starts, pos))
        return reach is not None and reach > pos

    def ends_in(self, pos: int) -> bool:
        """Some span has ``s < pos <= e`` (a range ending at ``pos`` ends inside it)."""
        reach = self._reach(bisect.bisect_left(self._starts, pos))
        return reach is not None and reach >= pos


def mention_at(state: State, tok: Token) -> ActorMention | None:
    """The actor mention a phrase headed by ``tok`` names: the one covering its head, else the first
    inside the phrase ("Samuel Ramani, an expert at ..." -> Samuel Ramani)."""
    lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)
    return state.actor_at(tok.idx) or state.first_actor_from(lo, hi)


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
