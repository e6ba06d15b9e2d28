"""Stage ``identity``: one event per happening, as analysts count them.

A report tells one happening many times: the headline, the lede's verb, a nominalisation ("the fall of
Hama", "its capture"), a reference back ("this retreat"), a quote. The events stage reads each mention on
its own; this stage joins mentions of one happening into one event that carries all their evidence
(``mentions``) and takes its date, place, actors and fatalities from the most specific of them.

Two grains, stated plainly:

- **PLOVER grain** (every event in ``events``): mentions merge when they are the same PLOVER event, of the
  same modality class (happened / history / intent), at the same place, on compatible dates, with
  compatible actors. A reference with no place of its own ("this retreat", "its fall") joins the nearest
  earlier happening of its kind a few sentences back. Two stated days or two places stay two events.
- **ACLED grain** (events with an ACLED type): one per sub-event type, actor pair, location and day. A
  change of territory absorbs what is part of it: the fighting for the place that day, the losing side's
  withdrawal from it; those keep their PLOVER reading, lose their ACLED type, and point at the change
  through ``part_of``. An event with neither a place nor a date of its own ("despite heavy aerial
  bombardments" in a paragraph of background) is not an ACLED row: ACLED codes nothing it cannot place.

Cross-article merging in the store (``timeline.compatible``) uses the same notion of one happening.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..schema import TERRITORIAL_SUB_EVENTS
from .base import ActorMention, DateMention, EventDraft, State
from .toponyms import off_datelines

# Which modalities may be one happening told twice.
MODALITY_CLASS = {
    "asserted": "factual",
    "claimed": "factual",
    "denied": "factual",
    "historical": "historical",
    "threatened": "intent",
    "planned": "intent",
    "hypothetical": None,
    "negated": None,
}
MODALITY_RANK = {"asserted": 0, "claimed": 1, "denied": 2, "historical": 3, "threatened": 4, "planned": 5}
# How far back (in sentences) a reference without a place looks for the happening it refers to.
REFERENCE_REACH = 3
# ACLED sub-event types that a change of territory at the same place and day absorbs.
ABSORBED = {"Armed clash", "Other", "Non-violent transfer of territory"}
HOW_RANK = {"named": 0, "person": 1, "generic": 2, "coref": 3, "unresolved": 4}


@dataclass
class _Happening:
    main: EventDraft
    members: list[EventDraft] = field(default_factory=list)


class IdentityStage:
    name = "identity"
    requires: tuple[str, ...] = ("events", "control_changes")
    sets: tuple[str, ...] = ("events",)

    def __call__(self, state: State) -> None:
        happenings: list[_Happening] = []
        at_place: dict[object, list[_Happening]] = {}  # by the place of their first mention: long reports
        for d in sorted(state.events, key=lambda e: (e.sent, e.trigger_start)):
            target = _find_happening(d, happenings, at_place)
            if target is None:
                h = _Happening(main=d, members=[d])
                happenings.append(h)
                if d.place is not None:
                    at_place.setdefault(d.place.key(), []).append(h)
            else:
                target.members.append(d)
        merged = [_merge(h) for h in happenings]
        _acled_grain(merged)
        _locate_rows(state, merged)
        for d in merged:
            if isinstance(d.part_of, EventDraft):
                d.part_of = d.part_of.id
        # control changes point at the events they rest on: at the happening a mention was joined into
        new_id = {m.id: merged[k].id for k, h in enumerate(happenings) for m in h.members}
        for change in state.control_changes:
            change.event_ids = list(dict.fromkeys(new_id.get(i, i) for i in change.event_ids))
        state.events = merged


# An ACLED row the reading is this unsure of is more often wrong than right (on train and dev, rows below
# 0.3 were right fewer than one time in ten): it keeps its PLOVER reading and loses its ACLED type.
ROW_CONFIDENCE = 0.3


def _locate_rows(state: State, events: list[EventDraft]) -> None:
    """ACLED codes every event at a place. An event whose own words name none ("fighting continued through
    the night") is where its sentence says, else where the located event just before it happened (two
    sentences back at most); an unsure one is not a row."""
    located: list[EventDraft] = []
    for d in sorted(events, key=lambda e: (e.sent, e.trigger_start)):
        if d.sub_event_type is None:
            continue
        if d.place is None:
            here = off_datelines(
                state, [p for p in state.places_in(d.sent) if not p.demonym and p.feature != "country"]
            )
            if here:
                d.place = min(here, key=lambda p: abs(p.start - d.trigger_start))
            elif located and d.sent - located[-1].sent <= 2:
                d.place = located[-1].place
        if d.confidence < ROW_CONFIDENCE:
            d.event_type = d.sub_event_type = None
        elif d.place is not None:
            located.append(d)


# --- PLOVER grain -------------------------------------------------------------------------------------


def _find_happening(
    d: EventDraft, happenings: list[_Happening], at_place: dict[object, list[_Happening]]
) -> _Happening | None:
    cls = MODALITY_CLASS.get(d.modality)
    if cls is None:
        return None
    if d.place is not None:
        pool = at_place.get(d.place.key(), [])  # a placed mention joins only a happening there
    elif _is_reference(d):
        pool = happenings
    else:
        return None
    for h in reversed(pool):
        m = h.main
        if MODALITY_CLASS.get(m.modality) != cls or not _same_kind(d, m):
            continue
        if not _dates_agree(d, h):
            continue
        if not _actors_agree(d.actor1, m.actor1) or not _actors_agree(d.actor2, m.actor2):
            continue
        if d.place is not None and m.place is not None:
            if d.place.key() == m.place.key():
                return h
            continue
        if (
            d.place is None
            and _is_reference(d)
            and d.sent - max(x.sent for x in h.members) <= REFERENCE_REACH
        ):
            return h
    return None


def _same_kind(a: EventDraft, b: EventDraft) -> bool:
    if a.territorial or b.territorial:
        return a.territorial and b.territorial
    return a.plover == b.plover and (
        a.sub_event_type == b.sub_event_type or None in (a.sub_event_type, b.sub_event_type)
    )


def _own_date(d: EventDraft) -> DateMention | None:
    """The date a mention's own sentence gives (not one inherited from another mention or the report)."""
    dm = d.date
    return (
        dm
        if dm is not None
        and (dm.start >= 0 or dm.derived == "offset")
        and dm.sent == d.sent
        and dm.date is not None
        else None
    )


def _dates_agree(d: EventDraft, h: _Happening) -> bool:
    mine = _own_date(d)
    if mine is None:
        return True
    for other in h.members:
        theirs = _own_date(other)
        if theirs is None or theirs.date is None or mine.date is None:
            continue
        tolerance = {1: 0, 2: 7, 3: 31}.get(max(mine.precision or 3, theirs.precision or 3), 31)
        if abs((mine.date - theirs.date).days) > tolerance:
            return False
    return True


def _actors_agree(a: ActorMention | None, b: ActorMention | None) -> bool:
    if a is None or b is None or a.actor is None or b.actor is None:
        return True
    if a.actor.id == b.actor.id:
        return True
    return bool(a.actor.side and a.actor.side == b.actor.side)


def _is_reference(d: EventDraft) -> bool:
    """A mention that points back at a happening rather than telling one: an event noun ("this retreat",
    "its fall", "the withdrawal"), or a clause whose subject is a pronoun."""
    return d.noun


def _specificity(d: EventDraft) -> tuple:
    """Which mention best tells the happening: a verb with its own dated words, a named actor and a place
    read from its own arguments."""
    own = _own_date(d)
    return (
        own is not None,
        -(own.precision or 3) if own else -9,
        not d.noun,
        d.actor1 is not None and d.actor1.actor is not None,
        d.place is not None,
        d.confidence,
    )


def _best_actor(values: list[ActorMention | None]) -> ActorMention | None:
    present = [a for a in values if a is not None]
    if not present:
        return None
    return min(present, key=lambda a: (a.actor is None, HOW_RANK.get(a.how, 5)))


def _merge(h: _Happening) -> EventDraft:
    members = h.members
    # The event is shown by the first mention that tells it with a verb and an actor (the lede, not a
    # later "its fall"); its attributes come from the most specific mentions.
    tellers = [d for d in members if not d.noun and d.actor1 is not None]
    main = tellers[0] if tellers else max(members, key=_specificity)
    if len(members) == 1:
        main.mentions = [(main.sent, main.trigger_start, main.trigger_end)]
        return main
    dated = [dm for dm in (_own_date(d) for d in members) if dm is not None]
    if dated:
        main.date = min(dated, key=lambda dm: (dm.precision or 9, dm.start))
    placed = [d.place for d in members if d.place is not None]
    if main.place is None and placed:
        main.place = min(placed, key=lambda p: (p.precision, p.anaphor, p.place is None))
    main.actor1 = (
        main.actor1 if main.actor1 and main.actor1.actor else _best_actor([d.actor1 for d in members])
    )
    main.actor2 = (
        main.actor2 if main.actor2 and main.actor2.actor else _best_actor([d.actor2 for d in members])
    )
    if main.fatalities is None:
        counts = [d.fatalities for d in members if d.fatalities is not None]
        main.fatalities = min(counts) if counts else None
    main.modality = min((d.modality for d in members), key=lambda m: MODALITY_RANK.get(m, 9))
    if main.event_type is None:
        typed = next((d for d in members if d.event_type is not None), None)
        if typed is not None:
            main.event_type, main.sub_event_type = typed.event_type, typed.sub_event_type
    main.confidence = min(1.0, max(d.confidence for d in members) + 0.05 * (len(members) - 1))
    main.attributed_to = main.attributed_to or next(
        (d.attributed_to for d in members if d.attributed_to), None
    )
    main.mentions = [
        (d.sent, d.trigger_start, d.trigger_end) for d in sorted(members, key=lambda d: d is not main)
    ]
    main.merged = [d for d in members if d is not main]
    return main


# --- ACLED grain --------------------------------------------------------------------------------------


def _acled_grain(events: list[EventDraft]) -> None:
    rows = [d for d in events if d.sub_event_type is not None and d.modality in ("asserted", "claimed")]
    rows = _absorb_casualties(rows)
    rows = _one_row_each(rows)
    changes = [d for d in rows if d.sub_event_type in TERRITORIAL_SUB_EVENTS and d.place is not None]
    for d in rows:
        if d in changes:
            continue
        if d.place is None and _own_date(d) is None and d.sent > 1:
            # background past the lede: nothing ACLED could place or date
            d.event_type = d.sub_event_type = None
            continue
        if d.sub_event_type not in ABSORBED or d.place is None:
            continue
        change = next(
            (
                c
                for c in changes
                if c.place is not None and c.place.key() == d.place.key() and _same_day(c, d)
            ),
            None,
        )
        if change is not None:
            d.event_type = d.sub_event_type = None
            d.part_of = change
            # "confirmed the withdrawal ... on Thursday": the part's day may be the change's best date
            theirs, mine = _own_date(d), _own_date(change)
            if theirs is not None and (mine is None or (theirs.precision or 9) < (mine.precision or 9)):
                change.date = theirs


def _one_row_each(rows: list[EventDraft]) -> list[EventDraft]:
    """ACLED's unit: one row per sub-event type, actor pair, location and day. Two rows that agree on all
    four (the PLOVER grain kept them apart: "the capture" told as COERCE and as an assault, a claim and its
    confirmation) are one happening; the most specific telling stays the row, the other becomes part of it.
    Returns the rows that remain."""
    kept: list[EventDraft] = []
    by_key: dict[object, list[EventDraft]] = {}  # by type and place: a long report stays linear
    for d in sorted(rows, key=_specificity, reverse=True):
        key = (d.sub_event_type, d.place.key()) if d.place is not None else None
        same = next(
            (
                r
                for r in by_key.get(key, ())
                if _same_day(r, d) and _actors_agree(r.actor1, d.actor1) and _actors_agree(r.actor2, d.actor2)
            ),
            None,
        )
        if same is None:
            kept.append(d)
            if key is not None:
                by_key.setdefault(key, []).append(d)
            continue
        d.event_type = d.sub_event_type = None
        d.part_of = same
        if same.fatalities is None:
            same.fatalities = d.fatalities
    return kept


# How far back (in sentences) a count of the dead looks for the happening that caused them.
CASUALTY_REACH = 1


def _absorb_casualties(rows: list[EventDraft]) -> list[EventDraft]:
    """ACLED counts the dead as a field of the event that killed them, not as an event: "a grenade was
    thrown into a bar; 3 people were killed" is one Grenade row with three fatalities. A killing nobody is
    said to have done, in the sentence of another row or the one after it, at its place (or none) and day,
    gives that row its fatalities and becomes part of it. Returns the rows that remain."""
    kept: list[EventDraft] = []
    for d in sorted(rows, key=lambda e: (e.sent, e.trigger_start)):
        cause = None
        if d.entry.get("casualty") and d.actor1 is None:
            cause = next(
                (
                    r
                    for r in sorted(rows, key=lambda e: (abs(e.sent - d.sent), e.sent))
                    if r is not d
                    and not r.entry.get("casualty")
                    and r.sub_event_type is not None
                    and r.sub_event_type not in TERRITORIAL_SUB_EVENTS
                    and 0 <= d.sent - r.sent <= CASUALTY_REACH
                    and (d.place is None or r.place is None or d.place.key() == r.place.key())
                    and _same_day(r, d)
                ),
                None,
            )
        if cause is None:
            kept.append(d)
            continue
        if d.fatalities is not None:
            cause.fatalities = (
                d.fatalities if cause.fatalities is None else min(cause.fatalities, d.fatalities)
            )
        cause.place = cause.place or d.place
        d.event_type = d.sub_event_type = None
        d.part_of = cause
    return kept


def _same_day(a: EventDraft, b: EventDraft) -> bool:
    """The same day as far as the words tell: within the looser of the two dates' precisions."""
    da, db = a.date.date if a.date else None, b.date.date if b.date else None
    if da is None or db is None:
        return True
    own_a, own_b = _own_date(a), _own_date(b)
    if own_a is None or own_b is None:
        return abs((da - db).days) <= 3
    return abs((da - db).days) <= {1: 0, 2: 7, 3: 31}.get(max(own_a.precision or 3, own_b.precision or 3), 31)
