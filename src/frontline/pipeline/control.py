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

import dataclasses
import hashlib
import re
from collections.abc import Sequence
from typing import Any

from ..schema import ACLED_SUB_TO_TYPE, TERRITORIAL_SUB_EVENTS, Actor, ControlChange, ControlStatus
from .base import ActorMention, DateMention, EventDraft, PlaceMention, State
from .control_choose import apply_choices
from .control_raid import is_raid
from .control_read import (
    ARMED_HEADS,
    CORRECTION,
    FALL,
    GAIN,
    HOLD,
    LOSS,
    Candidate,
    attachment,
    candidates,
    clause_tokens,
    eve,
    features,
    heading_dates,
    load_cues,
    object_not_place,
    same_side,
    standing,
)
from .events import TokenContext, _event_id, nonviolent, regains_for_government, same_place

COUNTING = ("asserted", "claimed", "historical")
THRESHOLD = 0.5
ANAPHOR_MARGIN = 0.2
BLOCKING_FRAMES = ("frame:advance", "frame:threat", "frame:hypothetical", "frame:negation")
# the country roles (actors.base.Catalogue.country_actor) a state's actors fill, by kind
STATE_ROLES = {"state_forces": "forces", "government": "government"}
DENIAL_OBJECTS = {"claim", "claims", "report", "reports", "it", "this", "that", "allegation", "allegations"}


class ControlStage:
    name = "control"
    requires: tuple[str, ...] = ("events",)
    sets: tuple[str, ...] = ("control_changes", "events")

    def __init__(
        self,
        model: Any = None,
        threshold: float = THRESHOLD,
        catalogue: Any = None,
        anaphor_margin: float = ANAPHOR_MARGIN,
        gainer_model: Any = None,
        date_model: Any = None,
    ) -> None:
        self.model = model  # a Classifier with classes ("no", "yes"), or None for the rules
        self.threshold = threshold
        # "took the town": tied to the wrong town, a sure-looking change is a capture that never happened
        # (on train and dev, changes at descriptions were right half as often as those at names)
        self.anaphor_margin = anaphor_margin
        self.catalogue = catalogue  # for "Russia" and "Ukrainian forces" as actors
        self.gainer_model = gainer_model  # rankers of the gainer and date options (control_choose.py)
        self.date_model = date_model

    def __call__(self, state: State) -> None:
        ctx = TokenContext(state, catalogue=self.catalogue)
        cands = candidates(state, ctx)
        for c in cands:
            c.raid = is_raid(state, ctx, c)
        if self.gainer_model is not None or self.date_model is not None:
            apply_choices(state, ctx, cands, self.gainer_model, self.date_model, heading_dates(state))
            for c in cands:
                c.features = features(state, c)
        _corrections(state, cands)
        for c in cands:
            c.score = self.score(c)
            day = eve(c.date)
            c.gainer, c.loser = self._as_of(c.gainer, day), self._as_of(c.loser, day)
        told = [
            c
            for c in cands
            if c.score >= self.threshold + (self.anaphor_margin if c.place.anaphor else 0.0)
            and c.gainer is not None
            and c.modality in COUNTING
        ]
        # a place taken and left in the telling is a raid: fought over, never changed hands
        accepted = [c for c in told if not c.raid]
        raids = [c for c in told if c.raid]
        taken: set[int] = set()
        changes = []
        for group in _one_gainer_a_day(_group(accepted)):
            more = _mentions(group, cands, taken)
            taken.update(id(c) for c in more)
            changes.append(_change(state, group, more))
        # every event's actors as of its own day, as the changes': before the changes type their events,
        # so the Taliban who took Kunduz on 8 August 2021 are not the government they later became
        for d in state.events:
            day = eve(d.date)
            d.actor1, d.actor2 = self._as_of(d.actor1, day), self._as_of(d.actor2, day)
        _sync_events(state, changes, cands)
        _raid_events(state, raids)
        state.control_candidates = cands
        state.control_changes = sorted(
            (ch for ch, _, _ in changes), key=lambda c: (c.date is None, c.date, c.place.name)
        )

    def _as_of(self, m: ActorMention | None, day: Any) -> ActorMention | None:
        """The actor a name meant on the change's day, not on the report's: "the Taliban" took Kunduz on
        8 August 2021 as insurgents, though a report of 20 August reads the name as the new government."""
        a = m.actor if m is not None else None
        if m is None or a is None or day is None or self.catalogue is None or a.active_on(day):
            return m
        if m.how != "named":
            # "government troops" in a 2025 history of Aleppo were resolved as of publication; on the day
            # of a 2016 capture the country's forces were the regime's, not the government that followed
            role = "police" if "police" in a.roles else STATE_ROLES.get(a.kind)
            if role and a.country_code:
                then = self.catalogue.country_actor(a.country_code, role, day)
                if then is not None and then.id != a.id and then.active_on(day):
                    return dataclasses.replace(m, actor=then)
            return m  # "officials", "the group": tied to an actor by context, which a name lookup would lose
        text = m.text.removeprefix("the ").removeprefix("The ")
        for other in self.catalogue.lookup(text):
            # the same words as one of its own names: "the Taliban", not "the government"
            names = {n.lower() for n in (other.name, *other.aliases, *other.abbreviations)}
            if other.id != a.id and other.active_on(day) and text.lower() in names:
                return dataclasses.replace(m, actor=other)
        return m

    def score(self, c: Candidate) -> float:
        # What the rules know for certain gates what the model weighs: a place that does not hang on the cue
        # (or only holds its object: "camps in Djibo"), or a cue whose object is a thing ("seized weapons"),
        # is not a change, however the words around it look.
        if attachment(c) != "direct" or object_not_place(c) or standing(c):
            return 0.0
        if self.model is not None:
            p = self.model.proba(c.features).get("yes", 0.0)
            # the model weighs the whole sentence's words; a plain "Government troops retook Ataq last
            # week" is a change whatever the clause after it says ("... their next aim is Abyan")
            return max(p, PLAIN_SCORE) if plain_capture(c) else p
        return rule_score(c)


def _corrections(state: State, cands: list[Candidate]) -> None:
    """A live blog's "Correction: an entry at 09:20 said fighters had entered Taungup" takes back every
    earlier mention of that place's capture by that side."""
    corrected = {
        (c.place.key(), _gainer_key(c.gainer))
        for c in cands
        if CORRECTION.search(state.sentences[c.sent].text)
    }
    last: dict[Any, int] = {}
    for c in cands:
        if CORRECTION.search(state.sentences[c.sent].text):
            last[c.place.key()] = max(last.get(c.place.key(), -1), c.sent)
    for c in cands:
        key = c.place.key()
        if (
            key in last
            and c.sent <= last[key]
            and ((key, _gainer_key(c.gainer)) in corrected or c.gainer is None or (key, None) in corrected)
        ):
            c.modality = "negated"
            c.features["corrected"] = 1.0


PLAIN_SCORE = 0.6
BLOCKING = ("threat", "plan", "hypothetical", "negation", "advance", "history")


def plain_capture(c: Candidate) -> bool:
    """A capture told plainly in its own clause: a strong verb of taking (a timeline's present too), the
    place its direct object (or a list's member), a side the catalogue knows as its subject, told as having
    happened, and no word of threat, plan, condition, denial, advance or history in the clause itself
    (control_read.clause_tokens). Measured on train and dev: 5 more changes, no more wrong ones."""
    tok = c.cue.token
    steps = c.rel.split(">")
    listed = steps[0] == "dobj" and all(r == "conj" for r in steps[1:])  # "retook A, B and C"
    if c.cue.noun or c.cue.weak or c.cue.role != GAIN or not listed or c.modality not in COUNTING:
        return False
    if (
        tok.tag_ not in ("VBD", "VBN", "VBZ", "VBP")
        or c.gainer is None
        or c.gainer.actor is None
        or c.gainer_fallback
    ):
        return False
    if c.gainer.how not in ("named", "generic") or c.place.anaphor:
        return False
    frames = load_cues().frames
    own = clause_tokens(tok)
    words = {t.lemma_.lower() for t in own} | {t.lower_ for t in own}
    return not any(words & frames[f] for f in BLOCKING if f in frames)


def rule_score(c: Candidate) -> float:
    """The rules' reading when no model is loaded: a strong cue with the place among its own arguments,
    told as having happened, with nothing around it that says advance, threat, condition or denial."""
    how = attachment(c)
    if c.cue.weak or how is None:
        return 0.1
    if c.modality not in COUNTING:
        return 0.0
    if any(k in c.features for k in ("near:advance", "near:threat", "near:hypothetical", "near:negation")):
        return 0.3
    return 0.9 if how == "direct" else 0.6


# --- joining candidates into changes -------------------------------------------------------------------


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


def _generic(m: ActorMention | None) -> bool:
    """An unresolved common noun ("the guerrillas", "fighters"): may name any side the report has named."""
    if m is None or m.actor is not None:
        return False
    words = m.text.lower().split()
    return bool(words) and words[-1] in ARMED_HEADS and not any(w[:1].isupper() for w in m.text.split()[1:])


def _compatible(a: Candidate, b: Candidate) -> bool:
    ga, gb = a.gainer, b.gainer
    same = _gainer_key(ga) == _gainer_key(gb) or same_side(ga, gb) or _generic(ga) or _generic(gb)
    if not same:
        return False
    # history and the news are one change only when their own dates say so
    if (a.modality == "historical") != (b.modality == "historical") and not (_own(a) and _own(b)):
        return False
    if _own(a) and _own(b):
        assert a.date is not None and b.date is not None and a.date.date and b.date.date
        tolerance = max(_span_days(a.date), _span_days(b.date))
        return abs((a.date.date - b.date.date).days) <= tolerance
    return True


_MONTH_WORDS = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\bmonth\b|\bsummer|\bwinter|\bspring|\bautumn",
    re.I,
)


def _span_days(dm: DateMention) -> int:
    """How far from its date a date of this precision may mean: a day, a week, a month, or half a year
    for a year written alone ("in 2020", dated 1 July)."""
    precision = dm.precision or 3
    if precision == 3 and dm.text and not _MONTH_WORDS.search(dm.text):
        return 183
    return {1: 1, 2: 7}.get(precision, 31)


def _group(accepted: list[Candidate]) -> list[list[Candidate]]:
    by_place: dict[Any, list[Candidate]] = {}
    for c in accepted:
        by_place.setdefault(c.place.key(), []).append(c)
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


def _same_day(a: Candidate, b: Candidate) -> bool:
    if not (_own(a) and _own(b)):
        return False
    assert a.date is not None and b.date is not None and a.date.date and b.date.date
    # the same stated day, to the day: a place lost on the 22nd and retaken on the 23rd is two changes
    return a.date.date == b.date.date and a.date.precision == b.date.precision == 1


def _one_gainer_a_day(groups: list[list[Candidate]]) -> list[list[Candidate]]:
    """A place passes to one side on a day. Two readings that give it to different sides on the same
    stated day ("the capture of Khojaly on 26 February 1992, when Armenian forces took the town") are one
    happening read twice, one of them with the wrong side: the surer reading stands, and the other's
    candidates are dropped (their cue words are the same happening's, so they stay as its evidence)."""
    kept: list[list[Candidate]] = []
    for g in sorted(groups, key=lambda g: -max(c.score for c in g)):
        if not any(
            k[0].place.key() == g[0].place.key()
            and any(_same_day(a, b) for a in g for b in k)
            and not any(_compatible(a, b) for a in g for b in k)
            for k in kept
        ):
            kept.append(g)
    keep = {id(g) for g in kept}
    return [g for g in groups if id(g) in keep]


HOW = {"named": 0, "person": 1, "generic": 2, "coref": 3, "unresolved": 4}


def _best(mentions: Sequence[ActorMention | None]) -> ActorMention | None:
    present = [m for m in mentions if m is not None]
    return min(present, key=lambda m: (m.actor is None, HOW.get(m.how, 5))) if present else None


def _change(
    state: State, group: list[Candidate], more: list[Candidate]
) -> tuple[ControlChange, list[Candidate], list[Candidate]]:
    """One change from the candidates that tell it (``group``) and its other mentions (``more``)."""
    to = _best([c.gainer for c in group])
    assert to is not None
    everyone = [*group, *more]
    losers = [c.loser for c in everyone if c.loser is not None and _gainer_key(c.loser) != _gainer_key(to)]
    frm = _best(losers)
    # the clause's own date beats the sentence's, which beats a heading's and an inherited one
    dated = [c for c in group if c.date is not None and c.date.date is not None]
    pick = min(dated, key=_date_rank) if dated else None
    date = pick.date if pick is not None else _report_date(state)
    place = min((c.place for c in group), key=lambda p: (p.place is None, p.anaphor, p.precision, p.start))
    modalities = {c.modality for c in group}
    stated = "asserted" in modalities or "historical" in modalities or _admitted(state, everyone, to)
    status: ControlStatus = "confirmed" if stated else "claimed"
    if status == "claimed" and _denied_after(state, group):
        status = "contested"
    change = ControlChange(
        place=place.to_location(state.place_name(place)),
        date=date.date if date else None,
        time_precision=date.precision if date else None,
        to=_holder(to),
        from_=_holder(frm) if frm else None,
        status=status,
        event_ids=[],
    )
    return change, group, more


WITHDRAWAL_LEMMAS = {"withdraw", "retreat", "pull", "withdrawal", "evacuate", "abandon", "leave"}


def _admitted(state: State, cands: list[Candidate], to: ActorMention) -> bool:
    """The side that lost the place says it left: as good as a confirmation. Its words may name the place
    ("ordered troops to withdraw from the town"), or not, right after the other side's claim ("Rebels said
    they had made a strategic withdrawal")."""
    gainer = _gainer_key(to)
    for c in cands:
        lost = c.cue.role == LOSS and c.loser is not None and _gainer_key(c.loser) != gainer
        if lost and c.modality in ("asserted", "claimed", "planned"):
            return True
    last = max(c.sent for c in cands)
    for d in state.events:
        if not (last < d.sent <= last + 2) or d.place is not None or d.actor1 is None:
            continue
        if (
            d.plover == "RETREAT"
            and d.modality in ("asserted", "claimed")
            and _gainer_key(d.actor1) != gainer
        ):
            return True
    return False


def _holder(m: ActorMention) -> Actor:
    """A side holds a place, not a person: "al-Jolani's fighters seized Aleppo" is held by his group, so a
    person with a known side is written as that side (the person stays in the events' actors)."""
    actor = m.to_actor()
    if m.person and m.actor is not None:
        actor = actor.model_copy(update={"name": m.actor.name})
    return actor


def _report_date(state: State) -> DateMention | None:
    """An undated change told as the news ("Rebels have seized Hama"): the report's own most precise current
    date, at week precision, the way an analyst codes it; none without a publication date."""
    from .event_dates import anchor_date as _anchor

    anchor = _anchor(state)
    if anchor is None or anchor.date is None:
        return None
    return DateMention.derived_from(anchor.date, max(anchor.precision or 2, 2), -1, "anchor")


DATE_SOURCE_RANK = {"clause": 0, "sentence": 1, "heading": 2, "story": 3, "inherited": 4}


def _date_rank(c: Candidate) -> tuple:
    precision = c.date.precision if c.date is not None else None
    return (DATE_SOURCE_RANK.get(c.date_source, 4), precision or 9, -c.score)


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


def territory_type(
    state: State,
    to: ActorMention,
    sent: int,
    drafts: Sequence[EventDraft] = (),
    place: PlaceMention | None = None,
) -> str:
    """ACLED's territory sub-type: peaceful, or who gained the place. The gainer is the change's, or, when
    the reader could not resolve it, the actor of the events that tell the change."""
    if nonviolent(state, sent):
        return "Non-violent transfer of territory"
    a = to.actor or next((d.actor1.actor for d in drafts if d.actor1 is not None and d.actor1.actor), None)
    if regains_for_government(a, place, any(d.retake for d in drafts)):
        return "Government regains territory"
    return "Non-state actor overtakes territory"


def _mentions(group: list[Candidate], cands: list[Candidate], taken: set[int]) -> list[Candidate]:
    """Other mentions of the same change: candidates at its place, told as having happened, with no other
    gainer and no other date ("the loss of Hama", "its fall" after "rebels seized Hama")."""
    key = group[0].place.key()
    out = []
    for c in cands:
        if id(c) in taken or c in group or c.place.key() != key or c.draft is None:
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
    state: State,
    changes: list[tuple[ControlChange, list[Candidate], list[Candidate]]],
    cands: list[Candidate],
) -> None:
    supporting: set[int] = set()
    placed: dict[int, Any] = {}  # draft -> the place of the change that took it first
    for change, group, more in changes:
        drafts = list({id(c.draft): c.draft for c in [*group, *more] if c.draft is not None}.values())
        best = max(group, key=lambda c: c.score)
        # "Kunduz, Sar-e Pul and Taloqan are captured": one trigger, a change at each place, and ACLED
        # codes an event at each; the trigger's event is copied for every place after the first
        key = best.place.key()
        drafts = [
            d if placed.setdefault(id(d), key) == key else _copy_for(d, best, state.events) for d in drafts
        ]
        if not drafts:
            drafts = [_new_draft(state, best)]
            state.events.append(drafts[0])
        to = _best([c.gainer for c in group])
        assert to is not None
        sub = territory_type(state, to, best.sent, drafts, best.place)
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
    # A territory event the reader weighed at its place and turned down (an advance, a threat, a raid)
    # loses its territory type; one whose place the reader never saw keeps what the lexicon read.
    weighed = {
        (c.sent, c.place.key())
        for c in cands
        if c.draft is not None and attachment(c) == "direct" and not object_not_place(c)
    }
    # a raid ("held parts of Diapaga for several hours", "overran the base ... before withdrawing") was
    # fought: ACLED codes the fighting there
    raided = {(c.sent, c.place.key()) for c in cands if c.raid}
    for d in state.events:
        if id(d) in supporting or d.place is None:
            continue
        if (d.sent, d.place.key()) not in weighed:
            continue
        if d.territorial or d.sub_event_type in TERRITORIAL_SUB_EVENTS:
            d.territorial = False
            if d.sub_event_type in TERRITORIAL_SUB_EVENTS:
                fought = (
                    d.plover == "ASSAULT"
                    or d.entry.get("plover") == "ASSAULT"
                    or (d.sent, d.place.key()) in raided
                )
                d.sub_event_type = "Armed clash" if fought else None
                d.event_type = ACLED_SUB_TO_TYPE.get(d.sub_event_type or "")


def _raid_events(state: State, raids: list[Candidate]) -> None:
    """A raid the events stage did not read as an event of its own ("JNIM fighters held parts of Diapaga
    for several hours") is the fighting ACLED codes there: one armed clash per place and sentence."""
    seen = {(d.sent, d.place.key()) for d in state.events if d.place is not None}
    for c in raids:
        key = (c.sent, c.place.key())
        if c.draft is not None or key in seen:
            continue
        seen.add(key)
        d = _new_draft(state, c)
        d.plover, d.plover_mode, d.territorial = "ASSAULT", None, False
        d.sub_event_type, d.event_type = "Armed clash", ACLED_SUB_TO_TYPE["Armed clash"]
        d.id = _event_id(state.article.id, d)
        state.events.append(d)


def _copy_for(d: EventDraft, c: Candidate, events: list[EventDraft]) -> EventDraft:
    """The event of a list's trigger, at another of the list's places (its id from the place as well)."""
    # each place of a list on its own day: "took Kidal on 14 November, and Aguelhok in December"
    date = c.date if _own(c) else d.date
    copy = dataclasses.replace(
        d, place=c.place, date=date, mentions=list(d.mentions), merged=[], context=list(d.context)
    )
    where = c.place.place.geonameid if c.place.place is not None else c.place.text.lower()
    copy.id = "ev-" + hashlib.sha256(f"{d.id}|{where}".encode()).hexdigest()[:16]
    existing = next((e for e in events if e.id == copy.id), None)
    if existing is not None:
        return existing
    events.append(copy)
    return copy


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
