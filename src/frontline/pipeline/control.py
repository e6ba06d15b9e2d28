"""Stage ``control``: changes of control of places that the text says happened, read over the whole
article as one story.

1. **Read** (``control_read.py``): every (cue, place) pair, with who gains and loses, its date, modality
   and context features.
2. **Score**: a learned classifier (``models/control.npz``, trained by ``frontline train control`` on the
   reading benchmark's train split and the relabelled real sentences) gives each candidate the
   probability that it tells a change of control; without a model, stated rules do (a strong cue, the
   place in the cue's own arguments, told as having happened, no advance, threat or condition around it).
3. **Join**: candidates at one place with the same gainer and compatible dates are one change, dated by
   its most precise own date, with the previous holder from the losing side's words.
4. **Status**: ``confirmed`` when the text states it (or the losing side admits it), ``claimed`` when only
   a party says so, ``contested`` when a claim meets a denial.
5. **Events agree**: every change has its ACLED territory event (created when the events stage had none),
   and a territory event with no change behind it (an advance, a raid) loses its territory type.

Threatened, planned, hypothetical and negated captures never become changes; historical ones are listed
with their own old dates.
"""

from __future__ import annotations

import re
from typing import Any

from ..schema import ACLED_SUB_TO_TYPE, TERRITORIAL_SUB_EVENTS, ControlChange, ControlStatus
from .base import ActorMention, EventDraft, State
from .control_read import CORRECTION, FALL, GAIN, HOLD, LOSS, Candidate, candidates
from .events import NONVIOLENT, TokenContext, _event_id, same_place

COUNTING = ("asserted", "claimed", "historical")
THRESHOLD = 0.5
DIRECT = {
    GAIN: (
        "dobj",
        "dobj>conj",
        "dobj>appos",
        "pobj:into",
        "pobj:of",
        "dobj>pobj:of",
        "dobj>pobj:over",
        "nsubjpass",
        "npadvmod",
        "advmod",
        "oprd",
    ),
    "expel": ("pobj:from", "pobj:out", "pobj:of"),
    FALL: ("nsubj", "nsubj>conj", "nsubj>appos", "pobj:of", "poss"),
    LOSS: ("pobj:from", "pobj:of", "dobj", "dobj>conj", "pobj:out", "poss", "nsubjpass"),
    HOLD: ("dobj", "pobj:of", "dobj>pobj:of", "nsubj", "nsubjpass"),
}
BLOCKING_FRAMES = ("frame:advance", "frame:threat", "frame:hypothetical", "frame:negation")
DENIAL_OBJECTS = {"claim", "claims", "report", "reports", "it", "this", "that", "allegation", "allegations"}


class ControlStage:
    name = "control"
    requires: tuple[str, ...] = ("events",)
    sets: tuple[str, ...] = ("control_changes", "events")

    def __init__(self, model: Any = None, threshold: float = THRESHOLD, catalogue: Any = None) -> None:
        self.model = model  # a Classifier with classes ("no", "yes"), or None for the rules
        self.threshold = threshold
        self.catalogue = catalogue  # for "Russia" and "Ukrainian forces" as actors

    def __call__(self, state: State) -> None:
        ctx = TokenContext(state, catalogue=self.catalogue)
        cands = candidates(state, ctx)
        _corrections(state, cands)
        for c in cands:
            c.score = self.score(c)
        accepted = [
            c for c in cands if c.score >= self.threshold and c.gainer is not None and c.modality in COUNTING
        ]
        changes = [_change(state, group) for group in _group(accepted)]
        _sync_events(state, changes, cands)
        state.control_candidates = cands
        state.control_changes = sorted(
            (ch for ch, _ in changes), key=lambda c: (c.date is None, c.date, c.place.name)
        )

    def score(self, c: Candidate) -> float:
        if self.model is not None:
            return self.model.proba(c.features).get("yes", 0.0)
        return rule_score(c)


def _corrections(state: State, cands: list[Candidate]) -> None:
    """A live blog's "Correction: an entry at 09:20 said fighters had entered Taungup" takes back every
    earlier mention of that place's capture by that side."""
    corrected = {
        (_place_key(c), _gainer_key(c.gainer))
        for c in cands
        if CORRECTION.search(state.sentences[c.sent].text)
    }
    last = {}
    for c in cands:
        if CORRECTION.search(state.sentences[c.sent].text):
            last[_place_key(c)] = max(last.get(_place_key(c), -1), c.sent)
    for c in cands:
        key = _place_key(c)
        if (
            key in last
            and c.sent <= last[key]
            and ((key, _gainer_key(c.gainer)) in corrected or c.gainer is None or (key, None) in corrected)
        ):
            c.modality = "negated"
            c.features["corrected"] = 1.0


def rule_score(c: Candidate) -> float:
    """The rules' reading when no model is loaded: a strong cue with the place among its own arguments,
    told as having happened, with nothing around it that says advance, threat, condition or denial."""
    if c.cue.weak or c.rel not in DIRECT.get(c.cue.role, ()):
        return 0.1
    if c.modality not in COUNTING:
        return 0.0
    if any(k in c.features for k in ("near:advance", "near:threat", "near:hypothetical", "near:negation")):
        return 0.3
    return 0.9


# --- joining candidates into changes -------------------------------------------------------------------


def _place_key(c: Candidate) -> Any:
    p = c.place
    return p.place.geonameid if p.place is not None else p.text.lower().removeprefix("the ")


def _gainer_key(m: ActorMention | None) -> Any:
    if m is None:
        return None
    if m.actor is not None:
        return m.actor.id
    return m.text.lower().removeprefix("the ")


def _own(c: Candidate) -> bool:
    """Dated by its own words (its clause, its sentence or the heading it sits under)."""
    return (
        c.date is not None and c.date.date is not None and c.date_source in ("clause", "sentence", "heading")
    )


def _compatible(a: Candidate, b: Candidate) -> bool:
    ga, gb = a.gainer, b.gainer
    same = _gainer_key(ga) == _gainer_key(gb) or (
        ga is not None
        and gb is not None
        and ga.actor is not None
        and gb.actor is not None
        and bool(ga.actor.side)
        and ga.actor.side == gb.actor.side
    )
    if not same:
        return False
    if a.modality == "historical" or b.modality == "historical":
        da, db = a.date.date if a.date else None, b.date.date if b.date else None
        return a.modality == b.modality and (da is None or db is None or da.year == db.year)
    if _own(a) and _own(b):
        assert a.date is not None and b.date is not None and a.date.date and b.date.date
        tolerance = {1: 1, 2: 7, 3: 31}.get(max(a.date.precision or 3, b.date.precision or 3), 31)
        return abs((a.date.date - b.date.date).days) <= tolerance
    return True


def _group(accepted: list[Candidate]) -> list[list[Candidate]]:
    by_place: dict[Any, list[Candidate]] = {}
    for c in accepted:
        by_place.setdefault(_place_key(c), []).append(c)
    groups: list[list[Candidate]] = []
    for cs in by_place.values():
        clusters: list[list[Candidate]] = []
        for c in sorted(cs, key=lambda x: -x.score):
            home = next((g for g in clusters if all(_compatible(c, o) for o in g)), None)
            if home is None:
                clusters.append([c])
            else:
                home.append(c)
        groups.extend(clusters)
    return groups


HOW = {"named": 0, "person": 1, "generic": 2, "coref": 3, "unresolved": 4}


def _best(mentions: list[ActorMention | None]) -> ActorMention | None:
    present = [m for m in mentions if m is not None]
    return min(present, key=lambda m: (m.actor is None, HOW.get(m.how, 5))) if present else None


def _change(state: State, group: list[Candidate]) -> tuple[ControlChange, list[Candidate]]:
    best = max(group, key=lambda c: c.score)
    to = _best([c.gainer for c in group])
    assert to is not None
    losers = [c.loser for c in group if c.loser is not None and _gainer_key(c.loser) != _gainer_key(to)]
    frm = _best(losers)
    dated = [c.date for c in group if _own(c)] or [
        c.date for c in group if c.date is not None and c.date.date
    ]
    date = min(dated, key=lambda dm: (dm.precision or 9, dm.start < 0, dm.start)) if dated else None
    place = min((c.place for c in group), key=lambda p: (p.place is None, p.anaphor, p.precision, p.start))
    modalities = {c.modality for c in group}
    admitted = any(
        c.cue.role == LOSS and c.loser is not None and c.modality in ("asserted", "claimed") for c in group
    )
    status: ControlStatus
    if "asserted" in modalities or "historical" in modalities or admitted:
        status = "confirmed"
    else:
        status = "claimed"
    if status == "claimed" and _denied_after(state, group):
        status = "contested"
    change = ControlChange(
        place=place.to_location(state.place_name(place)),
        date=date.date if date else None,
        time_precision=date.precision if date else None,
        to=to.to_actor(),
        from_=frm.to_actor() if frm else None,
        status=status,
        event_ids=[],
    )
    _ = best
    return change, group


def _denied_after(state: State, group: list[Candidate]) -> bool:
    """ "The army denied the claim": a denial of the claim, by another side, in the next sentences."""
    doc = state.doc
    if doc is None:
        return False
    last = max(c.sent for c in group)
    claimants = {_gainer_key(c.gainer) for c in group}
    for d in state.events:
        if d.token < 0 or not (last <= d.sent <= last + 2) or d.plover != "REJECT":
            continue
        tok = doc[d.token]
        if tok.lemma_.lower() not in ("deny", "dismiss", "refute", "reject"):
            continue
        if d.actor1 is not None and _gainer_key(d.actor1) in claimants:
            continue
        if d.place is not None and not same_place(d.place, group[0].place):
            continue
        objects = [c for c in tok.children if c.dep_ in ("dobj", "ccomp")]
        if any(o.lower_ in DENIAL_OBJECTS or o.dep_ == "ccomp" for o in objects):
            return True
    return False


# --- events agree with the changes -------------------------------------------------------------------------


def territory_type(state: State, to: ActorMention, sentence: str) -> str:
    if NONVIOLENT.search(sentence):
        return "Non-violent transfer of territory"
    a = to.actor
    if a is not None and (a.side == "government" or a.kind in ("state_forces", "government", "police")):
        # another state's army taking ground is, in ACLED's terms, not the government regaining it
        if a.side != "foreign forces":
            return "Government regains territory"
    return "Non-state actor overtakes territory"


def _mentions(group: list[Candidate], cands: list[Candidate], taken: set[int]) -> list[Candidate]:
    """Other mentions of the same change: candidates at its place, told as having happened, with no other
    gainer and no other date ("the loss of Hama", "its fall" after "rebels seized Hama")."""
    key = _place_key(group[0])
    out = []
    for c in cands:
        if id(c) in taken or c in group or _place_key(c) != key or c.draft is None:
            continue
        if c.modality not in COUNTING or c.cue.weak or c.rel == "sent":
            continue
        if c.gainer is not None and not any(_compatible(c, g) for g in group):
            continue
        if _own(c) and any(_own(g) for g in group) and not any(_compatible(c, g) for g in group if _own(g)):
            continue
        out.append(c)
    return out


def _sync_events(
    state: State, changes: list[tuple[ControlChange, list[Candidate]]], cands: list[Candidate]
) -> None:
    supporting: set[int] = set()
    taken: set[int] = set()
    for change, group in changes:
        more = _mentions(group, cands, taken)
        taken.update(id(c) for c in more)
        drafts = list({id(c.draft): c.draft for c in [*group, *more] if c.draft is not None}.values())
        best = max(group, key=lambda c: c.score)
        if not drafts:
            drafts = [_new_draft(state, best)]
            state.events.append(drafts[0])
        to = _best([c.gainer for c in group])
        assert to is not None
        sub = territory_type(state, to, state.sentences[best.sent].text)
        for d in drafts:
            supporting.add(id(d))
            if d.modality in ("asserted", "claimed", "historical"):
                d.territorial = True
                if d.plover in ("COERCE", "ASSAULT") or d.sub_event_type in TERRITORIAL_SUB_EVENTS:
                    d.plover, d.plover_mode = "COERCE", "seize"
                    d.sub_event_type, d.event_type = sub, ACLED_SUB_TO_TYPE[sub]
                    d.actor1 = d.actor1 if d.actor1 is not None and d.actor1.actor is not None else to
            if d.place is None or not same_place(d.place, best.place):
                d.place = d.place if d.territorial and d.place is not None else best.place
        change.event_ids = list(dict.fromkeys(d.id for d in drafts if d.id))
    for d in state.events:
        if id(d) in supporting:
            continue
        if d.territorial or d.sub_event_type in TERRITORIAL_SUB_EVENTS:
            d.territorial = False
            if d.sub_event_type in TERRITORIAL_SUB_EVENTS:
                fought = d.plover == "ASSAULT" or d.entry.get("plover") == "ASSAULT"
                d.sub_event_type = "Armed clash" if fought else None
                d.event_type = ACLED_SUB_TO_TYPE.get(d.sub_event_type or "")


def _new_draft(state: State, c: Candidate) -> EventDraft:
    tok = c.cue.token
    d = EventDraft(
        sent=c.sent,
        trigger_start=tok.idx,
        trigger_end=tok.idx + len(tok),
        trigger=tok.text,
        plover="COERCE",
        plover_mode="seize",
        modality=c.modality,
        actor1=c.gainer,
        actor2=c.loser,
        place=c.place,
        date=c.date,
        confidence=round(0.5 + 0.4 * c.score, 3),
        territorial=True,
        token=tok.i,
        noun=c.cue.noun,
    )
    d.id = _event_id(state.article.id, d)
    return d


_ = (re, FALL, HOLD, GAIN)
