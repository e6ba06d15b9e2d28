"""Raids: a place stormed, overrun or held and then left, which never changed hands.

"JNIM fighters overran the army base at Diapaga ... the attackers looted the camp and set it on fire
before withdrawing", "gunmen stormed the prison, freed inmates and then left the compound", "held parts of
the town for several hours", "broke into the camp but were pushed out within hours". An analyst codes an
attack there, not a capture (the annotation guide's ``raid``). The reader marks such candidates so that
the scorer turns them down whatever their words look like; the events stage keeps the attack.

What counts as leaving is read from the parse, not from a list of sentences: a verb of leaving (or of
being driven out) whose subject is the raider (the same clause's subject, the same side, or the plain
"the attackers", "the gunmen" of the next sentence), with no date of its own far from the raid's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import State
from .control_read import GAIN, HOLD, PLACE_HEADS, Candidate, same_side
from .events import TokenContext, same_place

if TYPE_CHECKING:
    from spacy.tokens import Token

# Verbs of leaving a place, with the particle some need ("pull out", "ride off")
LEAVE = {
    "withdraw": (),
    "leave": (),
    "retreat": (),
    "depart": (),
    "pull": ("out", "back"),
    "ride": ("off", "away"),
}
# Verbs of being made to leave, passive ("before being driven out", "were pushed out within hours")
DRIVEN = {"drive", "push", "force", "chase", "expel", "repel", "beat"}
# How a report names raiders it has already introduced
RAIDERS = {
    "attacker", "attackers", "assailant", "assailants", "gunman", "gunmen", "militant", "militants",
    "fighter", "fighters", "insurgent", "insurgents", "jihadist", "jihadists", "raider", "raiders",
}  # fmt: skip
# A clause's own subject or object: who leaves, when the leaving hangs on it ("ordered troops to withdraw")
OWN_ARGUMENTS = ("nsubj", "nsubjpass", "dobj")
# Days a leaving may lie after the raid and still be the raid's end (a week later, it is a new event)
SAME_RAID_DAYS = 2


def is_raid(state: State, ctx: TokenContext, c: Candidate) -> bool:
    """The candidate's taking is undone in the telling: held for hours, or followed by leaving."""
    if c.cue.noun or c.cue.role not in (GAIN, HOLD):
        return False
    tok = c.cue.token
    if _brief(tok):
        return True
    later = [t for t in tok.sent if t.i > tok.i]
    if any(_leaves(t) and _own_subject(t, tok) and _same_time(state, c, t) for t in later):
        return True
    nxt = c.sent + 1
    if (
        nxt >= len(state.sentences)
        or "\n" in state.text[state.sentences[c.sent].end : state.sentences[nxt].start]
    ):
        return False  # the next paragraph tells something else
    doc = state.doc
    assert doc is not None
    s = state.sentences[nxt]
    span = doc.char_span(s.start, s.end, alignment_mode="expand")
    if span is None:
        return False
    # the next sentence goes on about this place only ("... before pulling out of the town that evening"),
    # not on to the next town the raiders took
    if any(not p.demonym and not p.anaphor and not same_place(p, c.place) for p in state.places_in(nxt)):
        return False
    return any(_leaves(t) and _raiders_leave(ctx, c, t) and _same_time(state, c, t) for t in span)


def _brief(tok: Token) -> bool:
    """ "held parts of Djibo for hours", "for several hours" (not "briefly": a town briefly seized and lost
    the next day changed hands twice)."""
    for ch in tok.children:
        if ch.dep_ == "prep" and ch.lower_ == "for" and any(g.lemma_.lower() == "hour" for g in ch.subtree):
            return True
    return False


def _leaves(t: Token) -> bool:
    lemma = t.lemma_.lower()
    if not (t.pos_ in ("VERB", "AUX") or t.tag_.startswith("VB")):
        return False
    prts = {ch.lower_ for ch in t.children if ch.dep_ in ("prt", "advmod")}
    if lemma in LEAVE:
        need = LEAVE[lemma]
        if need and not prts & set(need):
            return False
        obj = next((ch for ch in t.children if ch.dep_ in ("dobj", "obj")), None)
        # "leaving 20 dead", "left their weapons": an object that is not where they were
        return (
            obj is None
            or obj.ent_type_ in ("GPE", "LOC", "FAC")
            or obj.pos_ == "PROPN"
            or obj.lemma_.lower() in PLACE_HEADS
        )
    if lemma in DRIVEN:
        passive = any(ch.dep_ in ("auxpass", "nsubjpass") for ch in t.children)
        return passive and bool(prts & {"out", "back", "off"})
    return False


def _own_subject(t: Token, cue: Token) -> bool:
    """The leaving verb is said of the cue's own subject: it has none of its own and hangs on the cue
    ("stormed the camp ... and withdrew", "before pulling back"), or its subject is the cue's."""
    subj = next((ch for ch in t.children if ch.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None:
        cue_subj = next((ch for ch in cue.children if ch.dep_ == "nsubj"), None)
        return cue_subj is not None and subj.lower_ in ("they", "them") and t.head.i == cue.i
    cur = t
    for _ in range(4):
        if cur.i == cue.i:
            return True
        if cur.i != t.i and any(ch.dep_ in OWN_ARGUMENTS for ch in cur.children if ch.i < t.i):
            # "ordered the encircled troops to withdraw": the clause between has a subject or an object
            # of its own, who is the one leaving
            return False
        if cur.dep_ not in ("advcl", "conj", "pcomp", "prep") or cur.head.i == cur.i:
            return False
        cur = cur.head
    return cur.i == cue.i


def _raiders_leave(ctx: TokenContext, c: Candidate, t: Token) -> bool:
    """The next sentence's leaving is the raiders': the raider named, or "the attackers" plainly."""
    cur = t
    for _ in range(4):
        subj = next((ch for ch in cur.children if ch.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            break
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    else:
        return False
    named = ctx.actor_in(subj)
    if subj.lemma_.lower() in RAIDERS or subj.lower_ in RAIDERS:
        # a plain "the attackers" may be read as some unidentified group; a name of its own must be the
        # raider's side, and never the side that was attacked
        if named is None or c.gainer is None or same_side(named, c.gainer):
            return True
        return named.how != "named" and not same_side(named, c.loser)
    # a name: the raider itself (a side is not enough: "the government" may be the raider's enemy's)
    return (
        named is not None
        and c.gainer is not None
        and named.actor is not None
        and c.gainer.actor is not None
        and named.actor.id == c.gainer.actor.id
    )


def _same_time(state: State, c: Candidate, t: Token) -> bool:
    """No date by the leaving that is days away from the raid's ("withdrew in November" ends a holding)."""
    day = c.date.date if c.date is not None else None
    lo, hi = t.left_edge.idx, t.right_edge.idx + len(t.right_edge)
    for dm in state.dates:
        if dm.date is None or not (lo <= dm.start < hi) or dm.start < t.idx:
            continue
        if day is None or abs((dm.date - day).days) > SAME_RAID_DAYS:
            return False
    return True
