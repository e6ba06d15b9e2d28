"""Stage ``typing``: each event's ACLED sub-event type, decided by a learned classifier beside the lexicon.

The lexicon (``events.py``) finds triggers and reads their arguments; its typing rules enumerate phrasings
and hit their ceiling on new ones. A linear classifier (``models/event_type.npz``, trained by ``frontline
train event_type`` on the benchmark's ACLED-style notes and report events) reads each event's clause: its
words, the trigger and its arguments, the kinds of actors on both sides, the weapon words, and the
lexicon's own reading as one feature among the others.

The combining rule: the classifier decides when it is confident (its top class at least
``CONFIDENT``), including deciding that an event is outside ACLED's scope ("NONE"); otherwise the lexicon's
type stands. The event's ``confidence`` becomes the probability of the type it carries. A report's lede that
the lexicon read no event from gets one from its main verb when the classifier is confident it is an ACLED
event ("Gunmen stormed a village market ...").

Territory sub-types are left to the control reader, which decides from who gained the place.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any

from ..schema import ACLED_SUB_TO_TYPE, TERRITORIAL_SUB_EVENTS
from .base import EventDraft, State
from .event_dates import anchor_date as _anchor
from .event_dates import nearest_date as _nearest_date
from .events import TokenContext, _event_id

if TYPE_CHECKING:
    from spacy.tokens import Token

NONE = "NONE"
CONFIDENT = 0.5
# The PLOVER classifier learned mostly from machine-written stories: it overrides the lexicon's reading of a
# real sentence only when it is very sure (measured on PLOVER's human-coded records and the stories).
PLOVER_CONFIDENT = 0.75
# The mode classifier decides among the modes of the event's own PLOVER event at this share of their
# probability.
MODE_CONFIDENT = 0.5
NO_MODE = "none"
WEAPONS = {
    "drone", "airstrike", "strike", "warplane", "jet", "helicopter", "missile", "rocket", "shell", "mortar",
    "artillery", "shelling", "bomb", "ied", "mine", "landmine", "explosive", "grenade", "suicide", "chlorine",
    "sarin", "gas", "chemical", "gun", "rifle", "firearm", "machete", "knife", "tear", "bullet", "fire",
}  # fmt: skip
STOP = {
    "the",
    "a",
    "an",
    "of",
    "in",
    "on",
    "at",
    "to",
    "and",
    "by",
    "for",
    "with",
    "from",
    "as",
    "its",
    "their",
}


def draft_features(state: State, d: EventDraft) -> dict[str, float]:
    """What the classifier reads of one event: named features, weights 1."""
    doc = state.doc
    assert doc is not None
    f: dict[str, float] = {"bias": 1.0}
    tok: Token | None = doc[d.token] if 0 <= d.token < len(doc) else None
    sent = state.sentences[d.sent]
    span = doc.char_span(sent.start, sent.end, alignment_mode="expand")
    words = [t for t in span if not t.is_punct and not t.is_space] if span is not None else []
    for t in words:
        lemma = t.lemma_.lower()
        if lemma not in STOP and not t.like_num:
            f[f"w={lemma}"] = 1.0
        if lemma in WEAPONS:
            f[f"weapon={lemma}"] = 1.0
    if tok is not None:
        near = [t for t in words if abs(t.i - tok.i) <= 4]
        for a, b in pairwise(near):
            f[f"b={a.lemma_.lower()}_{b.lemma_.lower()}"] = 1.0
        f[f"t={tok.lemma_.lower()}"] = 1.0
        f[f"tdep={tok.dep_}"] = 1.0
        f[f"thead={tok.head.lemma_.lower()}"] = 1.0
        for c in tok.children:
            if c.dep_ in ("dobj", "nsubjpass", "nsubj", "pobj", "prep", "agent", "compound", "amod"):
                f[f"arg:{c.dep_}={c.lemma_.lower()}"] = 1.0
                if c.dep_ == "prep":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            f[f"arg:{c.lower_}={g.lemma_.lower()}"] = 1.0
    for role, m in (("a1", d.actor1), ("a2", d.actor2)):
        if m is None:
            f[f"{role}=none"] = 1.0
        elif m.actor is not None:
            f[f"{role}_kind={m.actor.kind}"] = 1.0
            f[f"{role}_side={m.actor.side}"] = 1.0
        else:
            f[f"{role}=unresolved"] = 1.0
    f[f"plover={d.plover}"] = 1.0
    if d.plover_mode:
        f[f"mode={d.plover_mode}"] = 1.0
    f[f"lex={d.sub_event_type or NONE}"] = 1.0
    f[f"noun={d.noun}"] = 1.0
    if d.fatalities:
        f["fatalities"] = 1.0
    if d.territorial:
        f["territorial"] = 1.0
    return f


class TypingStage:
    name = "typing"
    requires: tuple[str, ...] = ("events", "doc")
    sets: tuple[str, ...] = ("events",)

    def __init__(
        self,
        model: Any = None,
        confident: float = CONFIDENT,
        plover_model: Any = None,
        mode_model: Any = None,
    ) -> None:
        self.model = model  # a Classifier over ACLED sub-event types and "NONE"; None: the lexicon alone
        self.plover_model = (
            plover_model  # a Classifier over PLOVER's 16 events, for events ACLED does not type
        )
        self.mode_model = mode_model  # a Classifier over "EVENT/mode" (and "EVENT/none")
        self.confident = confident

    def __call__(self, state: State) -> None:
        if self.model is not None:
            for d in state.events:
                self.decide(state, d)
            lede = _lede_event(state, self.model, self.confident)
            if lede is not None:
                state.events.append(lede)
        if self.plover_model is not None:
            for d in state.events:
                self.decide_plover(state, d)
        if self.mode_model is not None:
            for d in state.events:
                self.decide_mode(state, d)

    def decide_mode(self, state: State, d: EventDraft) -> None:
        """The PLOVER mode of the event's PLOVER event (firearms or heavy weapons, arrest or restriction ...),
        from the modes that event takes; the rules' mode stands unless the classifier is confident. A
        capture's mode (seize) is the control reader's, and a threat's the modality stage's."""
        if d.territorial:
            return
        p = self.mode_model.proba(draft_features(state, d))
        prefix = f"{d.plover}/"
        options = {k[len(prefix) :]: v for k, v in p.items() if k.startswith(prefix)}
        total = sum(options.values())
        if not options or total <= 0:
            return
        mode, prob = max(options.items(), key=lambda kv: kv[1])
        if prob / total >= MODE_CONFIDENT:
            d.plover_mode = None if mode == NO_MODE else mode

    def decide_plover(self, state: State, d: EventDraft) -> None:
        """PLOVER's event for what ACLED does not type (statements, talks, aid, sanctions ...); an ACLED
        event keeps the PLOVER event its type implies (a capture is COERCE, a clash ASSAULT)."""
        if d.sub_event_type is not None or d.territorial:
            return
        p = self.plover_model.proba(draft_features(state, d))
        label, prob = max(p.items(), key=lambda kv: kv[1])
        if prob >= PLOVER_CONFIDENT and label != d.plover:
            d.plover, d.plover_mode = label, None

    def decide(self, state: State, d: EventDraft) -> None:
        if d.territorial or d.sub_event_type in TERRITORIAL_SUB_EVENTS:
            return  # who gained the place decides these (the control reader)
        p = self.model.proba(draft_features(state, d))
        label, prob = max(p.items(), key=lambda kv: kv[1])
        if label in TERRITORIAL_SUB_EVENTS or prob < self.confident:
            if d.sub_event_type is not None:
                d.confidence = max(0.05, min(1.0, d.confidence * (0.6 + 0.4 * p.get(d.sub_event_type, 0.0))))
            return
        if label == NONE:
            d.event_type = d.sub_event_type = None
        else:
            d.sub_event_type, d.event_type = label, ACLED_SUB_TO_TYPE[label]
        # scaled, not replaced: the rules' confidence also says which event is a sentence's main one
        d.confidence = round(max(0.05, min(1.0, d.confidence * (0.6 + 0.4 * prob))), 3)


def _lede_event(state: State, model: Any, confident: float) -> EventDraft | None:
    """An event for a report's first sentence when the lexicon read none from it and the classifier is
    confident the sentence tells one (a note, a brief)."""
    d = lede_draft(state)
    if d is None or any(e.sent == d.sent for e in state.events):
        return None  # the lexicon read something there: the classifier types it, it does not add another
    p = model.proba(draft_features(state, d))
    label, prob = max(p.items(), key=lambda kv: kv[1])
    if label in (NONE, *TERRITORIAL_SUB_EVENTS) or prob < confident:
        return None
    d.sub_event_type, d.event_type = label, ACLED_SUB_TO_TYPE[label]
    d.plover = PLOVER_OF.get(d.event_type, "ASSAULT")
    d.confidence = round(prob, 3)
    from .toponyms import event_place

    d.place = event_place(state, d.sent, d.trigger_start, d.trigger_end)
    d.date = _nearest_date(state, d) or _anchor(state)
    d.id = _event_id(state.article.id, d)
    return d


def lede_draft(state: State) -> EventDraft | None:
    """The first sentence's main verb as an event draft (for training on notes the lexicon misses)."""
    if not state.sentences or state.doc is None:
        return None
    first = state.lede()
    if first is None:
        return None
    span = state.doc.char_span(first.start, first.end, alignment_mode="expand")
    if span is None or span.root.pos_ not in ("VERB", "AUX"):
        return None
    root = span.root
    ctx = TokenContext(state)
    return EventDraft(
        sent=first.index,
        trigger_start=root.idx,
        trigger_end=root.idx + len(root),
        trigger=root.text,
        plover="ASSAULT",
        actor1=ctx.subject_actor(root),
        token=root.i,
    )


# The PLOVER event an ACLED type's happening usually is, for an event the lexicon did not read.
PLOVER_OF = {
    "Battles": "ASSAULT",
    "Explosions/Remote violence": "ASSAULT",
    "Violence against civilians": "ASSAULT",
    "Protests": "PROTEST",
    "Riots": "PROTEST",
    "Strategic developments": "COERCE",
}
