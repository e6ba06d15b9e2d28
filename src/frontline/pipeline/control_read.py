"""The control reader's first half: every place the text talks about holding, taking or losing, with who
gains it, who loses it, when, and the context an analyst weighs.

A **cue** is a word about control (``data/control.yaml``: "seized", "fell", "withdrew", "the capture of",
"in the hands of" ...). Each (cue, place) pair in a sentence is a **candidate**: the place hangs on the cue
somehow (its object, its subject, a "from" or "of" phrase, a list joined to one of those, or merely the same
sentence). The second half (``control.py``) scores candidates, keeps the real changes and joins mentions of
one change across the article.

Features are named strings (``rel=dobj``, ``cue=seize``, ``frame:advance=within`` ...) so that a linear
model can weigh them and a person can read its weights.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..gazetteer.words import DIRECTION_WORDS
from .base import ActorMention, DateMention, EventDraft, PlaceMention, State
from .event_dates import heading_dates, in_other_clause, shifted_date
from .events import OBJECT_WORDS, TokenContext, is_armed_group
from .toponyms import is_dateline

if TYPE_CHECKING:
    from spacy.tokens import Token

CUES_FILE = Path(__file__).with_name("data") / "control.yaml"
GAIN, EXPEL, FALL, LOSS, HOLD = "gain", "expel", "fall", "loss", "hold"
FIRST_PERSON = {"we", "our", "us", "ours"}
HELD = re.compile(r"^(?P<who>[\w'-]+)-(?:held|controlled|occupied)$", re.I)


@dataclass(frozen=True)
class Cues:
    verbs: dict[str, dict[str, Any]]
    nouns: dict[str, dict[str, Any]]
    frames: dict[str, frozenset[str]]


@lru_cache(maxsize=2)
def load_cues(path: Path = CUES_FILE) -> Cues:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    def norm(table: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {k: (v if isinstance(v, dict) else {"role": v}) for k, v in table.items()}

    return Cues(
        verbs=norm(data["verbs"]),
        nouns=norm(data["nouns"]),
        frames={k: frozenset(v) for k, v in data["frames"].items()},
    )


@dataclass
class Cue:
    token: Token
    lemma: str
    role: str
    weak: bool
    noun: bool


@dataclass
class Candidate:
    place: PlaceMention
    sent: int
    cue: Cue
    rel: str  # how the place hangs on the cue: "dobj", "prep:from", "nsubj", "sent" ...
    gainer: ActorMention | None = None
    loser: ActorMention | None = None
    draft: EventDraft | None = None
    date: DateMention | None = None
    date_source: str = "none"  # clause, sentence, heading, inherited or none
    gainer_fallback: bool = False  # the gainer is the report's main side, not read from the clause
    modality: str = "asserted"
    speaker: Any = None
    features: dict[str, float] = field(default_factory=dict)
    score: float = 0.0
    place_token: Token | None = None  # the place's head token in the parse
    site: Token | None = None  # the taken site the place is the town of ("the airport at Kavumu")
    raid: bool = False  # taken and left in the telling (control_raid.py)


def find_cues(state: State, sent_index: int) -> list[Cue]:
    doc = state.doc
    assert doc is not None
    cues = load_cues()
    s = state.sentences[sent_index]
    span = doc.char_span(s.start, s.end, alignment_mode="expand")
    if span is None:
        return []
    out: list[Cue] = []
    for tok in span:
        lemma = tok.lemma_.lower()
        verbish = tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB")
        entry = None
        noun = False
        if verbish:
            entry = cues.verbs.get(lemma) or cues.verbs.get(_irregular(tok))
        elif tok.pos_ in ("NOUN", "PROPN") or tok.tag_.startswith("NN"):
            entry = cues.nouns.get(lemma) or cues.nouns.get(tok.lower_)
            noun = entry is not None
            if entry is None and tok.lower_ in cues.verbs and tok.dep_ == "ROOT":
                entry = cues.verbs[tok.lower_]  # a headline verb the tagger read as a noun
        if entry is None and HELD.match(tok.text):
            entry, noun = {"role": HOLD, "weak": True}, True
        if entry is not None and entry.get("needs") and not _has_prep_object(tok, entry["needs"]):
            entry = None
        if entry is not None:
            out.append(Cue(tok, lemma, entry["role"], bool(entry.get("weak")), noun))
    return out


def _has_prep_object(tok: Token, words: list[str]) -> bool:
    return any(
        g.dep_ == "pobj" and g.lemma_.lower() in words
        for child in tok.children
        if child.dep_ == "prep"
        for g in child.children
    )


_IRREGULAR = {
    "took": "take",
    "taken": "take",
    "seized": "seize",
    "overran": "overrun",
    "retook": "retake",
    "retaken": "retake",
    "fell": "fall",
    "fallen": "fall",
    "withdrew": "withdraw",
    "withdrawn": "withdraw",
    "drove": "drive",
    "driven": "drive",
    "fled": "flee",
    "lost": "lose",
    "held": "hold",
    "gave": "give",
    "given": "give",
    "won": "win",
    "left": "leave",
}


def _irregular(tok: Token) -> str:
    return _IRREGULAR.get(tok.lower_, tok.lower_)


# --- where the place hangs on the cue --------------------------------------------------------------------


def _down(cue: Token, target: Token, limit: int = 5) -> str | None:
    """The dependency path from a token down to another, as "dobj", "pobj:of", "dobj>conj" (prepositions
    folded into their objects); None when the target is not below within ``limit`` steps."""
    steps: list[str] = []
    cur = target
    for _ in range(limit):
        if cur.i == cue.i:
            return ">".join(reversed(steps)) or "self"
        if cur.dep_ == "pobj":
            steps.append(f"pobj:{cur.head.lower_}")
            cur = cur.head.head if cur.head.i != cur.head.head.i else cur.head
            if cur.i == cue.i:
                return ">".join(reversed(steps))
            continue
        steps.append(cur.dep_)
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def relation(cue: Token, target: Token) -> str | None:
    """How a place hangs on a cue: a path down from the cue ("dobj", "pobj:from"), or up to a shared head
    and down again ("^relcl" for "Hama, which rebels seized"; "^pobj:in|nsubj" for "Kupiansk is in Ukrainian
    hands"). None when they are further apart than a clause: such a place is not what the cue is about."""
    down = _down(cue, target)
    if down is not None:
        return down
    ups: list[str] = []
    cur = cue
    for _ in range(3):
        if cur.head.i == cur.i:
            return None
        if cur.dep_ == "pobj" and cur.head.head.i != cur.head.i:
            ups.append(f"pobj:{cur.head.lower_}")
            cur = cur.head.head
        else:
            ups.append(cur.dep_)
            cur = cur.head
        if cur.i == target.i:
            return "^" + ">".join(ups)
        below = _down(cur, target, limit=3)
        if below is not None:
            return "^" + ">".join(ups) + "|" + below
    return None


# How a place may hang on a cue of each role for the cue to be about it: the first step of the path (its
# argument slot), then steps that stay inside the same noun phrase ("the town of X", "X, a border town",
# "A and B"). Steps into a place inside the object ("outposts in Paletwa", "the base at Ber") attach it
# more loosely.
FIRST_STEPS = {
    GAIN: {"dobj", "pobj:into", "pobj:of", "pobj:over", "nsubjpass", "npadvmod", "advmod", "oprd"}
    | {"ellipsis"},
    EXPEL: {"pobj:from", "pobj:out", "pobj:of", "prep"},
    # "Fuzuli fell on 23 August, Qubadli on 31 August": a name hung on "fell" as a bare noun phrase
    FALL: {"nsubj", "pobj:of", "poss", "ellipsis"},
    LOSS: {"pobj:from", "pobj:of", "pobj:out", "dobj", "prep", "poss", "nsubjpass", "ellipsis"},
    HOLD: {"dobj", "pobj:of", "pobj:over", "nsubj", "nsubjpass"},
}
UP_PATHS = {
    GAIN: ("^relcl", "^acl", "^oprd|dobj", "^ccomp|nsubj", "^xcomp|dobj", "^oprd|nsubj"),
    HOLD: ("^pobj:in|nsubj", "^pobj:under|nsubj", "^relcl", "^acl"),
    LOSS: ("^relcl", "^acl"),
    FALL: ("^relcl",),
    EXPEL: ("^relcl",),
}
# "seized three provincial capitals, including Kunduz": a list's members hang on it like its conjuncts
SAME_PHRASE = {
    "pobj:of", "compound", "conj", "appos", "nmod", "cc", "poss", "amod", "npadvmod", "pobj:including",
    "pobj:like", "pobj:among",
}  # fmt: skip
INSIDE = {"pobj:in", "pobj:at", "pobj:near"}


def object_not_place(c: Candidate) -> bool:
    """ "Marines seized weapons and explosives", "freed inmates from its prison": the cue's object is a
    thing or people, not the place, so the place is not what was taken."""
    if c.cue.role not in (GAIN, HOLD) or c.cue.noun:
        return False
    obj = next((ch for ch in c.cue.token.children if ch.dep_ in ("dobj", "obj")), None)
    if obj is None:
        return False
    if c.place.start >= obj.left_edge.idx and c.place.end <= obj.right_edge.idx + len(obj.right_edge):
        return False  # the place is inside the object ("the town of X", "X's airport")
    return obj.lemma_.lower() in OBJECT_WORDS or obj.lower_ in OBJECT_WORDS


STAYING = {"remain", "stay", "still", "continue", "keep"}


def standing(c: Candidate) -> bool:
    """ "its forces remained in control of the town", "the city stays in rebel hands": a holding that
    goes on, not a change of hands."""
    if c.cue.role != HOLD:
        return False
    tok = c.cue.token
    verbs = [tok, tok.head, tok.head.head]
    return any(v.lemma_.lower() in STAYING or any(ch.lower_ == "still" for ch in v.children) for v in verbs)


def attachment(c: Candidate) -> str | None:
    """ "direct" when the place is the cue's own argument, "inside" when it contains the cue's argument
    ("captured outposts in Paletwa"), None when the place only shares the sentence."""
    role, rel = c.cue.role, c.rel
    if role == LOSS and rel == "nsubj" and c.cue.lemma in ("surrender", "capitulate"):
        return "direct"  # "Jalalabad surrenders before dawn"
    if rel.startswith("^"):
        start = next((u for u in UP_PATHS.get(role, ()) if rel == u or rel.startswith(u)), None)
        if start is None:
            return None
        rest = rel[len(start) :].lstrip(">|").split(">") if len(rel) > len(start) else []
        return "direct" if all(r in SAME_PHRASE for r in rest if r) else None
    steps = rel.split(">")
    first = steps[0]
    small_clause = c.cue.token.tag_ == "VBN" and first == "nsubj"  # "declared the city liberated"
    if first not in FIRST_STEPS.get(role, set()) and not (role == GAIN and small_clause):
        return "direct" if first in INSIDE and not steps[1:] and c.site is not None else None
    rest = steps[1:]
    if "appos" in rest and c.place.qualifier in DIRECTION_WORDS and steps[-1] == "pobj:of":
        # "overran the Sheikh Suleiman base, an army installation west of the city": the city locates
        # what was taken; it was not taken itself ("localities north of Djibo" are coded at Djibo)
        return None
    if "poss" in rest:
        return "inside"  # "seized the town's checkpoints": a part of the place, not the place
    if any(a == "appos" and b.startswith("pobj:") for a, b in pairwise(steps)) and (
        c.place.feature in ("admin1", "admin2", "country") or _capital_of(c)
    ):
        # "Zaranj, capital of Nimroz, falls": the apposition describes the town taken by the province it
        # lies in, which did not fall with it ("Chinshwehaw, the town of Konkyan and ..." is a list)
        return "inside"
    if all(r in SAME_PHRASE for r in rest):
        return "direct"
    if all(r in SAME_PHRASE | INSIDE for r in rest) and sum(r in INSIDE for r in rest) == 1:
        return "direct" if c.site is not None else "inside"
    return None


# Sites a side takes and holds, which are where they stand: "the airport at Kavumu" is taken as "Kavumu
# airport" is. Only one site, named by a singular noun: "outposts in Paletwa" are positions near a town.
FACILITIES = {
    "airport", "airfield", "airbase", "base", "camp", "encampment", "garrison", "barracks", "headquarters",
    "post", "academy", "palace", "prison", "jail", "penitentiary", "station", "sub-station", "terminal",
    "port", "seaport", "harbour", "dam", "bridge", "crossing", "hospital", "university", "compound",
    "citadel", "fort", "fortress", "governorate", "courthouse",
}  # fmt: skip
SETTLED = ("city", "town", "village", "other")


def site_of(c: Candidate, places: list[PlaceMention]) -> Token | None:
    """The taken site the place is the town of ("captured the airport at Kavumu", "overran the army camp
    at Aguelhok"): the site's capture is told at the town, as "Kavumu airport" would be. Not a province
    ("the Maas base in northern Marib governorate" leaves the governorate), not "near", and not a site
    with a name of its own ("the Western Command headquarters at Ann" is a place, taken as itself)."""
    tok = c.place_token
    if tok is None or c.place.feature not in SETTLED or c.cue.role not in (GAIN, HOLD):
        return None
    prep = tok.head
    site = prep.head
    if prep.dep_ != "prep" or prep.lower_ not in ("at", "in"):
        return None
    if site.i == c.cue.token.i:
        # the parse hung "at Mansila" on the verb: "JNIM has overrun and taken the army post at Mansila"
        site = next((ch for ch in site.children if ch.dep_ in ("dobj", "nsubjpass")), site)
    if any(p.start <= site.idx < p.end and not p.anaphor for p in places):
        return None
    ok = (
        site.tag_ == "NN"
        and site.lemma_.lower() in FACILITIES
        and site.head.i == c.cue.token.i
        and site.dep_ in ("dobj", "nsubjpass")
    )
    return site if ok else None


CAPITAL_WORDS = {"capital", "seat", "centre", "center", "headquarters"}


def _capital_of(c: Candidate) -> bool:
    """The place is the "of" object of "capital", "seat" or "centre": the unit a named town is the
    capital of ("Pul-e Khumri, capital of Baghlan", where Baghlan is also a town's name)."""
    tok = c.place_token
    return tok is not None and tok.head.dep_ == "prep" and tok.head.head.lemma_.lower() in CAPITAL_WORDS


def _head_token(state: State, m: PlaceMention | ActorMention) -> Token | None:
    doc = state.doc
    assert doc is not None
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return span.root if span is not None else None


# Nouns that describe a place ("the academy", "the compound", "the town"), for a cue's argument that
# names no place of its own.
PLACE_HEADS = {
    "town", "city", "village", "hamlet", "settlement", "locality", "district", "neighbourhood",
    "neighborhood", "quarter", "suburb", "area", "areas", "region", "province", "governorate", "county",
    "capital", "island", "hill", "height", "heights", "ridge", "valley", "port", "harbour", "airport",
    "airfield", "airbase", "base", "garrison", "camp", "encampment", "compound", "complex", "citadel",
    "castle", "fort", "fortress", "palace", "mosque", "church", "hospital", "prison", "jail", "university",
    "campus", "academy", "college", "colleges", "school", "stadium", "bridge", "crossing", "checkpoint",
    "border", "refinery", "plant", "station", "terminal", "headquarters", "building", "ministry",
    "corridor", "road", "highway", "junction", "dam", "mine", "field", "oilfield", "post", "outpost",
    "positions", "ruins", "site", "strip", "zone", "enclave", "pocket",
}  # fmt: skip
# Descriptions any named town could take ("the city"): tied to the latest place, not to a nearby word.
GENERIC_HEADS = {
    "town", "city", "village", "hamlet", "settlement", "locality", "capital", "area", "areas", "district",
    "region", "province", "place",
}  # fmt: skip
CUE_ARGUMENTS = ("dobj", "nsubjpass", "pobj", "nsubj", "attr", "appos", "conj")


def described_places(state: State, ctx: TokenContext) -> list[PlaceMention]:
    """ "Troops had taken the hilltop citadel", "retook it", "stormed the compound": a cue's argument that is
    a description or a pronoun, tied to the place it describes. The antecedent is the latest place before
    it whose words mention the same noun ("the artillery academy in Ramouseh" for "the academy"), else, for
    a generic noun or "it", the latest town or district named in the last three sentences."""
    doc = state.doc
    assert doc is not None
    named = sorted(
        (p for p in state.places if not p.demonym and p.feature != "country" and not is_dateline(state, p)),
        key=lambda p: p.start,
    )
    out: list[PlaceMention] = []
    for s in state.sentences:
        for cue in find_cues(state, s.index):
            for arg in _arguments(cue.token):
                if arg.i in ctx.actor_at or any(t.i in ctx.place_at for t in arg.subtree):
                    continue
                unknown = ctx.unknown_place(arg)
                if unknown is not None and not any(o.start == unknown.start for o in out):
                    out.append(unknown)  # "seized Rubaya": a name the gazetteer lacks, kept as written
                    continue
                pronoun = arg.lower_ == "it" and arg.pos_ == "PRON"
                head = arg.lemma_.lower()
                if any(t.pos_ == "PROPN" for t in arg.subtree if t.i != arg.i):
                    continue  # "the army post at Mansila" names its own place
                definite = any(
                    (c.dep_ == "det" and c.lower_ in ("the", "this", "that")) or c.dep_ == "poss"
                    for c in arg.children
                )
                if not pronoun and (head not in PLACE_HEADS or not definite):
                    continue  # "a town", "a provincial capital": not one the report has named
                if not pronoun and (
                    (arg.tag_ in ("NNS", "NNPS") and head not in ("area", "areas"))
                    or any(c.dep_ == "poss" and c.lower_ == "whose" for c in arg.children)
                ):
                    continue  # "the towns", "provinces whose capitals have fallen": several, not one named
                before = [p for p in named if p.end <= arg.idx and p.sent >= s.index - 5]
                # the same sentence first ("entered Jalalabad ... handed the city over")
                before.sort(key=lambda p: (p.sent == s.index, p.start))
                ante = None
                if not pronoun and head not in GENERIC_HEADS:
                    ante = next(
                        (
                            p
                            for p in reversed(before)
                            if head in state.text[max(0, p.start - 40) : p.end + 40].lower()
                        ),
                        None,
                    )
                if ante is None:
                    near = [
                        p
                        for p in before
                        if p.sent >= s.index - 3 and p.feature in ("city", "admin2", "other")
                    ]
                    ante = near[-1] if near else None
                if ante is None:
                    continue
                lo = min((t.idx for t in arg.subtree), default=arg.idx) if not pronoun else arg.idx
                hi = arg.idx + len(arg)
                out.append(
                    PlaceMention(
                        start=lo,
                        end=hi,
                        text=state.text[lo:hi],
                        sent=s.index,
                        place=ante.place,
                        feature=ante.feature,
                        precision=ante.precision if head not in ("area", "areas") else 2,
                        anaphor=True,
                        confidence=0.5,
                        refers_to=ante.refers_to or (ante.text if ante.place is None else None),
                    )
                )
    return out


def _arguments(tok: Token) -> list[Token]:
    """The noun phrases a cue governs directly: its object, passive subject, "of"/"from"/"into" objects."""
    out = []
    for child in tok.children:
        if child.dep_ in ("dobj", "nsubjpass", "attr") or (
            child.dep_ == "nsubj" and tok.lemma_.lower() == "fall"
        ):
            out.append(child)
        elif child.dep_ == "prep" and child.lower_ in ("of", "from", "into", "over", "in"):
            out.extend(g for g in child.children if g.dep_ == "pobj")
    return out


def candidates(state: State, ctx: TokenContext) -> list[Candidate]:
    """Every (cue, place) pair of every sentence, with gainer, loser, date, modality and features."""
    out: list[Candidate] = []
    by_sent: dict[int, list[PlaceMention]] = {}
    for p in [*state.places, *described_places(state, ctx)]:
        if not p.demonym:
            by_sent.setdefault(p.sent, []).append(p)
    drafts_at: dict[int, EventDraft] = {d.token: d for d in state.events if d.token >= 0}
    headings = heading_dates(state)
    for s in state.sentences:
        places = by_sent.get(s.index, [])
        if not places:
            continue
        for cue in find_cues(state, s.index):
            for place in places:
                head = _head_token(state, place)
                if head is None or head.i == cue.token.i:
                    continue
                rel = relation(cue.token, head)
                if rel is None or is_dateline(state, place):
                    continue
                if _elided(rel, head):
                    rel = "ellipsis"
                c = Candidate(
                    place=place,
                    sent=s.index,
                    cue=cue,
                    rel=rel,
                    draft=drafts_at.get(cue.token.i),
                    place_token=head,
                )
                c.site = site_of(c, places)
                _actors(state, ctx, c)
                if any(m is not None and m.start <= place.start < m.end for m in (c.gainer, c.loser)):
                    continue  # "Ukraine has withdrawn its troops": the country is the side, not the place
                c.date, c.date_source = _date(state, c, headings)
                _modality(state, c)
                c.features = features(state, c)
                out.append(c)
    protagonist_fallback(state, out)
    return out


# --- who gains, who loses ----------------------------------------------------------------------------


_MONTHS = {m.lower() for m in (*calendar.month_name[1:], *calendar.month_abbr[1:])}


def _elided(rel: str, head: Token) -> bool:
    """ "took Zangilan on 20 October and Qubadli on 25 October", "fell on 23 August, Qubadli on 31
    August": the verb is left out of the second clause, and the parse hangs its place on the first one's
    date. The place is the cue's as much as the first one is."""
    if head.pos_ != "PROPN":
        return False
    if rel == "npadvmod":  # "..., Qubadli on 31 August": the name with a date of its own
        return any(c.dep_ == "prep" and any(g.ent_type_ == "DATE" for g in c.subtree) for c in head.children)
    if not rel.endswith("conj") or head.dep_ != "conj":
        return False
    h = head.head
    if h.ent_type_ in ("DATE", "TIME") or h.like_num or h.lower_ in _MONTHS:
        return True
    # "we liberated Hajin in December, and Susah and al-Shafa in January": the parse hangs the second
    # objects on the verb itself, which already has its first
    top = head
    while top.dep_ == "conj" and top.head.dep_ == "conj":
        top = top.head
    verb = top.head
    return (
        rel in ("conj", "conj>conj")
        and verb.pos_ == "VERB"
        and any(c.dep_ in ("dobj", "obj") and c.i != top.i for c in verb.children)
    )


def _actor_after(ctx: TokenContext, tok: Token, preps: tuple[str, ...]) -> ActorMention | None:
    for child in tok.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in preps:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    # "into the hands of HTS", "under the control of the army"
                    if pobj.lemma_.lower() in ("hand", "hands", "control"):
                        found = _actor_after(ctx, pobj, ("of",))
                        if found is not None:
                            return found
                        poss = next((c for c in pobj.children if c.dep_ == "poss"), None)
                        if poss is not None:
                            return ctx.actor_in(poss)
                        # "came under Russian control", "in rebel hands": the side is the modifier
                        for mod in pobj.children:
                            if mod.dep_ not in ("amod", "compound", "nmod"):
                                continue
                            place = ctx.place_at.get(mod.i)
                            found = (
                                _country_forces(ctx.state, ctx, place, mod)
                                if place is not None
                                else ctx.actor_in(mod)
                            )
                            if found is None and f"{mod.lemma_.lower()}s" in ARMED_HEADS:
                                found = _phrase_mention(ctx.state, mod, (), how="unresolved", confidence=0.4)
                            if found is not None:
                                return found
                    m = ctx.actor_in(pobj)
                    if m is not None:
                        return m
    return None


ARMED_HEADS = {
    "troops", "soldiers", "forces", "force", "units", "unit", "army", "militia", "militias", "fighters",
    "rebels", "insurgents", "militants", "gunmen", "attackers", "jihadists", "separatists", "paratroopers",
    "marines", "commandos", "police", "policemen", "brigade", "brigades", "battalion", "battalions",
    "division", "regiment", "service", "guard", "guards", "columns", "column", "tanks", "men", "group",
    "groups", "alliance", "coalition", "faction", "factions", "movement", "peshmerga", "volunteers",
    "gangs", "gang", "gangsters", "cartel", "cartels", "combatants", "defenders", "garrison",
    "warriors", "mujahideen", "mujahedeen", "partisans", "cadres", "guerrillas", "guerrilla", "jihadis",
}  # fmt: skip


def np_actor(state: State, ctx: TokenContext, tok: Token | None) -> ActorMention | None:
    """The actor a noun phrase names, or, when the catalogue does not know it, the phrase as written
    ("Special forces", "the Counter-Terrorism Service"): never pinned on someone else."""
    if tok is None:
        return None
    found = ctx.actor_in(tok)
    if found is not None:
        return found
    place = ctx.place_in(tok)
    if place is not None:
        return _country_forces(state, ctx, place, tok)
    if tok.pos_ not in ("NOUN", "PROPN") or tok.ent_type_ in ("PERSON", "DATE", "TIME", "CARDINAL"):
        return None
    named = tok.pos_ == "PROPN" and tok.text[:1].isupper()
    if tok.lower_ not in ARMED_HEADS and tok.lemma_.lower() not in ARMED_HEADS and not named:
        return None
    return _phrase_mention(state, tok, ("det", "punct", "predet"), how="unresolved", confidence=0.4)


def _phrase_mention(state: State, tok: Token, skip: tuple[str, ...], **fields: Any) -> ActorMention:
    """An actor mention spanning a noun phrase up to its head, without the words of ``skip``."""
    words = [t for t in tok.subtree if t.i <= tok.i and t.dep_ not in skip] or [tok]
    start, end = words[0].idx, tok.idx + len(tok)
    return ActorMention(
        start=start, end=end, text=state.text[start:end], sent=state.sentence_of(start), **fields
    )


def _country_forces(state: State, ctx: TokenContext, place: PlaceMention, tok: Token) -> ActorMention | None:
    """ "Russia captured ...", "Ukrainian forces": a country or its demonym as an actor is its forces."""
    p = place.place
    if (
        ctx.catalogue is None
        or p is None
        or not p.country_code
        or not (place.demonym or place.feature == "country")
    ):
        return None
    actor = ctx.catalogue.country_actor(p.country_code, "forces", state.article.published)
    if actor is None:
        return None
    return _phrase_mention(state, tok, ("det", "punct"), actor=actor, how="generic", confidence=0.6)


def _subject(state: State, ctx: TokenContext, verb: Token) -> ActorMention | None:
    found = ctx.subject_actor(verb)
    if found is not None:
        return found
    subj = next((ch for ch in verb.children if ch.dep_ in ("nsubj", "csubj")), None)
    if subj is None and verb.dep_ == "conj":
        subj = next((ch for ch in verb.head.children if ch.dep_ in ("nsubj", "csubj")), None)
    return np_actor(state, ctx, subj)


def _agent(state: State, ctx: TokenContext, verb: Token) -> ActorMention | None:
    """A passive's "by" phrase the catalogue does not know ("was captured by the Serbs"), as written."""
    agent = next((ch for ch in verb.children if ch.dep_ == "agent"), None)
    pobj = next((ch for ch in agent.children if ch.dep_ == "pobj"), None) if agent is not None else None
    return np_actor(state, ctx, pobj)


def _actors(state: State, ctx: TokenContext, c: Candidate) -> None:
    tok, role = c.cue.token, c.cue.role
    if c.cue.noun:
        poss = next((ch for ch in tok.children if ch.dep_ == "poss"), None)
        owner = ctx.actor_in(poss) if poss is not None and ctx.place_in(poss) is None else None
        by = _actor_after(ctx, tok, ("by",))
        of = _actor_after(ctx, tok, ("of",))
        if role in (GAIN, HOLD):
            c.gainer = by or owner or (of if role == HOLD else None)
        elif role == FALL:
            c.gainer = _actor_after(ctx, tok, ("to", "into"))
        elif role == LOSS:
            c.loser = owner or of
            c.gainer = _actor_after(ctx, tok, ("to",))
        if c.gainer is None and role in (GAIN, HOLD, FALL):
            c.gainer = _light_verb_subject(state, ctx, tok)
        m = HELD.match(tok.text)
        if m is not None:
            c.gainer = ctx.actor_at.get(tok.i)
    elif role in (GAIN, EXPEL, HOLD):
        passive = any(ch.dep_ in ("nsubjpass", "auxpass") for ch in tok.children)
        c.gainer = (
            (ctx.subject_actor(tok) or _agent(state, ctx, tok)) if passive else _subject(state, ctx, tok)
        )
        c.loser = _actor_after(ctx, tok, ("from", "out"))
        if role == GAIN and passive:
            c.loser = c.loser or _actor_after(ctx, tok, ("of",))  # "cleared of rebels"
        if role == EXPEL:
            obj = next((ch for ch in tok.children if ch.dep_ in ("dobj", "obj")), None)
            c.loser = (ctx.actor_in(obj) if obj is not None else None) or c.loser
    elif role == FALL:
        c.gainer = _actor_after(ctx, tok, ("to", "into", "under"))
        if c.gainer is None and tok.dep_ == "conj" and tok.head.lemma_ == tok.lemma_:
            # "Gao fell on 31 March to the MNLA, and Timbuktu fell the next day": to the same side
            c.gainer = _actor_after(ctx, tok.head, ("to", "into", "under"))
    elif role == LOSS:
        c.loser = _subject(state, ctx, tok)
        c.gainer = _actor_after(ctx, tok, ("to",))
    if c.draft is not None:
        c.gainer = c.gainer or (c.draft.actor1 if role in (GAIN, EXPEL, HOLD) else None)
    if (
        c.gainer is not None
        and c.loser is not None
        and c.gainer.actor is not None
        and c.loser.actor is not None
        and c.gainer.actor.id == c.loser.actor.id
    ):
        c.loser = None
    if role == LOSS and (c.loser is None or c.loser.actor is None):
        # "Ukraine's army chief said he had ordered troops to withdraw": the speaker's side left
        speaker = _speaker_of(ctx, tok)
        if speaker is not None and is_party(speaker):
            c.loser = speaker
    if c.gainer is None and role == LOSS and c.loser is not None:
        c.gainer = _other_side(state, c)
    if c.gainer is not None and _pronoun(c.gainer):
        c.gainer = _reporter(state, ctx, tok) or _antecedent(state, c) or c.gainer
    # "declares Arbin, Zamalka and Jobar cleared": a name the parse put where a side goes, which the
    # toponyms stage read as a place and the catalogue as no actor, is a place, not the side
    places = state.places_in(c.sent)
    if _a_place(state, c, c.gainer, places):
        c.gainer = None
    if _a_place(state, c, c.loser, places):
        c.loser = None


def _a_place(state: State, c: Candidate, m: ActorMention | None, places: Sequence[PlaceMention]) -> bool:
    """An actor mention the catalogue does not know that is a place named in the sentence, or a member of
    the same list as the candidate's place ("Kafr Batna, Saqba and Hamouriyah")."""
    if m is None or m.actor is not None:
        return False
    if any(p.start < m.end and m.start < p.end and not p.demonym and not p.anaphor for p in places):
        return True
    span = state.doc.char_span(m.start, m.end, alignment_mode="expand") if state.doc is not None else None
    if span is None or c.place_token is None:
        return False
    return _list_head(span.root) == _list_head(c.place_token)


def _list_head(tok: Token) -> Token:
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok


PRONOUNS = {"it", "they", "them", "we", "us", "our", "its", "their", "he", "she"}


def _pronoun(m: ActorMention) -> bool:
    words = m.text.lower().split()
    return bool(words) and (
        words[0] in PRONOUNS or (m.how == "unresolved" and words[0] in ("the", "its", "their", "our"))
    )


def _passive(tok: Token) -> bool:
    return any(ch.dep_ in ("nsubjpass", "auxpass") for ch in tok.children) or (
        tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod")
    )


def _reporter(state: State, ctx: TokenContext, tok: Token) -> ActorMention | None:
    """ "The Taliban said they had taken Panjshir": a pronoun subject under a verb of saying is the speaker,
    named in the catalogue or not."""
    verb = tok if tok.pos_ != "NOUN" else tok.head
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.lower_ not in PRONOUNS:
        return None
    cur = verb
    for _ in range(3):
        if cur.dep_ not in ("ccomp", "conj", "xcomp") or cur.head.i == cur.i:
            return None
        cur = cur.head
        if cur.lemma_.lower() in SAYING | {"announce", "claim"}:
            speaker = next((c for c in cur.children if c.dep_ == "nsubj"), None)
            if speaker is None or speaker.lower_ in PRONOUNS:
                return None
            return np_actor(state, ctx, speaker)
    return None


def _antecedent(state: State, c: Candidate) -> ActorMention | None:
    """ "it has taken ...", "they seized ...", "our warriors", "its fighters": the armed side the sentences
    before made their subject (in a statement, first person is the side that issues it)."""
    first = c.gainer is not None and c.gainer.text.lower().split()[0] in FIRST_PERSON
    if first:
        return _speaker_actor(state, c)
    doc = state.doc
    assert doc is not None
    best: ActorMention | None = None
    for m in state.actors:
        if m.actor is None or not is_armed_group(m) or m.sent < c.sent - 3 or m.start >= c.cue.token.idx:
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None and span.root.dep_ in ("nsubj", "nsubjpass", "poss", "appos", "compound"):
            best = m
    return best


def protagonist_fallback(state: State, cands: list[Candidate]) -> None:
    """ "8 August – Kunduz, Sar-e Pul and Taloqan are captured", "Zaranj falls": no gainer in the clause,
    so the side the report shows taking places, the gainer the other candidates name most (never the side
    that lost the place)."""
    counts: dict[Any, list[ActorMention]] = {}
    for c in cands:
        if c.gainer is not None and c.cue.role in (GAIN, EXPEL, FALL) and not c.cue.weak:
            counts.setdefault(_key_of(c.gainer), []).append(c.gainer)
    ranked = sorted(counts.items(), key=lambda kv: -len(kv[1]))
    for c in cands:
        tok = c.cue.token
        subjectless = not any(ch.dep_ in ("nsubj", "nsubjpass", "csubj") for ch in tok.children)
        if c.gainer is not None or not (c.cue.role == FALL or c.cue.noun or _passive(tok) or subjectless):
            continue
        holder = _holder_since(state, c, cands)
        if holder is not None:
            c.gainer = holder
            c.features = features(state, c)
            continue
        if not ranked:
            continue
        lost = _key_of(c.loser) if c.loser is not None else None
        for key, mentions in ranked:
            if key != lost:
                c.gainer, c.gainer_fallback = mentions[0], True
                c.features = features(state, c)
                break


def _holder_since(state: State, c: Candidate, cands: list[Candidate]) -> ActorMention | None:
    """ "Districts which Armenian forces had held since 1993 ... Fuzuli fell on 23 August 1993": a fall
    nobody is said to have taken went to the side the report says has held the place since then."""
    if c.date is None or c.date.date is None:
        return None
    for h in cands:
        if (
            h.cue.role == HOLD
            and h.gainer is not None
            and h.gainer.actor is not None
            and h.place.key() == c.place.key()
            and h.date is not None
            and h.date.date is not None
            and h.date.date.year == c.date.date.year
            and "since" in state.text[max(0, h.date.start - 8) : h.date.end].lower()
        ):
            return h.gainer
    return None


def _key_of(m: ActorMention) -> Any:
    return m.actor.id if m.actor is not None else m.text.lower().removeprefix("the ")


def is_party(m: ActorMention) -> bool:
    """An armed side or a government (or a person speaking for one): whose word is a side's claim."""
    a = m.actor
    return a is not None and (is_armed_group(m) or a.kind in ("government", "police", "state_forces"))


def _light_verb_subject(state: State, ctx: TokenContext, tok: Token) -> ActorMention | None:
    """ "completed the capture of Mogok", "claimed control of the town": the verb's subject did it."""
    head = tok.head
    if tok.dep_ in ("dobj", "pobj", "attr", "nsubjpass") and head.pos_ in ("VERB", "AUX"):
        return _subject(state, ctx, head)
    if tok.dep_ == "pobj" and head.head.pos_ in ("VERB", "AUX"):
        return _subject(state, ctx, head.head)
    return None


def same_side(a: ActorMention | None, b: ActorMention | None) -> bool:
    """One actor, or two of one side in one country: a side label is per country ("government" is Russia's
    army in one sentence and Ukraine's in the next)."""
    if a is None or b is None or a.actor is None or b.actor is None:
        return False
    x, y = a.actor, b.actor
    if x.id == y.id:
        return True
    return (
        bool(x.side)
        and x.side == y.side
        and (x.country_code == y.country_code or None in (x.country_code, y.country_code))
    )


def _other_side(state: State, c: Candidate) -> ActorMention | None:
    """Who gains a place another side left: an armed side named in the same sentence ("Peshmerga units had
    left the city and government troops were manning checkpoints"), else the one named nearest before
    ("Russian forces had been trying to take the town ... Ukraine withdrew"), never the side that left."""
    loser = c.loser
    ltext = loser.text.lower() if loser is not None else None

    def other(m: ActorMention) -> bool:
        if m.actor is None or not is_armed_group(m) or same_side(m, loser):
            return False
        return m.text.lower() != ltext and (loser is None or not (loser.start <= m.start < loser.end))

    here = [m for m in state.actors if m.sent == c.sent and other(m)]
    if here:
        return min(here, key=lambda m: abs(m.start - c.cue.token.idx))
    # "... withdrawn from Vuhledar. Russian forces had been trying to take the town": just after, or before
    after = [m for m in state.actors if c.sent < m.sent <= c.sent + 1 and other(m)]
    if after:
        return after[0]
    before = [m for m in state.actors if c.sent - 3 <= m.sent < c.sent and other(m)]
    return before[-1] if before else None


SAYING = {"say", "report", "announce", "claim", "declare", "confirm", "tell", "state", "add", "insist"}


def _speaker_of(ctx: TokenContext, tok: Token) -> ActorMention | None:
    """Who says so: the subject of the verb of saying the cue's clause hangs on."""
    cur = tok
    for _ in range(5):
        if cur.head.i == cur.i:
            return None
        cur = cur.head
        if cur.lemma_.lower() in SAYING:
            return ctx.subject_actor(cur)
    return None


def _speaker_actor(state: State, c: Candidate) -> ActorMention | None:
    """ "our warriors seized ...": the group whose statement this is, the armed actor the article names
    most."""
    key = (id(state.actors), len(state.actors))
    memo = state.memo.get("most_named_armed")
    if memo is None or memo[0] != key:
        memo = state.memo["most_named_armed"] = (key, _most_named_armed(state.actors))
    return memo[1]


def _most_named_armed(actors: list[ActorMention]) -> ActorMention | None:
    counts: dict[str, tuple[int, ActorMention]] = {}
    for m in actors:
        if m.actor is not None and is_armed_group(m) and m.how == "named":
            n, first = counts.get(m.actor.id, (0, m))
            counts[m.actor.id] = (n + 1, first)
    if not counts:
        return None
    return max(counts.values(), key=lambda x: x[0])[1]


# --- when ---------------------------------------------------------------------------------------------


def _date(state: State, c: Candidate, headings: dict[int, DateMention]) -> tuple[DateMention | None, str]:
    """The change's own date and where it came from: a date in the cue's clause, else the sentence's
    nearest, else the heading it sits under, else the date its event inherited."""
    tok = c.cue.token
    d = c.draft
    if (
        d is not None
        and d.date is not None
        and d.date.derived == "offset"
        and d.date.sent == c.sent
        and d.date.date
    ):
        return d.date, "clause"  # "a day after it seized Mosul": the events stage counted the offset
    lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)
    same = [
        dm
        for dm in state.dates
        if dm.sent == c.sent and dm.date is not None and not in_other_clause(state, dm, tok)
    ]
    inside = [dm for dm in same if lo <= dm.start < hi]
    if inside:
        # "took A (January), B on 18 May and C in July": each place's own date is the one after it and
        # before the next place of the list, else the one nearest it
        if len(inside) > 1:
            # ... except the first place, when a date stands before the verb ("On 26 November troops
            # captured A, and by 28 November B and C"): the verb's date is the first place's
            pre = [dm for dm in inside if dm.start < tok.idx]
            first = not any(tok.idx < dm.start < c.place.start for dm in inside)
            if pre and first:
                return pre[-1], "clause"
            # the places coordinated with this one ("Susah and al-Shafa in January") share its date
            own_end = c.place.end
            if c.place_token is not None:
                right = c.place_token.right_edge
                own_end = max(own_end, right.idx + len(right))
            nxt = min(
                (p.start for p in state.places if p.sent == c.sent and p.start > own_end),
                default=hi,
            )
            own = [dm for dm in inside if c.place.end <= dm.start < nxt]
            if own:
                return own[0], "clause"
        anchor = c.place.start if len(inside) > 1 else tok.idx
        return min(inside, key=lambda dm: (abs(dm.start - anchor), dm.start < anchor)), "clause"
    if same:
        nearest = min(same, key=lambda dm: abs(dm.start - tok.idx))
        return shifted_date(tok, c.sent, nearest), "sentence"
    if c.sent in headings:
        return headings[c.sent], "heading"
    story = _story_date(state, c.sent)
    if story is not None:
        return story, "story"
    if c.draft is not None and c.draft.date is not None and c.draft.date.date is not None:
        return c.draft.date, "inherited"
    return None, "none"


def _story_date(state: State, sent: int) -> DateMention | None:
    """A sentence that gives no date of its own, in a paragraph that is telling a story ("On 1 November
    1998 ... By that afternoon they had taken the police station"): the date of the sentence before, in the
    same paragraph, when it names a day."""
    if sent == 0:
        return None
    here, before = state.sentences[sent], state.sentences[sent - 1]
    if "\n" in state.text[before.end : here.start]:
        return None  # a new paragraph starts its own time
    dated = [dm for dm in state.dates if dm.sent == sent - 1 and dm.date is not None and dm.precision == 1]
    return dated[-1] if dated else None


# --- did it happen ------------------------------------------------------------------------------------


def _modality(state: State, c: Candidate) -> None:
    from .modality import classify

    if c.draft is not None:
        c.modality = _clause_modality(state, c) or c.draft.modality
        return
    probe = EventDraft(
        sent=c.sent,
        trigger_start=c.cue.token.idx,
        trigger_end=c.cue.token.idx + len(c.cue.token),
        trigger=c.cue.token.text,
        plover="COERCE",
        actor1=c.gainer,
        place=c.place,
        date=c.date,
        token=c.cue.token.i,
        noun=c.cue.noun,
    )
    modality, speaker = classify(state, probe)
    c.modality, c.speaker = modality, speaker
    c.modality = _clause_modality(state, c) or c.modality


MODAL_AUX = {"will": "threatened", "'ll": "threatened", "shall": "threatened", "would": "hypothetical",
             "could": "hypothetical", "might": "hypothetical", "may": "hypothetical", "can": "hypothetical",
             "should": "hypothetical", "must": "hypothetical"}  # fmt: skip
NEGATORS = {"no", "none", "neither", "nobody", "never"}
CORRECTION = re.compile(
    r"\b(?:correction|corrected|retract(?:ed|s)?|was (?:wrong|incorrect|mistaken))\b", re.I
)


def _clause_modality(state: State, c: Candidate) -> str | None:
    """What the cue's own clause says about it, over a claim read from the sentence around it: "We will
    take back Loikaw" is a threat even in a party's quote, "No group has taken a town" a negation, and a
    live blog's correction of an earlier entry takes that entry back."""
    tok = c.cue.token
    verb = tok if not c.cue.noun else tok.head
    # the cue's own clause, and the verbs it shares a subject with or hangs on ("No group has taken or
    # lost a town"; "No military pressure will make us abandon the Catatumbo")
    chain = [verb]
    cur = verb
    for _ in range(2):
        if (
            cur.dep_ in ("conj", "xcomp", "ccomp")
            and cur.head.i != cur.i
            and cur.head.pos_ in ("VERB", "AUX")
        ):
            cur = cur.head
            chain.append(cur)
    for v in chain:
        for child in v.children:
            if child.dep_ == "aux" and child.lower_ in MODAL_AUX:
                return MODAL_AUX[child.lower_]
            if child.dep_ == "neg":
                return "negated"
            if child.dep_ in ("nsubj", "nsubjpass") and any(
                t.lower_ in NEGATORS for t in child.subtree if t.dep_ in ("det", "nsubj", "nsubjpass")
            ):
                return "negated"
    if CORRECTION.search(state.sentences[c.sent].text):
        return "negated"
    return _reported_as(verb)


CLAIM_NOUNS = {"claim", "report", "rumour", "rumor", "allegation", "assertion"}
DENIAL_VERBS = {"deny", "dismiss", "reject", "refute", "disprove", "debunk", "rebut"}
FALSE_WORDS = {"false", "untrue", "unfounded", "baseless", "fake", "propaganda"}


def _reported_as(verb: Token) -> str | None:
    """ "claims that Djibo had fallen", "the claim that Djibo was in jihadist hands": a change told inside
    a claim is claimed, and denied when the claim is ("dismissed as propaganda claims that ...")."""
    cur = verb
    for _ in range(4):
        if cur.head.i == cur.i:
            return None
        if cur.dep_ in ("acl", "ccomp", "relcl", "appos") and cur.head.lemma_.lower() in CLAIM_NOUNS:
            noun = cur.head
            gov = noun.head
            words = {t.lemma_.lower() for t in noun.children} | {t.lemma_.lower() for t in gov.children}
            if (gov.lemma_.lower() in DENIAL_VERBS and noun.dep_ in ("dobj", "nsubjpass", "pobj")) or (
                words & FALSE_WORDS
            ):
                return "denied"
            return "claimed"
        cur = cur.head
    return None


# --- what an analyst weighs --------------------------------------------------------------------------


def _bucket(n: int) -> str:
    return "0" if n <= 0 else "1" if n == 1 else "2-3" if n <= 3 else "4-7" if n <= 7 else "8+"


def features(state: State, c: Candidate) -> dict[str, float]:
    tok = c.cue.token
    cues = load_cues()
    f: dict[str, float] = {"bias": 1.0}

    def add(name: str, value: float = 1.0) -> None:
        f[name] = f.get(name, 0.0) + value

    role = c.cue.role
    add(f"cue={c.cue.lemma}")
    add(f"role={role}")
    add(f"role={role}|noun={c.cue.noun}")
    if c.cue.weak:
        add("weak")
    rel = c.rel if c.rel.count(">") < 3 else c.rel.split(">")[0] + ">…"
    add(f"rel={rel}")
    how = attachment(c)
    add(f"attached={how}")
    add(f"role={role}|attached={how}")
    if object_not_place(c):
        add("object_not_place")
    add(f"role={role}|rel={rel}")
    add(f"cue={c.cue.lemma}|rel={rel}")
    add(f"tag={tok.tag_}")
    add(f"dep={tok.dep_}")
    add(f"modality={c.modality}")
    add(f"role={role}|modality={c.modality}")
    add(f"feature={c.place.feature}")
    if c.place.place is None:
        add("place_unresolved")
    if c.place.anaphor:
        add("place_anaphor")
    if c.place.precision > 1:
        add("place_near")
    add("gainer" if c.gainer is not None else "no_gainer")
    if c.gainer_fallback:
        add("gainer_fallback")
    if c.gainer is not None:
        add(f"gainer_how={c.gainer.how}")
        if c.gainer.actor is not None:
            add(f"gainer_kind={c.gainer.actor.kind}")
            add(f"gainer_side={c.gainer.actor.side}")
        if c.loser is not None and c.loser.actor is not None and c.gainer.actor is not None:
            add("sides_differ" if c.loser.actor.side != c.gainer.actor.side else "sides_same")
    if c.loser is not None:
        add("loser")
    if c.draft is not None:
        add("draft")
        add(f"draft_plover={c.draft.plover}")
        if c.draft.territorial:
            add("draft_territorial")
    # the clause's words: aux, negation, modal, and the frames around the cue
    for child in tok.children:
        if child.dep_ in ("aux", "auxpass", "neg", "mark", "advmod", "prt"):
            add(f"child:{child.dep_}={child.lower_}")
    head = tok.head
    if head.i != tok.i:
        add(f"head={head.lemma_.lower()}")
        add(f"head_dep={tok.dep_}|{head.lemma_.lower()}")
        if head.head.i != head.i:
            add(f"head2={head.head.lemma_.lower()}")
    words = {t.lower_ for t in tok.sent} | {t.lemma_.lower() for t in tok.sent}
    near = {t.lower_ for t in tok.sent if abs(t.i - tok.i) <= 6} | {
        t.lemma_.lower() for t in tok.sent if abs(t.i - tok.i) <= 6
    }
    for frame, vocab in cues.frames.items():
        hit = words & vocab
        if hit:
            add(f"frame:{frame}")
            for w in sorted(hit)[:4]:
                add(f"frame:{frame}={w}")
        if near & vocab:
            add(f"near:{frame}")
    if "-held" in tok.sent.text or "-controlled" in tok.sent.text:
        add("held_adjective")
    s = state.sentences[c.sent]
    if s.heading:
        add("heading")
    if c.sent == 0:
        add("first_sentence")
    if s.text.lstrip().startswith(("“", '"')):
        add("in_quote")
    # dates: own, historical, inherited
    published = state.article.published
    add(f"date_source={c.date_source}")
    if c.date is not None and c.date.date is not None:
        add(f"date_precision={c.date.precision}")
        if published is not None:
            days = (published - c.date.date).days
            add(
                "date_future"
                if days < 0
                else "date_recent"
                if days <= 31
                else "date_months"
                if days <= 365
                else "date_years"
            )
    # other places in the same clause: a list ("seized A, B and C") or a route ("from A towards B")
    n_places = sum(1 for p in state.places_in(c.sent) if not p.demonym)
    add(f"places={_bucket(n_places)}")
    if c.place.text[:1].islower():
        add("place_lowercase")
    return f


# Clauses joined to the cue's that tell something else: "retook Ataq last week, and a spokesman said their
# next aim is Abyan", "overran Konna and appeared poised to advance on Mopti"
OTHER_CLAUSES = {"conj", "parataxis", "relcl"}


def clause_tokens(tok: Token) -> list[Token]:
    """The words that frame the cue: its own phrase (without the clauses joined to it), and the verbs it
    hangs on with their auxiliaries, negations and markers ("said they had", "failed to", "if ... took")."""
    skip: set[int] = set()
    for ch in tok.children:
        if ch.dep_ in OTHER_CLAUSES and (ch.dep_ != "conj" or ch.pos_ in ("VERB", "AUX")):
            skip.update(t.i for t in ch.subtree)
        elif ch.dep_ == "cc":
            skip.add(ch.i)
    out = [t for t in tok.subtree if t.i not in skip]
    cur = tok
    while cur.head.i != cur.i and cur.dep_ not in ("conj", "parataxis", "relcl"):
        cur = cur.head
        out.append(cur)
        out.extend(ch for ch in cur.children if ch.dep_ in ("aux", "auxpass", "neg", "mark", "advmod", "prt"))
    return out


def eve(date: DateMention | None) -> dt.date | None:
    """The day before a happening: who its sides were when it began. The Taliban who entered Kabul on
    15 August 2021 were the insurgents, though from that day on the name also means the new government."""
    return date.date - dt.timedelta(days=1) if date is not None and date.date is not None else None


def days_before(published: dt.date | None, date: dt.date | None) -> int | None:
    if published is None or date is None:
        return None
    return (published - date).days
