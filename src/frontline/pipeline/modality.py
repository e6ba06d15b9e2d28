"""Stage ``modality``: did the event happen, as the text tells it?

A threat to Homs is not a capture, "it doesn't mean Damascus will fall" is not a fall, the 1982 massacre is
history, and "the army said it retook the town" is one side's claim. The reading walks from the trigger up
the dependency tree to the clause's root and looks at what frames it: negation, modal and future
auxiliaries, conditionals, intent verbs (threaten, vow, plan, attempt, refuse), verbs of saying and who says,
hedges ("reportedly"), and the event's date (years before the report: historical).

Values: asserted, claimed, denied, threatened, planned, hypothetical, negated, historical.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import ActorMention, EventDraft, State, mention_at
from .events import dedupe_sentence, load_lexicon

if TYPE_CHECKING:
    from spacy.tokens import Token

MODALS_HYPOTHETICAL = {"would", "could", "may", "might", "can", "should", "must", "shall"}
MODALS_FUTURE = {"will", "'ll", "wo"}  # "wo" is "won't"'s first token
HEDGES = {"reportedly", "allegedly", "purportedly", "apparently", "supposedly", "claimedly"}
CLAIM_VERBS = {
    "claim",
    "allege",
    "boast",
    "assert",
    "insist",
    "announce",
    "say",
    "tell",
    "declare",
    "post",
    "tweet",
    "report",
    "state",
    "add",
    "write",
    "publish",
    "exclaim",
    "shout",
}
DENY_VERBS = {"deny", "dismiss", "refute", "reject", "disprove"}
CONFIRM_VERBS = {"confirm", "acknowledge", "admit", "concede", "verify"}
UNREAL_FRAMES = {
    "avoid",
    "prevent",
    "fear",
    "risk",
    "assume",
    "assuming",
    "imagine",
    "expect",
    "predict",
    "forecast",
    "hope",
    "want",
    "wish",
    "prepare",
    "threaten",
    "aim",
    "seek",
    "consider",
    "mean",
    "caution",
    "warn",
    "bracing",
    "brace",
    "could",
    "would",
    "plan",
}
FUTURE_FRAMES = {"going", "about", "set", "due", "poised", "likely", "unlikely", "able", "unable", "ready"}
# Prepositions whose object happened, whatever frames the clause ("unable to hold despite bombardments").
PRESUPPOSING = {"despite", "amid", "after", "following", "during", "since", "with", "given", "because"}
HISTORICAL_ADVERBS = {"historically", "formerly", "once", "previously"}
# speakers whose "said" is reporting, not a party's claim
NEUTRAL_SIDES = {"international", "civilians", "media", "analysts", "observers", None}


def classify(state: State, draft: EventDraft) -> tuple[str, object | None]:
    """(modality, the actor mention it is attributed to, for claims and denials)."""
    doc = state.doc
    assert doc is not None
    if draft.modality != "asserted":
        return draft.modality, None
    if draft.date is not None and draft.date.historical:
        return "historical", None
    if draft.token < 0:
        return "asserted", None
    lex = load_lexicon()
    tok = doc[draft.token]
    if _in_party_quote(state, draft):
        return "claimed", None
    # the trigger itself
    own = _frame(tok, draft.noun)
    if own is not None:
        return own, None
    # "X captured Y, the ministry said": the verb of saying hangs below the event's own clause
    clause = tok if not draft.noun else tok.head
    for child in clause.children:
        if (
            child.dep_ in ("parataxis", "ccomp", "advcl")
            and child.i > tok.i
            and (child.lemma_.lower() in CLAIM_VERBS | DENY_VERBS)
        ):
            speaker = _subject_mention(state, child)
            if child.lemma_.lower() in DENY_VERBS:
                return "denied", speaker
            if _is_party(speaker) or _group_speaker(child):
                return "claimed", speaker
    # walk up: what frames the clause the trigger is in
    cur = tok
    for _ in range(8):
        head = cur.head
        if head.i == cur.i:
            break
        dep = cur.dep_
        lemma = head.lemma_.lower()
        if dep == "pobj" and lemma in PRESUPPOSING:
            break  # "despite heavy bombardments", "after the capture of Aleppo": these happened
        if dep in ("pcomp", "pobj") and lemma == "without":
            return "negated", None  # "handed over without a shot being fired"
        entry = lex.verbs.get(lemma, {})
        if dep in (
            "xcomp",
            "ccomp",
            "pcomp",
            "pobj",
            "dobj",
            "advcl",
            "acl",
            "relcl",
            "prep",
            "conj",
            "nsubj",
            "nsubjpass",
            "attr",
            "appos",
            "compound",
            "amod",
            "poss",
            "npadvmod",
            "dep",
        ):
            if (
                dep in ("xcomp", "ccomp", "pcomp", "pobj", "dobj", "prep")
                and entry.get("intent")
                and (head.pos_ in ("VERB", "AUX"))
            ):
                return str(entry["intent"]), None
            if lemma in DENY_VERBS and dep in ("ccomp", "dobj", "xcomp", "pcomp"):
                return "denied", _subject_mention(state, head)
            if lemma in CONFIRM_VERBS and dep in ("ccomp", "dobj", "xcomp"):
                return "asserted", None
            if lemma in CLAIM_VERBS and dep in ("ccomp", "xcomp"):
                speaker = _subject_mention(state, head)
                if lemma in ("claim", "allege", "boast") or _is_party(speaker) or _group_speaker(head):
                    return "claimed", speaker
            if dep in ("xcomp", "ccomp", "pcomp", "pobj", "dobj") and lemma in UNREAL_FRAMES:
                neg = any(c.dep_ == "neg" for c in head.children)
                if lemma == "mean" and neg:
                    return "negated", None
                if lemma in ("threaten", "warn") and _subject_mention(state, head) is not None:
                    return "threatened", None
                if lemma in ("plan", "prepare"):
                    return "planned", None
                return "hypothetical", None
            if dep in ("xcomp",) and lemma in FUTURE_FRAMES:
                return "hypothetical", None
            if dep == "ccomp" or dep == "xcomp" or dep == "advcl":
                framed = _frame(head, False, clause_only=True)
                if framed in ("negated",) and lemma in ("mean", "think", "believe", "expect", "say"):
                    return "negated", None
                if framed in ("hypothetical",) and dep == "xcomp":
                    return framed, None
                if dep == "advcl" and any(
                    c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in cur.children
                ):
                    return "hypothetical", None
        if dep == "conj":
            framed = _frame(head, head.pos_ not in ("VERB", "AUX"))
            if framed is not None:
                return framed, None
        cur = head
    return "asserted", None


def _frame(tok: Token, noun: bool, clause_only: bool = False) -> str | None:
    """What the token's own dependents say: negation, modality, conditionals, hedges."""
    children = list(tok.children)
    if noun:
        if any(c.dep_ == "det" and c.lower_ in ("no",) for c in children):
            return "negated"
        if any(c.lower_ in ("threat", "threats") for c in [tok.head]) and tok.dep_ == "pobj":
            return "threatened"
        if any(
            c.lemma_.lower()
            in (
                "possible",
                "potential",
                "planned",
                "imminent",
                "expected",
                "feared",
                "looming",
                "anticipated",
            )
            for c in children
            if c.dep_ == "amod"
        ):
            return "hypothetical"
        head = tok.head
        if tok.dep_ in ("dobj", "pobj") and head.lemma_.lower() in ("avoid", "prevent", "against", "assume"):
            return "hypothetical"
        if tok.dep_ == "pobj" and head.lower_ == "without":
            return "negated"  # "handed over the base without fighting"
        return None
    if any(c.dep_ == "neg" for c in children):
        return "negated"
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in children):
        return "hypothetical"
    for c in children:
        if c.dep_ == "aux":
            low = c.lower_
            if low in MODALS_FUTURE or low in MODALS_HYPOTHETICAL:
                return "hypothetical"
        if c.dep_ == "advmod" and c.lower_ in HEDGES and not clause_only:
            return "claimed"
        if c.dep_ == "advmod" and c.lower_ in HISTORICAL_ADVERBS and not clause_only:
            return "historical"
    return None


def _subject_mention(state: State, verb: Token) -> ActorMention | None:
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return mention_at(state, subj) if subj is not None else None


def _group_speaker(verb: Token) -> bool:
    """A speaker the catalogue does not know but that names an armed group ("ethnic armed groups said")."""
    from .events import GROUP_NOUNS

    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subj is not None and subj.lemma_.lower() in GROUP_NOUNS and subj.pos_ in ("NOUN", "PROPN")


def _is_party(mention: object | None) -> bool:
    """A party to the conflict (an armed group, a state), whose word on its own deeds is a claim."""
    if mention is None:
        return False
    actor = getattr(mention, "actor", None)
    if actor is None:
        return False
    return actor.side not in NEUTRAL_SIDES and actor.kind not in ("organisation", "civilians", "media")


def _in_party_quote(state: State, draft: EventDraft) -> bool:
    """Inside a direct quote in the first person ("We are liberating Hama!"): the speaker's claim."""
    sent = state.sentences[draft.sent].text if draft.sent < len(state.sentences) else ""
    start = state.sentences[draft.sent].start if draft.sent < len(state.sentences) else 0
    rel = draft.trigger_start - start
    opened = max(sent.rfind("“", 0, rel), sent.rfind('"', 0, rel))
    if opened < 0:
        return False
    closed = sent.find("”", opened)
    if 0 <= closed < rel:
        return False
    quote = sent[opened : rel + 40].lower().replace("“", " ").replace('"', " ")
    return any(f" {w} " in f" {quote} " for w in ("we", "our", "us")) and draft.territorial


COOPERATIVE = {"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT"}
# Frames in which the subject commits itself to the complement ("is willing to send", "agreed to lift").
COMMIT_FRAMES = {
    "willing",
    "ready",
    "prepared",
    "committed",
    "commit",
    "agree",
    "pledge",
    "promise",
    "offer",
    "plan",
    "intend",
    "vow",
    "swear",
    "threaten",
    "want",
    "determined",
    "resolve",
    "undertake",
    "set",
    "poised",
    "eager",
    "keen",
}
REFUSE_FRAMES = {"refuse", "decline", "fail", "reject", "unwilling", "renege", "balk", "resist"}
DEMAND_FRAMES = {
    "demand",
    "urge",
    "call",
    "ask",
    "press",
    "pressure",
    "push",
    "insist",
    "appeal",
    "order",
    "request",
    "tell",
    "want",
}
THREAT_MODES = {
    "ASSAULT": "violence",
    "COERCE": "restrict",
    "SANCTION": "relations",
    "MOBILIZE": "violence",
    "PROTEST": "relations",
    "THREATEN": None,
}


def speech_act(state: State, draft: EventDraft) -> tuple[str, str] | None:
    """An event stated as its actor's intention, refusal or someone's demand, as PLOVER codes it.

    "Norway is willing to send material" is an AGREE (intent to cooperate), "will not accept refugees" a
    REJECT, "Iraq must cooperate with inspectors" a REQUEST, "the army will storm the town" a THREATEN:
    the event itself has not happened. Returns (plover event, modality) or None.
    """
    doc = state.doc
    assert doc is not None
    if draft.token < 0:
        return None
    tok = doc[draft.token]
    if draft.noun:
        # "will extend the curfew", "agreed to a ceasefire": the governing verb carries the intent
        if tok.dep_ in ("dobj",) and tok.head.pos_ in ("VERB", "AUX"):
            tok = tok.head
        else:
            return None
    has_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
    aux = {c.lower_ for c in tok.children if c.dep_ == "aux"}
    neg = any(c.dep_ == "neg" for c in tok.children)
    kind = None
    if aux & {"must", "should"}:
        kind = "demand"
    elif aux & {"will", "would", "'ll", "shall", "wo"} and has_subject:
        kind = "refuse" if neg else "commit"
    else:
        frame = tok.head
        if tok.dep_ == "pcomp" and frame.dep_ == "prep":  # "committed to opening"
            frame = frame.head
        if tok.dep_ in ("xcomp", "pcomp", "ccomp") and frame.i != tok.i:
            lemma = frame.lemma_.lower()
            frame_neg = any(c.dep_ == "neg" for c in frame.children)
            if lemma in REFUSE_FRAMES or (lemma in COMMIT_FRAMES and frame_neg):
                kind = "refuse"
            elif lemma in COMMIT_FRAMES and tok.dep_ != "ccomp":
                kind = "commit"
            elif lemma in DEMAND_FRAMES and tok.dep_ in ("xcomp", "ccomp") and lemma not in ("tell",):
                kind = "demand"
    if kind is None:
        return None
    if kind == "refuse":
        return "REJECT", "negated"
    if kind == "demand":
        return "REQUEST", "hypothetical"
    conditional = any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("unless", "if") for m in c.children)
        for c in tok.children
    )
    if draft.plover in COOPERATIVE and not conditional:
        return "AGREE", "planned"
    return "THREATEN", "threatened"


# The modality classifier decides when its top class is at least this probable; below, the rules stand.
CONFIDENT = 0.6
DECIDES = ("asserted", "claimed")  # the rules' readings the classifier may change (ModalityStage.decide)
_DEPS_OWN = ("aux", "auxpass", "neg", "mark", "advmod", "prt")
# How long before publication the event's date is, in days at most: the classifier's date feature.
GAPS = ((-1, "future"), (7, "week"), (45, "month"), (366, "year"))


def modality_features(state: State, d: EventDraft) -> dict[str, float]:
    """What the modality classifier reads of one event: the rules' reading, the trigger's own auxiliaries,
    negation and marks, the chain of heads above it and what hangs on them, the words just before it, its
    date against the report's, who it is attributed to, and whether it sits inside a quote."""
    doc = state.doc
    assert doc is not None
    f: dict[str, float] = {"bias": 1.0, f"rule={d.modality}": 1.0, f"plover={d.plover}": 1.0}
    if d.sub_event_type is not None:
        f["acled"] = 1.0
    if d.territorial:
        f["territorial"] = 1.0
    # No bag of the sentence's words: on dev it taught the model the topics of the train reports, not how
    # a happening is framed.
    if d.sent < len(state.sentences) and state.sentences[d.sent].heading:
        f["heading"] = 1.0
    if 0 <= d.token < len(doc):
        tok = doc[d.token]
        f[f"t={tok.lemma_.lower()}"] = 1.0
        f[f"tag={tok.tag_}"] = 1.0
        f[f"noun={d.noun}"] = 1.0
        for c in tok.children:
            if c.dep_ in _DEPS_OWN:
                f[f"c:{c.dep_}={c.lower_}"] = 1.0
        for c in tok.lefts:
            if c.dep_ == "amod" or c.dep_ == "det":
                f[f"c:{c.dep_}={c.lower_}"] = 1.0
        cur = tok
        for k in range(6):
            head = cur.head
            if head.i == cur.i:
                break
            f[f"up:{cur.dep_}>{head.lemma_.lower()}"] = 1.0
            if k == 0:
                f[f"up0:{cur.dep_}>{head.lemma_.lower()}"] = 1.0
            for c in head.children:
                if c.dep_ in ("aux", "neg", "mark") and c.i != cur.i:
                    f[f"upc:{c.dep_}={c.lower_}"] = 1.0
            cur = head
        for t in doc[max(0, tok.i - 3) : tok.i]:
            f[f"pre={t.lower_}"] = 1.0
    if _in_quote(state, d):
        f["in_quote"] = 1.0
    date = d.date
    if date is None or date.date is None:
        f["date=none"] = 1.0
    else:
        f[f"date_from={date.derived or 'text'}"] = 1.0
        if date.historical:
            f["date=historical"] = 1.0
        published = state.article.published
        if published is not None:
            gap = (published - date.date).days
            f[f"gap={next((name for most, name in GAPS if gap <= most), 'years')}"] = 1.0
    if d.attributed_to is not None:
        f["speaker_party" if _is_party(d.attributed_to) else "speaker_other"] = 1.0
    return f


def _in_quote(state: State, draft: EventDraft) -> bool:
    if draft.sent >= len(state.sentences):
        return False
    sent = state.sentences[draft.sent]
    before = state.text[sent.start : max(sent.start, draft.trigger_start)]
    return (before.count("\u201c") > before.count("\u201d")) or before.count('"') % 2 == 1


class ModalityStage:
    name = "modality"
    requires: tuple[str, ...] = ("doc", "events", "actors", "dates")
    sets: tuple[str, ...] = ("events",)

    def __call__(self, state: State) -> None:
        for draft in state.events:
            modality, speaker = classify(state, draft)
            draft.modality = modality
            act = speech_act(state, draft) if modality not in ("historical", "claimed", "denied") else None
            if act is not None and (
                act[0] == "REJECT" or draft.plover not in ("REQUEST", "REJECT", "THREATEN", "AGREE")
            ):
                plover, draft.modality = act
                if plover == "THREATEN":
                    draft.plover_mode = (
                        "territory"
                        if draft.entry.get("territorial")
                        else THREAT_MODES.get(draft.plover, draft.plover_mode)
                    )
                elif plover != draft.plover:
                    draft.plover_mode = None
                draft.plover = plover
                draft.event_type = draft.sub_event_type = None  # a statement of intent, not an ACLED event
                draft.territorial = False
            else:
                _unreal_penalty(draft)
            if speaker is not None:
                draft.attributed_to = speaker  # type: ignore[assignment]
        # "threatened to attack El Obeid" is one threat once the attack is read as one
        state.events = dedupe_sentence(state.events)


def _unreal_penalty(draft: EventDraft) -> None:
    if draft.modality in ("hypothetical", "negated") and draft.plover not in (
        "REQUEST",
        "THREATEN",
        "AGREE",
        "REJECT",
    ):
        draft.confidence = max(0.05, draft.confidence - 0.3)  # not what the sentence reports


class LearnedModalityStage:
    """Stage ``modality_learned``: the modality classifier's reading (``models/modality.npz``), after the
    control reader. The control reader's own model learned from the rules' modality, so it reads the
    rules'; an event that tells a change of control keeps it too, so that the change and its event agree.
    """

    name = "modality_learned"
    requires: tuple[str, ...] = ("events", "control_changes")
    sets: tuple[str, ...] = ("events",)

    def __init__(self, model: Any, confident: float = CONFIDENT) -> None:
        self.model = model  # a Classifier over the eight modalities
        self.confident = confident

    def __call__(self, state: State) -> None:
        told = {i for change in state.control_changes for i in change.event_ids}
        for draft in state.events:
            if draft.territorial or draft.id in told:
                continue
            before = draft.modality
            self.decide(state, draft)
            if draft.modality != before:
                _unreal_penalty(draft)

    def decide(self, state: State, draft: EventDraft) -> None:
        """The classifier's modality where it is confident; the rules' reading is one of its features.

        It decides where the rules read the event as told (asserted or claimed): claims, denials and
        unreal frames the rules have no word for. What the rules read from the words themselves stays
        theirs: a frame ("trying to take", "threatened to", "if"), negation ("no fighting was
        reported"), history (the event's date against the report's period), and statements of intent
        read by ``speech_act``. On dev, letting it undo those readings lost more than it won: the train
        split has few of each."""
        if draft.modality not in DECIDES:
            return
        p = self.model.proba(modality_features(state, draft))
        label, prob = max(p.items(), key=lambda kv: kv[1])
        if prob >= self.confident and label != "historical":
            draft.modality = label
