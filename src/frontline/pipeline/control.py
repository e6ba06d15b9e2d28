"""Stage ``control``: changes of control of places that the text says happened, with their status.

Events at one place are one episode: "seized control of Hama", "the loss of Hama", "the withdrawal of
government forces from Hama on Thursday" give one change (to the captor, from the side that withdrew or
was attacked, dated by the most precise of them). Threatened, planned, hypothetical and negated captures are
never changes; historical ones are listed with their own old dates.

Status: ``confirmed`` when stated as fact (or confirmed by the side that lost the place), ``claimed`` when
only one side says so, ``denied`` when the only word is a denial, ``contested`` when a claim meets a denial.
"""

from __future__ import annotations

from typing import Any

from ..schema import ControlChange, ControlStatus
from .base import ActorMention, EventDraft, State
from .events import is_armed_group, same_place

COUNTING = ("asserted", "claimed", "denied", "historical")


class ControlStage:
    name = "control"
    requires: tuple[str, ...] = ("events",)
    sets: tuple[str, ...] = ("control_changes",)

    def __call__(self, state: State) -> None:
        _place_withdrawals(state)
        groups: dict[Any, list[EventDraft]] = {}
        for d in state.events:
            if d.place is None or d.modality not in COUNTING:
                continue
            if d.territorial or (d.plover == "RETREAT" and d.plover_mode == "withdraw"):
                key = d.place.place.geonameid if d.place.place is not None else d.place.text.lower()
                era = "historical" if d.modality == "historical" else "current"
                year = d.date.date.year if (era == "historical" and d.date and d.date.date) else None
                groups.setdefault((key, era, year), []).append(d)
        changes: list[ControlChange] = []
        for group in groups.values():
            change = _change(state, group)
            if change is not None:
                if change.status == "claimed" and _denied_after(state, group):
                    change.status = "contested"
                changes.append(change)
        changes.sort(key=lambda c: (c.date is None, c.date, c.place.name))
        state.control_changes = changes


DENIAL_OBJECTS = {"claim", "claims", "report", "reports", "it", "this", "that", "allegation", "allegations"}


def _denied_after(state: State, group: list[EventDraft]) -> bool:
    """ "The Sudanese army denied the claim": a denial of the claim, by another side, soon after it."""
    doc = state.doc
    if doc is None:
        return False
    last = max(d.sent for d in group)
    claimants = {id(d.actor1.actor) for d in group if d.actor1 is not None and d.actor1.actor is not None}
    for d in state.events:
        if d.token < 0 or not (last <= d.sent <= last + 2) or d.plover != "REJECT":
            continue
        tok = doc[d.token]
        if tok.lemma_.lower() not in ("deny", "dismiss", "refute", "reject"):
            continue
        if d.actor1 is not None and d.actor1.actor is not None and id(d.actor1.actor) in claimants:
            continue
        objects = [c for c in tok.children if c.dep_ in ("dobj", "ccomp")]
        if d.place is not None and group[0].place is not None and not same_place(d.place, group[0].place):
            continue  # a denial about another place
        if any(o.lower_ in DENIAL_OBJECTS or o.dep_ == "ccomp" for o in objects):
            return True
    return False


def _place_withdrawals(state: State) -> None:
    """ "Rebels said they had made a strategic withdrawal", right after the army's claim to Kidal: a
    withdrawal that names no place, by another side, just after a capture, is from the captured place."""
    for d in state.events:
        if d.plover != "RETREAT" or d.plover_mode != "withdraw" or d.place is not None or d.actor1 is None:
            continue
        before = [
            c
            for c in state.events
            if c.territorial
            and c.place is not None
            and d.sent - 2 <= c.sent <= d.sent
            and c is not d
            and c.modality in ("asserted", "claimed")
            and (c.actor1 is None or c.actor1.actor != d.actor1.actor)
        ]
        if before:
            d.place = before[-1].place


def _attempts_after_withdrawal(state: State, group: list[EventDraft]) -> list[EventDraft]:
    """ "Ukraine has withdrawn its troops from Vuhledar ... Russian forces had been trying to take the
    town": when one side says it left a place another was attacking or trying to take, the attacker holds
    it. Returns the attacker's events, read as the capture."""
    withdrawals = [d for d in group if d.plover == "RETREAT" and d.modality in ("asserted", "claimed")]
    if not withdrawals:
        return []
    leavers = {id(d.actor1.actor) for d in withdrawals if d.actor1 is not None and d.actor1.actor is not None}
    place = withdrawals[0].place
    attempts = [
        d
        for d in state.events
        if d is not None
        and d.place is not None
        and place is not None
        and same_place(d.place, place)
        and d.modality not in ("negated", "denied", "historical")
        and (d.entry.get("territorial") or d.plover == "ASSAULT")
        and is_armed_group(d.actor1)
        and d.actor1 is not None
        and id(d.actor1.actor) not in leavers
    ]
    return [d for d in attempts if d not in group]


def _named_in_sentences(
    state: State, captures: list[EventDraft], group: list[EventDraft]
) -> ActorMention | None:
    """When the parse lost a capture's subject, the armed group its sentence names that is not the side
    that withdrew ("Syrian rebels led by HTS seized Hama after government forces withdrew")."""
    losers = {id(d.actor1.actor) for d in group if d.plover == "RETREAT" and d.actor1 and d.actor1.actor}
    losers |= {id(d.actor2.actor) for d in captures if d.actor2 is not None and d.actor2.actor is not None}
    sents = {d.sent for d in captures}
    doc = state.doc
    # whoever the capture was "from" lost it, however many mentions name them ("the military government")
    from_spans = []
    if doc is not None:
        for d in captures:
            if d.token >= 0:
                for prep in doc[d.token].children:
                    if prep.dep_ == "prep" and prep.lower_ == "from":
                        from_spans.append((prep.idx, prep.right_edge.idx + len(prep.right_edge)))
    named = [
        m
        for m in state.actors
        if m.sent in sents
        and id(m.actor) not in losers
        and not any(a <= m.start < b for a, b in from_spans)
        and is_armed_group(m)
        and m.how in ("named", "generic")
    ]
    return _best_actor(named)


def _best_actor(mentions: list[ActorMention]) -> ActorMention | None:
    """A named actor beats a role tied by context, which beats an unresolved word."""
    order = {"named": 0, "person": 1, "coref": 2, "generic": 3, "unresolved": 4}
    ranked = sorted(mentions, key=lambda m: (m.actor is None, order.get(m.how, 5)))
    return ranked[0] if ranked else None


def _change(state: State, group: list[EventDraft]) -> ControlChange | None:
    captures = [d for d in group if d.territorial]
    if not captures:
        captures = _attempts_after_withdrawal(state, group)
    if not captures:
        return None  # a withdrawal alone does not say who holds the place now
    to = _best_actor([d.actor1 for d in captures if d.actor1 is not None])
    if to is None:
        to = _named_in_sentences(state, captures, group)
    if to is None:
        return None
    losers = [d.actor2 for d in captures if d.actor2 is not None and d.actor2.actor != to.actor]
    losers += [
        d.actor1
        for d in group
        if d.plover == "RETREAT" and d.actor1 is not None and d.actor1.actor != to.actor
    ]
    frm = _best_actor(losers)
    dated = [d.date for d in group if d.date is not None and d.date.date is not None]
    best = min(dated, key=lambda dm: (dm.precision or 9, dm.start < 0, dm.start)) if dated else None
    modalities = {d.modality for d in group}
    # the side that lost it says it withdrew: as good as a confirmation
    confirmed_by_loser = any(
        d.plover == "RETREAT"
        and d.modality in ("asserted", "claimed")
        and d.actor1 is not None
        and d.actor1.actor is not None
        and d.actor1.actor != to.actor
        for d in group
    )
    status: ControlStatus
    if "asserted" in modalities or "historical" in modalities or confirmed_by_loser:
        status = "confirmed"
    elif "claimed" in modalities and "denied" in modalities:
        status = "contested"
    elif "claimed" in modalities:
        status = "claimed"
    else:
        status = "denied"
    place = captures[0].place
    assert place is not None
    return ControlChange(
        place=place.to_location(state.place_name(place)),
        date=best.date if best else None,
        time_precision=best.precision if best else None,
        to=to.to_actor(),
        from_=frm.to_actor() if frm else None,
        status=status,
        event_ids=[d.id for d in group] + [d.id for d in captures if d not in group],
    )
