"""Stage ``events``: who did what to whom, where and when, typed in PLOVER and ACLED.

Triggers come from a lexicon (``data/triggers.yaml``: verbs, verb phrases and event nouns). For each
trigger the dependency parse gives the arguments: the subject (or a passive's "by" agent, or a noun's
possessor) is ``actor1``; the object or an "against"/"on" complement is ``actor2``; the place is read from
the trigger's own complements first (the object of "seized", the "of" of "capture", the "from" of
"withdrew") and from the geoparser's event-location choice second; the date is the sentence's date
expression nearest the trigger, else one inherited from a related event (see ``event_dates.fill_dates``).

Modality is the next stage's job; this one records what it needs (the trigger token).
"""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from ..schema import TERRITORIAL_SUB_EVENTS
from .base import ActorMention, EventDraft, PlaceMention, State
from .dates import CARDINALS
from .event_dates import fill_dates
from .toponyms import is_dateline

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from ..actors.base import Catalogue, CatalogueActor
    from ..gazetteer.base import Gazetteer

LEXICON_FILE = Path(__file__).with_name("data") / "triggers.yaml"

# Light verbs whose object noun is the event ("launched an offensive", "carried out strikes").
LIGHT_VERBS = {
    "launch",
    "carry",
    "conduct",
    "stage",
    "mount",
    "unleash",
    "wage",
    "begin",
    "start",
    "continue",
    "intensify",
    "escalate",
    "resume",
    "step",
    "hold",
    "make",
    "commit",
    "perpetrate",
    "claim",
    "face",
    "suffer",
    "undergo",
    "come",
    "report",
    "see",
    "witness",
    "repel",
    "repulse",
    "complete",
    "undertake",
    "renew",
    "engage",
    "lodge",
    "issue",
    "announce",
    "order",
    "take",
    "give",
}
# Nouns that name an armed group when the catalogue does not know which one ("ethnic armed groups").
GROUP_NOUNS = {
    "group",
    "groups",
    "rebel",
    "rebels",
    "fighter",
    "fighters",
    "militia",
    "militias",
    "insurgent",
    "insurgents",
    "militant",
    "militants",
    "force",
    "forces",
    "alliance",
    "coalition",
    "army",
    "troops",
    "gunmen",
    "jihadists",
    "separatists",
    "faction",
    "factions",
    "movement",
}
MONTHS_AND_DAYS = {m.lower() for m in (*calendar.month_name[1:], *calendar.day_name)}
SETTLEMENT_NOUNS = {
    "town",
    "city",
    "village",
    "district",
    "neighbourhood",
    "neighborhood",
    "province",
    "region",
    "state",
    "county",
    "township",
    "camp",
    "settlement",
    "hamlet",
    "locality",
    "area",
    "base",
    "airport",
    "port",
    "municipality",
    "commune",
}
# Sites a name can be given to ("the Namada camp", "the Mansila post"), beside the settlements.
SITE_NOUNS = {
    "post", "outpost", "garrison", "headquarters", "airbase", "airfield", "crossing", "checkpoint", "bridge",
    "hill", "height", "heights", "mine", "dam", "fort", "fortress", "barracks", "compound", "stronghold",
}  # fmt: skip
# The actor catalogue's kinds (actors/catalogue.py KINDS) that bear arms, and those that do not.
ARMED_KINDS = frozenset(
    {
        "state_forces",
        "police",
        "rebel_group",
        "jihadist_group",
        "separatist_group",
        "political_militia",
        "identity_militia",
        "paramilitary",
        "external_force",
        "gang",
    }
)
UNARMED_KINDS = frozenset({"civilians", "protesters", "organisation", "international", "government", "media"})
IRREGULAR = {
    "retook": "retake",
    "retaken": "retake",
    "overran": "overrun",
    "took": "take",
    "taken": "take",
    "struck": "strike",
    "fought": "fight",
    "shot": "shoot",
    "shelled": "shell",
    "raped": "rape",
    "fled": "flee",
    "seized": "seize",
    "stormed": "storm",
    "bombed": "bomb",
    "swore": "swear",
    "sworn": "swear",
    "withdrew": "withdraw",
    "withdrawn": "withdraw",
    "blew": "blow",
    "threw": "throw",
    "set": "set",
    "lynched": "lynch",
    "beheaded": "behead",
    "torched": "torch",
    "looted": "loot",
}
# Verbs of saying: never events themselves unless the lexicon types them (accuse, deny, urge ...).
SPEECH_VERBS = {
    "say",
    "tell",
    "state",
    "announce",
    "declare",
    "report",
    "add",
    "explain",
    "note",
    "claim",
    "confirm",
    "insist",
    "write",
    "post",
    "acknowledge",
    "admit",
    "assert",
    "argue",
    "believe",
    "think",
    "reveal",
    "tweet",
    "exclaim",
    "caution",
    "suggest",
    "estimate",
    "indicate",
}
# Prepositions that introduce an event's location.
PLACE_PREPS = {
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "around",
    "into",
    "on",
    "onto",
    "toward",
    "towards",
    "across",
    "within",
    "throughout",
    "over",
    "along",
    "of",
    "from",
    "to",
    "through",
    "upon",
}
AGENT_PREPS = {"by"}
TARGET_PREPS = {"against", "on", "at", "upon"}
# ACLED's vague-number rules: "several"/"many" are coded 10, "dozens" 12, "hundreds" 100 ...
VAGUE_NUMBERS = {
    "several": 10,
    "many": 10,
    "scores": 20,
    "dozens": 12,
    "dozen": 12,
    "hundreds": 100,
    "tens of thousands": 10000,
    "thousands": 1000,
    "a dozen": 12,
    "a handful": 3,
    "a few": 3,
}
NUMBER_WORDS = {**CARDINALS, "a hundred": 100, "one hundred": 100}
_NUM = (
    r"(?P<num>\d[\d,]*|"
    + "|".join(sorted(list(NUMBER_WORDS) + list(VAGUE_NUMBERS), key=len, reverse=True))
    + r")"
)
_QUAL = (
    r"(?:(?:at\s+least|more\s+than|over|some|about|around|nearly|almost|up\s+to|as\s+many\s+as|an\s+"
    r"estimated|roughly|approximately)\s+)?"
)
_VICTIMS = (
    r"(?:\s+(?:of\s+)?(?:\w+\s+){0,2}?(?:people|persons|civilians|soldiers|troops|fighters|"
    r"militants|rebels|police(?:men|\s+officers)?|officers|members|men|women|children|residents|"
    r"villagers|protesters|demonstrators|others|combatants|insurgents|gunmen|workers|"
    r"passengers|students|worshippers|refugees|personnel|servicemen))?"
)
FATALITY_PATTERNS = [
    re.compile(
        rf"\b(?:killing|killed|kills|left|leaving|massacred|slaughtered|executed)\s+{_QUAL}{_NUM}"
        rf"{_VICTIMS}(?!\s+(?:wounded|injured|hurt))",
        re.I,
    ),
    re.compile(
        rf"\b{_QUAL}{_NUM}{_VICTIMS}\s+(?:\w+\s+){{0,3}}?(?:were|was|have\s+been|had\s+been|"
        r"are|being)?\s*(?:reportedly\s+)?(?:killed|dead|died|slain|massacred|executed|"
        r"lost\s+their\s+lives)\b",
        re.I,
    ),
    re.compile(
        rf"\bdeath\s+toll\s+(?:\w+\s+){{0,4}}?(?:to|of|at|reached|stood\s+at|rose\s+to)\s+{_QUAL}{_NUM}", re.I
    ),
]


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, dict]
    phrases: dict[str, dict]
    nouns: dict[str, dict]
    weapons: frozenset[str]
    civilian_targets: frozenset[str]
    object_lists: dict[str, frozenset[str]]
    version: int


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    # libyaml's loader when present: the pure-Python one is a noticeable share of a worker's start-up
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    return Lexicon(
        verbs=data.get("verbs", {}),
        phrases=data.get("phrases", {}),
        nouns=data.get("nouns", {}),
        weapons=frozenset(data.get("weapons", [])),
        civilian_targets=frozenset(data.get("civilian_targets", [])),
        object_lists={k: frozenset(v) for k, v in data.get("object_lists", {}).items()},
        version=int(data["version"]),
    )


@dataclass
class Trigger:
    token: Token
    key: str
    entry: dict
    noun: bool
    start: int  # char span of the trigger words
    end: int


def parse_fatalities(text: str) -> int | None:
    """The lowest death figure a sentence reports (ACLED's rule), or None."""
    found: list[int] = []
    for pattern in FATALITY_PATTERNS:
        for m in pattern.finditer(text):
            raw = m.group("num").lower()
            if raw[0].isdigit():
                value = int(raw.replace(",", ""))
            else:
                value = NUMBER_WORDS.get(raw) or VAGUE_NUMBERS.get(raw, 0)
            if 0 < value < 10_000_000:
                found.append(value)
    return min(found) if found else None


class EventStage:
    name = "events"
    requires: tuple[str, ...] = ("doc", "sentences", "actors", "places", "dates")
    sets: tuple[str, ...] = ("events",)

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        lexicon: Lexicon | None = None,
        catalogue: Catalogue | None = None,
    ) -> None:
        self.gazetteer = gazetteer
        self.lexicon = lexicon or load_lexicon()
        self.catalogue = catalogue

    # --- the stage -------------------------------------------------------------------------------------

    def __call__(self, state: State) -> None:
        doc = state.doc
        assert doc is not None
        ctx = TokenContext(state)
        drafts: list[EventDraft] = []
        for sent in state.sentences:
            if sent.heading:
                continue
            span = doc.char_span(sent.start, sent.end, alignment_mode="expand")
            if span is None:
                continue
            here = [
                d
                for d in (self._build(state, ctx, sent.index, span, trig) for trig in self._triggers(span))
                if d is not None
            ]
            _sentence_context(here, span, nonviolent(state, sent.index))
            drafts.extend(here)
        drafts = dedupe_sentence(drafts)
        fill_dates(state, drafts)
        for d in drafts:
            d.id = _event_id(state.article.id, d)
        state.events = drafts

    # --- triggers ---------------------------------------------------------------------------------------

    def _triggers(self, span: Span) -> list[Trigger]:
        out: list[Trigger] = []
        taken: set[int] = set()
        for tok in span:
            if tok.i in taken:
                continue
            lemma = tok.lemma_.lower()
            nominal = tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos", "attr", "compound")
            if tok.pos_ in ("VERB", "AUX") or (tok.tag_.startswith("VB") and tok.pos_ != "NOUN"):
                trig = self._verb_trigger(tok, lemma)
                if trig is not None:
                    out.append(trig)
                    taken.add(tok.i)
                    continue
                if not nominal:
                    continue
                # the tagger read a noun as a verb ("airstrikes killed"): its role in the parse says noun
                lemma = tok.text.lower().rstrip("s") if tok.text.lower().endswith("s") else lemma
            if tok.pos_ in ("NOUN", "PROPN") or tok.tag_.startswith("NN") or nominal:
                trig = self._noun_trigger(tok, lemma)
                if trig is not None:
                    out.append(trig)
                    taken.update(range(trig.token.i, trig.token.i + 1))
        return out

    def _verb_trigger(self, tok: Token, lemma: str) -> Trigger | None:
        lex = self.lexicon
        if lemma not in lex.verbs:
            # the small model's lemmatiser misses some forms ("raped" -> "rap", "retook" -> "retook")
            lemma = IRREGULAR.get(tok.lower_, lemma)
            if lemma not in lex.verbs and tok.lower_.endswith("ed"):
                for stem in (tok.lower_[:-1], tok.lower_[:-2], tok.lower_[:-3]):
                    if stem in lex.verbs:
                        lemma = stem
                        break
        # verb + particle/preposition ("pull out", "call for") or + object noun ("take control")
        for child in tok.children:
            if child.dep_ in ("prt", "prep", "dobj", "compound:prt"):
                key = f"{lemma} {child.lemma_.lower()}"
                if key in lex.phrases:
                    entry = self._refine(tok, lex.phrases[key])
                    if entry is None:
                        return None
                    return Trigger(
                        tok, key, entry, False, tok.idx, max(child.idx + len(child), tok.idx + len(tok))
                    )
        if lemma == "set":  # "set its sights on Homs"
            for child in tok.children:
                if child.dep_ == "dobj" and child.lemma_.lower() in ("sight", "sights"):
                    entry = lex.phrases.get("set sight")
                    if entry:
                        return Trigger(tok, "set sight", entry, False, tok.idx, child.idx + len(child))
        entry = lex.verbs.get(lemma)
        if (
            entry is None
            and tok.dep_ == "ccomp"
            and tok.head.lemma_.lower() in SPEECH_VERBS | {"conclude", "reiterate", "issue", "remind"}
            and any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in tok.children)
        ):
            # "Russia said Sudan must return the helicopter": a demand, whatever the verb
            return Trigger(
                tok,
                lemma,
                {"plover": "REQUEST", "acled": "none", "weight": 0.55},
                False,
                tok.idx,
                tok.idx + len(tok),
            )
        if entry is None or entry.get("event") is False:
            return None
        if lemma in LIGHT_VERBS and entry.get("light"):
            return None
        entry = self._refine(tok, entry)
        if entry is None:
            return None
        return Trigger(tok, lemma, entry, False, tok.idx, tok.idx + len(tok))

    def _refine(self, tok: Token, entry: dict) -> dict | None:
        """The entry as this occurrence reads: object-dependent variants, and the checks it needs."""
        lex = self.lexicon
        for variant in entry.get("variants", ()):
            # the object decides the reading: "handed over medicine" is aid, "welcomed the decision" support
            if _has_object_in(tok, lex.object_lists.get(variant["objects"], frozenset())):
                entry = {**entry, **{k: v for k, v in variant.items() if k != "objects"}}
                entry.pop("variants", None)
                entry.pop("needs_object", None)
                break
        else:
            if entry.get("speech_variant") and any(c.dep_ == "ccomp" for c in tok.children):
                entry = {**entry, **entry["speech_variant"]}
        objects = entry.get("needs_object")
        if objects and not _has_object_in(tok, lex.object_lists.get(objects, frozenset())):
            return None
        if entry.get("needs_weapon") and not _mentions_any(tok, lex.weapons):
            return None
        return entry

    def _noun_trigger(self, tok: Token, lemma: str) -> Trigger | None:
        lex = self.lexicon
        # two-word nouns: "air strike", "drone attack", "car bomb", "suicide bombing"
        prev = tok.nbor(-1) if tok.i > tok.sent.start else None
        if prev is not None and prev.dep_ in ("compound", "amod", "nmod"):
            key = f"{prev.lemma_.lower()} {lemma}"
            key2 = f"{prev.text.lower()} {tok.text.lower()}"
            for k in (key, key2):
                if k in lex.nouns:
                    return Trigger(tok, k, lex.nouns[k], True, prev.idx, tok.idx + len(tok))
        entry = lex.nouns.get(lemma) or lex.nouns.get(tok.text.lower())
        if entry is None:
            return None
        if tok.ent_type_ in ("GPE", "LOC", "ORG", "PERSON", "NORP", "FAC") and tok.text[:1].isupper():
            return None  # "Strike" as part of a name, "Liberation" in an organisation's name
        if entry.get("needs_weapon_or_armed") and not self._military_noun(tok):
            return None  # a labour "strike", a "strike" of luck
        return Trigger(tok, lemma, entry, True, tok.idx, tok.idx + len(tok))

    def _demonym_actor(self, ctx: TokenContext, tok: Token, own: bool = False) -> ActorMention | None:
        """ "Russian missiles struck", "an Israeli airstrike": the demonym's state forces did it."""
        if self.catalogue is None:
            return None
        phrase: Token | None = tok
        if not own:
            phrase = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if phrase is None or phrase.i in ctx.actor_at:
                return None
        assert phrase is not None
        for t in phrase.children:
            place = ctx.place_at.get(t.i)
            if (
                t.dep_ in ("amod", "compound", "nmod")
                and place is not None
                and place.demonym
                and (place.place is not None and place.place.country_code)
            ):
                found = [
                    a
                    for a in self.catalogue.lookup(f"{t.text} forces")
                    if a.country_code == (place.place.country_code)
                ]
                if found:
                    return ActorMention(
                        start=t.idx,
                        end=t.idx + len(t),
                        text=t.text,
                        sent=place.sent,
                        actor=found[0],
                        how="named",
                        confidence=0.7,
                    )
        return None

    def _military_noun(self, tok: Token) -> bool:
        military = self.lexicon.object_lists.get("military_modifiers", frozenset())
        if any(
            c.lemma_.lower() in military or c.lower_ in military or c.ent_type_ in ("NORP", "GPE", "ORG")
            for c in tok.children
            if c.dep_ in ("compound", "amod", "nmod", "poss")
        ):
            return True
        head = tok.head
        return head.lemma_.lower() in ("launch", "carry", "conduct", "order", "hit", "kill") or any(
            c.lemma_.lower() in military for c in head.children if c.dep_ in ("compound", "amod")
        )

    # --- one event ---------------------------------------------------------------------------------------

    def _build(
        self, state: State, ctx: TokenContext, sent_index: int, span: Span, trig: Trigger
    ) -> EventDraft | None:
        entry = trig.entry
        tok = trig.token
        actor1, actor2 = self._actors(ctx, tok, trig)
        armed = actor1 is not None and actor1.actor is not None and _armed(actor1)
        if entry.get("needs_armed") and not armed and not _mentions_any(tok, self.lexicon.weapons):
            return None
        if entry.get("intent") and not trig.noun and not ctx.subject_is_actor(tok):
            return None  # "its capture threatens to fracture ...": a consequence, not a threat
        place, place_direct = self._place(state, ctx, sent_index, tok, trig)
        territorial = False
        terr = entry.get("territorial")
        if terr:
            territorial = (
                place is not None
                and place_direct
                and not place.demonym
                and (place.place is None or place.feature != "country" or trig.noun)
            )
        if territorial and not trig.noun and _takes_a_thing(tok, place):
            territorial = False
        if entry.get("needs_place") and not (place is not None and place_direct):
            return None
        if terr == "subject" and not territorial:
            return None  # "fall" without a place falling is not an event ("prices fell")
        draft = EventDraft(
            sent=sent_index,
            trigger_start=trig.start,
            trigger_end=trig.end,
            trigger=state.text[trig.start : trig.end],
            plover=entry["plover"],
            plover_mode=entry.get("mode"),
            actor1=actor1,
            actor2=actor2,
            place=place,
            confidence=float(entry.get("weight", 0.6)),
            territorial=territorial,
            context=list(entry.get("context", [])),
            token=tok.i,
            noun=trig.noun,
            retake=bool(entry.get("retake")),
            entry=entry,
        )
        if entry.get("modality"):
            draft.modality = entry["modality"]
        elif draft.plover == "THREATEN":
            draft.modality = "threatened"  # a threat is made; what it threatens has not happened
        if not trig.noun:
            draft.confidence = min(1.0, draft.confidence + 0.1)
        if tok.dep_ == "ROOT" or (
            trig.noun
            and tok.dep_ == "dobj"
            and tok.head.dep_ == "ROOT"
            and tok.head.lemma_.lower() in LIGHT_VERBS
        ):
            draft.confidence = min(1.0, draft.confidence + 0.2)
        elif tok.dep_ in ("advcl", "relcl", "acl") or (trig.noun and tok.dep_ == "pobj"):
            draft.confidence = max(0.05, draft.confidence - 0.1)  # background to the sentence's main event
        if actor1 is not None:
            draft.confidence = min(1.0, draft.confidence + 0.1)
        if entry.get("armed_variant") and actor1 is not None and is_armed_group(actor1):
            entry = {**entry, **entry["armed_variant"]}
            draft.plover, draft.plover_mode = entry["plover"], entry.get("mode")
        self._acled(draft, entry, tok)
        if draft.plover == "RETREAT" and _from_organisation(tok):
            # "withdrew from ECOWAS": a change to the group's affiliations, not a move on the ground
            draft.event_type, draft.sub_event_type = "Strategic developments", "Change to group/activity"
        if draft.plover == "ASSAULT":
            draft.fatalities = parse_fatalities(span.text)
        return draft

    def _actors(
        self, ctx: TokenContext, tok: Token, trig: Trigger
    ) -> tuple[ActorMention | None, ActorMention | None]:
        actor1 = actor2 = None
        entry = trig.entry
        if trig.noun:
            for child in tok.children:
                if (
                    child.dep_ == "poss"
                    and not entry.get("patient_possessor")
                    and ctx.place_in(child) is None
                ):
                    actor1 = actor1 or ctx.actor_in(child)
                elif (child.dep_ == "prep" and child.lemma_.lower() in AGENT_PREPS) or (
                    child.dep_ == "prep"
                    and child.lemma_.lower() == "of"
                    and entry.get("plover") in ("RETREAT", "MOBILIZE", "PROTEST")
                ):
                    actor1 = actor1 or ctx.actor_in_children(child)
                elif child.dep_ == "prep" and child.lemma_.lower() in TARGET_PREPS:
                    actor2 = actor2 or ctx.actor_in_children(child)
                elif child.dep_ in ("compound", "amod", "nmod"):
                    actor1 = actor1 or ctx.actor_in(child)
            if actor1 is None:
                actor1 = self._demonym_actor(ctx, tok, own=True)
            if actor1 is None:
                head = tok.head
                # "launched an offensive", "carried out strikes": the light verb's subject did it
                if tok.dep_ in (
                    "dobj",
                    "pobj",
                    "nsubjpass",
                    "attr",
                ) and head.lemma_.lower() in LIGHT_VERBS | {"out"}:
                    verb = head if head.pos_ in ("VERB", "AUX") else head.head
                    actor1 = ctx.subject_actor(verb)
                elif tok.dep_ == "pobj" and head.lemma_.lower() in (
                    "despite",
                    "amid",
                    "under",
                    "with",
                    "after",
                ):
                    actor1 = ctx.subject_actor(head.head)
            return actor1, actor2
        if entry.get("territorial") == "subject":
            # "Hama fell to the rebels", "fell into the hands of HTS": the new holder follows "to"/"into"
            actor1 = None
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in ("to", "into"):
                    actor1 = actor1 or ctx.actor_in_children(child)
            return actor1, None
        actor1 = ctx.subject_actor(tok) or self._demonym_actor(ctx, tok)
        for child in tok.children:
            if child.dep_ in ("dobj", "obj"):
                actor2 = actor2 or ctx.actor_in(child)
            elif child.dep_ == "prep" and child.lemma_.lower() in TARGET_PREPS | {"with"}:
                actor2 = actor2 or ctx.actor_in_children(child)
            elif child.dep_ == "prep" and child.lower_ == "from" and entry.get("territorial"):
                actor2 = actor2 or ctx.actor_in_children(child)  # "seized Laukkai from the junta"
            elif child.dep_ == "nsubjpass":
                actor2 = actor2 or ctx.actor_in(child)
        if actor2 is not None and actor1 is not None and actor2 is actor1:
            actor2 = None
        return actor1, actor2

    def _place(
        self, state: State, ctx: TokenContext, sent_index: int, tok: Token, trig: Trigger
    ) -> tuple[PlaceMention | None, bool]:
        """(place, direct): direct when read from the trigger's own arguments."""
        entry = trig.entry
        terr = entry.get("territorial")
        candidates: list[Token] = []
        if trig.noun:
            for child in tok.children:
                if child.dep_ == "poss" and (entry.get("patient_possessor") or entry.get("territorial")):
                    candidates.append(child)
                elif child.dep_ == "prep" and child.lemma_.lower() in PLACE_PREPS:
                    candidates.extend(c for c in child.children if c.dep_ == "pobj")
                elif child.dep_ in ("compound", "nmod"):
                    candidates.append(child)
        else:
            if tok.dep_ == "amod" and tok.head.lemma_.lower() == "control":
                # a misparse: "seized control of Hama" read with "seized" as an adjective of "control"
                for gc in tok.head.children:
                    if gc.dep_ == "prep" and gc.lower_ in ("of", "over"):
                        candidates.extend(c for c in gc.children if c.dep_ == "pobj")
            if terr == "subject":
                candidates.extend(c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass"))
                if tok.dep_ == "xcomp":  # "Kharkiv is going to fall"
                    candidates.extend(c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass"))
            for child in tok.children:
                if child.dep_ in ("dobj", "obj"):
                    candidates.append(child)
                    # "seized control of Hama"
                    for gc in child.children:
                        if gc.dep_ == "prep" and gc.lemma_.lower() in ("of", "over", "in"):
                            candidates.extend(c for c in gc.children if c.dep_ == "pobj")
                elif child.dep_ == "prep" and child.lemma_.lower() in PLACE_PREPS:
                    candidates.extend(c for c in child.children if c.dep_ == "pobj")
                elif child.dep_ in ("nsubjpass", "npadvmod", "advmod", "oprd"):
                    candidates.append(child)  # a name misread as an adverb ("captured Bakhmut") still counts
            if _small_clause(tok):
                # "declared the city liberated": the small clause's subject is the place
                candidates.extend(c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass"))
                candidates.extend(c for c in tok.head.children if c.dep_ in ("dobj", "obj") and c.i < tok.i)
        for cand in candidates:
            place = ctx.place_in(cand)
            # "AMMAN, Aug 10 - Government forces shelled ...": a dateline misparsed as the verb's argument
            if place is not None and not is_dateline(state, place):
                return place, True
        if terr:
            for cand in candidates:
                unknown = ctx.unknown_place(cand)
                if unknown is not None:
                    return unknown, True
        try:
            from .toponyms import event_place
        except ImportError:  # the geoparser stage is not installed: only direct arguments count
            return None, False
        place = event_place(state, sent_index, trig.start, trig.end)
        if place is not None and (place.demonym or _is_agent_place(state, place)):
            place = None
        return place, False

    def _acled(self, draft: EventDraft, entry: dict, tok: Token) -> None:
        rule = entry.get("acled", "none")
        if rule == "none" or rule is None:
            return
        a1 = draft.actor1
        if rule == "territory":
            if not draft.territorial:
                sub = "Armed clash" if draft.plover == "ASSAULT" else None
            elif a1 is not None and regains_for_government(a1.actor, draft.place, draft.retake):
                sub = "Government regains territory"
            else:
                sub = "Non-state actor overtakes territory"
        elif rule == "violence":
            crowd = _crowd(a1, tok)
            if crowd == "protesters":
                sub = "Violent demonstration"
            elif crowd == "mob":
                sub = "Mob violence"
            elif _targets(draft, tok, PROTESTER_WORDS) and not is_armed_group(draft.actor2):
                sub = "Excessive force against protesters"
            elif _targets_civilians(draft, tok, self.lexicon.civilian_targets):
                sub = "Attack"
            else:
                sub = "Armed clash"
        elif rule == "protest":
            words = {t.lemma_.lower() for t in tok.sent}
            if words & {"kill", "shoot", "fire", "live"} and words & {
                "police",
                "security",
                "force",
                "troops",
            }:
                sub = "Excessive force against protesters"
            elif words & {"disperse", "tear", "gas", "arrest", "detain", "baton", "clash"}:
                sub = "Protest with intervention"
            else:
                sub = "Peaceful protest"
        else:
            sub = rule
            if sub in ("Armed clash", "Attack", "Looting/property destruction"):
                crowd = _crowd(a1, tok)  # "protesters clashed with police", "a mob beat a man"
                sub = {"protesters": "Violent demonstration", "mob": "Mob violence"}.get(crowd or "", sub)
        if entry.get("remote_if_heavy") and _heavy_weapon(tok):
            sub = "Shelling/artillery/missile attack"  # "fired rockets at", not "fired at protesters"
        if sub in (
            "Air/drone strike",
            "Shelling/artillery/missile attack",
            "Remote explosive/landmine/IED",
            "Armed clash",
            "Attack",
        ):
            sub, mode = _remote_kind(tok, sub, draft.plover_mode)
            draft.plover_mode = mode
        if draft.plover == "ASSAULT" and any(c.lower_ == "sexually" for c in tok.children):
            sub, draft.plover_mode = "Sexual violence", "sexual"
        if sub is None:
            return
        from ..schema import ACLED_SUB_TO_TYPE

        if sub not in ACLED_SUB_TO_TYPE:
            return
        draft.sub_event_type = sub
        draft.event_type = ACLED_SUB_TO_TYPE[sub]


# --- helpers -------------------------------------------------------------------------------------------


class TokenContext:
    """Lookups from tokens to the actor and place mentions earlier stages found."""

    def __init__(self, state: State, catalogue: Catalogue | None = None) -> None:
        self.state = state
        self.catalogue = catalogue
        doc = state.doc
        assert doc is not None
        self.actor_at: dict[int, ActorMention] = {}
        for m in state.actors:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for t in span:
                self.actor_at.setdefault(t.i, m)
        self.place_at: dict[int, PlaceMention] = {}
        for p in state.places:
            span = doc.char_span(p.start, p.end, alignment_mode="expand")
            if span is None:
                continue
            for t in span:
                self.place_at.setdefault(t.i, p)

    def subject_is_actor(self, verb: Token) -> bool:
        """Whether a verb's subject can intend things: an actor, a named entity, a person pronoun, an
        institution; not an event noun ("its capture threatens to ...") or "it"/"this"."""
        lex = load_lexicon()
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                if c.i in self.actor_at or c.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
                    return True
                if c.pos_ == "PRON":
                    return c.lower_ in ("they", "he", "she", "we", "i", "who")
                if c.lemma_.lower() in lex.nouns:
                    return False
                return any(
                    t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or t.i in self.actor_at for t in c.subtree
                ) or c.pos_ in ("PROPN", "NOUN")
        return self.subject_actor(verb) is not None

    def actor_in(self, tok: Token) -> ActorMention | None:
        """The actor mention a phrase (headed by tok) refers to: the head's own first, then an apposition
        ("Assad's father, Hafez al-Assad"), then the nearest in its subtree."""
        if tok.i in self.actor_at:
            return self.actor_at[tok.i]
        for child in tok.children:
            if child.dep_ == "appos" and child.i in self.actor_at:
                return self.actor_at[child.i]
        best = None
        for t in tok.subtree:
            m = self.actor_at.get(t.i)
            if m is not None and (best is None or abs(t.i - tok.i) < abs(best[0] - tok.i)):
                # skip actors inside a nested "from X" / "of X" that only qualifies the head
                best = (t.i, m)
        if best is not None:
            return best[1]
        if tok.pos_ == "PRON" and tok.lower_ in ("they", "it", "he", "she", "we", "them"):
            return self.reporter(tok) or self.previous_actor(tok)
        return None

    def reporter(self, pron: Token) -> ActorMention | None:
        """ "Ethnic armed groups said they had seized Laukkai": "they" is whoever said so, named in the
        catalogue or not (then kept as written, unresolved, rather than pinned on someone else)."""
        clause = pron.head
        if pron.dep_ != "nsubj" or clause.dep_ != "ccomp" or clause.head.lemma_.lower() not in SPEECH_VERBS:
            return None
        speaker = next((c for c in clause.head.children if c.dep_ == "nsubj"), None)
        if speaker is None or speaker.pos_ == "PRON":
            return None
        found = self.actor_in(speaker)
        if found is not None:
            return found
        if speaker.pos_ not in ("NOUN", "PROPN") or speaker.lemma_.lower() not in GROUP_NOUNS:
            return None
        words = [t for t in speaker.subtree if t.i <= speaker.i and t.dep_ != "det"]
        start, end = words[0].idx, speaker.idx + len(speaker)
        return ActorMention(
            start=start,
            end=end,
            text=self.state.text[start:end],
            sent=self.state.sentence_of(start),
            actor=None,
            how="unresolved",
            confidence=0.4,
        )

    def actor_in_children(self, prep: Token) -> ActorMention | None:
        for c in prep.children:
            if c.dep_ == "pobj":
                return self.actor_in(c)
        return None

    def subject_actor(self, verb: Token) -> ActorMention | None:
        """The verb's agent: its subject, a passive's "by" phrase, or the subject of the verb it hangs on."""
        seen = 0
        cur = verb
        while seen < 4:
            seen += 1
            if _small_clause(cur):
                cur = cur.head  # "forces declared the city liberated": the declarer did it
                continue
            if cur.dep_ == "acl" and cur.tag_ == "VBN":
                # "M23 rebels backed by Rwanda": the participle's agent, not the noun it describes
                for c in cur.children:
                    if c.dep_ == "agent":
                        return next((self.actor_in(p) for p in c.children if p.dep_ == "pobj"), None)
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in cur.children)
            if passive:
                for c in cur.children:
                    if c.dep_ == "agent":
                        for pobj in c.children:
                            if pobj.dep_ == "pobj":
                                m = self.actor_in(pobj)
                                if m is not None:
                                    return m
                return None
            subjects = [c for c in cur.children if c.dep_ in ("nsubj", "csubj")]
            if subjects:
                # a misparse can hang two subjects on one verb: the one nearest before it is its own
                before = [c for c in subjects if c.i < cur.i]
                return self.actor_in(before[-1] if before else subjects[0])
            # "the UAE-backed Giants Brigades retook Bayhan": the tagger read the subject as a modifier of
            # the verb (Brigades/compound<retook); a verb has no compounds, so that phrase is its subject
            misread = [c for c in cur.lefts if c.dep_ in ("compound", "nmod", "amod")]
            if misread and cur.tag_.startswith("VB"):
                m = self.actor_in(misread[-1])
                if m is not None:
                    return m
            # "ordered troops to withdraw": an infinitive after an object takes the object as its subject
            if cur.dep_ == "xcomp":
                obj = next((c for c in cur.head.children if c.dep_ in ("dobj", "obj") and c.i < cur.i), None)
                if obj is not None:
                    return self.actor_in(obj)
            # participles and infinitives take the subject of the clause they hang on
            if cur.dep_ in ("xcomp", "advcl", "conj", "acl", "relcl", "pcomp", "ccomp", "acomp") and (
                cur.head.i != cur.i
            ):
                if cur.dep_ == "acl":
                    m = self.actor_in(cur.head) if cur.head.pos_ in ("NOUN", "PROPN") else None
                    if m is not None:
                        return m
                cur = cur.head
                continue
            break
        return None

    def previous_actor(self, tok: Token) -> ActorMention | None:
        """What a pronoun refers to: "he"/"she" the last person named, "they"/"it" the last group."""
        personal = tok.lower_ in ("he", "she", "him", "her")
        earliest = self.state.sentence_of(tok.idx) - 2  # once, not once per mention
        best = None
        for m in self.state.actors:
            if (
                m.end <= tok.idx
                and m.actor is not None
                and (m.how == "person") == personal
                and (self.state.sentence_of(m.start) >= earliest)
            ):
                best = m
        return best

    def _named_site(self, tok: Token) -> PlaceMention | None:
        """ "seized the Namada camp", "overran the Mansila army post": a site noun named by the words before
        it, kept by that name when the gazetteer has none."""
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in SETTLEMENT_NOUNS | SITE_NOUNS:
            return None
        names = [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < tok.i]
        if not names or any(c.i in self.actor_at for c in names) or any(t.i in self.place_at for t in names):
            return None
        return self._unnamed(min(t.idx for t in names[0].subtree), tok.idx + len(tok))

    def _unnamed(self, start: int, end: int) -> PlaceMention:
        """A place kept as written: no GeoNames id, low confidence."""
        return PlaceMention(
            start=start,
            end=end,
            text=self.state.text[start:end],
            sent=self.state.sentence_of(start),
            place=None,
            feature="other",
            precision=1,
            confidence=0.4,
        )

    def unknown_place(self, tok: Token) -> PlaceMention | None:
        """A capitalised name the gazetteer does not know, in a place's slot ("seized Rubaya", "the town of
        Rubaya"): kept by name with no GeoNames id, never moved to a country's centre."""
        heads = [tok] + [
            c
            for p in tok.children
            if p.dep_ == "prep" and p.lower_ == "of"
            for c in p.children
            if c.dep_ == "pobj"
        ]
        settlement = tok.lemma_.lower() in SETTLEMENT_NOUNS
        named = self._named_site(tok)
        if named is not None:
            return named
        for head in heads:
            if head.pos_ != "PROPN" or head.i in self.actor_at or head.ent_type_ in ("DATE", "TIME"):
                continue
            if head.lower_ in MONTHS_AND_DAYS:
                continue
            # "Torghundi, the main crossing into Turkmenistan", "Namtu, the hill town": described as a place
            described = any(
                c.dep_ == "appos" and c.lemma_.lower() in SETTLEMENT_NOUNS | SITE_NOUNS for c in head.children
            )
            if (
                head.ent_type_ in ("PERSON", "ORG", "NORP")
                and not (settlement and head.i != tok.i)
                and not described
            ):
                continue  # a name the NER calls a person is one, unless "the town of" says otherwise
            words = [t for t in head.subtree if t.pos_ == "PROPN" or t.lower_ in ("-", "al", "el")]
            words = [t for t in words if t.i <= head.i] or [head]
            return self._unnamed(words[0].idx, head.idx + len(head))
        return None

    def topic_place(self, tok: Token) -> PlaceMention | None:
        """What "its"/"it" refers to when a place: the topic (subject, else first place) of this or the
        previous two sentences, nearest first."""
        here = self.state.sentence_of(tok.idx)
        before = [p for p in self.state.places if p.end <= tok.idx]
        for sent in (here, here - 1, here - 2):
            if sent < 0:
                break
            topic = _topic_of(before, self.state, sent)
            if topic is not None:
                return topic
        return None

    def place_in(self, tok: Token) -> PlaceMention | None:
        """The place a phrase names: its head's, else the first in it that is not a demonym ("the eastern
        Ukrainian town of Avdiivka" is Avdiivka)."""
        own = self.place_at.get(tok.i)
        if own is not None and not own.demonym and own.place is not None:
            return own
        unresolved = own if own is not None and not own.demonym else None
        for t in tok.subtree:
            p = self.place_at.get(t.i)
            if p is not None and not p.demonym:
                if p.place is not None:
                    return p
                unresolved = unresolved or p
        if unresolved is not None:
            return unresolved
        if tok.pos_ == "PRON" and tok.lower_ in ("its", "it"):
            return self.topic_place(tok)
        return None


def _topic_of(places: list[PlaceMention], state: State, sent: int) -> PlaceMention | None:
    doc = state.doc
    assert doc is not None
    named = [
        p
        for p in places
        if state.sentence_of(p.start) == sent and not p.demonym and p.feature in ("city", "admin2", "other")
    ]
    for p in named:  # the sentence's subject, when it is a place, is what "its" picks up
        span = doc.char_span(p.start, p.end, alignment_mode="expand")
        if span is not None and span.root.dep_ in ("nsubj", "nsubjpass"):
            return p
    return named[0] if named else None


def _mentions_any(tok: Token, words: frozenset[str]) -> bool:
    return any(t.lemma_.lower() in words or t.lower_ in words for t in tok.subtree)


CHEMICAL_WORDS = {"chlorine", "sarin", "chemical", "mustard", "nerve", "toxic", "vx", "phosphorus"}
IED_WORDS = {
    "ied",
    "ieds",
    "roadside",
    "landmine",
    "landmines",
    "mine",
    "mines",
    "explosive",
    "device",
    "car bomb",
    "vbied",
    "booby",
    "unexploded",
}
PROTESTER_WORDS = frozenset(
    {
        "protester",
        "protesters",
        "protestor",
        "protestors",
        "demonstrator",
        "demonstrators",
        "marcher",
        "marchers",
        "rally",
        "crowd",
        "crowds",
    }
)
SHELLING_WORDS = {
    "missile",
    "rocket",
    "artillery",
    "shell",
    "mortar",
    "shelling",
    "howitzer",
    "grad",
    "katyusha",
    "projectile",
    "barrage",
    "tank",
}
DRONE_WORDS = {"drone", "uav", "quadcopter", "shahed", "kamikaze"}
AIR_WORDS = {
    "airstrike",
    "warplane",
    "jet",
    "aircraft",
    "helicopter",
    "bomber",
    "air",
    "aerial",
    "plane",
    "gunship",
    "bombing",
    "bomb",
}


def _remote_kind(tok: Token, sub: str, mode: str | None) -> tuple[str, str | None]:
    """Air strike, drone strike, shelling, IED, suicide bomb, grenade or chemical weapon, by the weapon
    the clause names ("Russian missiles struck", "a roadside bomb struck")."""
    words = {t.lemma_.lower() for t in tok.subtree} | {
        t.lemma_.lower() for t in tok.head.subtree if t.i in range(tok.sent.start, tok.sent.end)
    }
    words |= {tok.lemma_.lower()} | {t.lower_ for t in tok.sent}
    if words & CHEMICAL_WORDS:
        return "Chemical weapon", "unconventional"
    if "suicide" in words:
        return "Suicide bomb", "suicide-attack"
    if sub in ("Armed clash", "Attack"):
        if words & {"grenade", "grenades"}:
            return "Grenade", "explosives"
        return sub, mode
    if words & IED_WORDS:
        return "Remote explosive/landmine/IED", "explosives"
    if words & {"grenade", "grenades"}:
        return "Grenade", "explosives"
    if sub == "Remote explosive/landmine/IED":
        return sub, mode
    if words & DRONE_WORDS:
        return "Air/drone strike", "drone"
    if tok.lemma_.lower() in AIR_WORDS or words & {"airstrike", "warplane", "jet", "bomber", "aircraft"}:
        return "Air/drone strike", "aerial"
    if words & SHELLING_WORDS:
        return "Shelling/artillery/missile attack", "heavy-weapons"
    return sub, mode


def _small_clause(tok: Token) -> bool:
    """A bare participle complement: "declared the city liberated", "found the town abandoned"."""
    return (
        tok.tag_ == "VBN"
        and tok.dep_ in ("ccomp", "oprd", "xcomp", "acomp")
        and not any(c.dep_ in ("aux", "auxpass") for c in tok.children)
    )


def _heavy_weapon(tok: Token) -> bool:
    words = {t.lemma_.lower() for t in tok.subtree}
    return bool(words & (SHELLING_WORDS | DRONE_WORDS | {"airstrike", "bomb", "missile"}))


def _is_agent_place(state: State, place: PlaceMention) -> bool:
    """A place named as who did something ("bolstered by Russia", "Russia struck") is not where."""
    doc = state.doc
    assert doc is not None
    span = doc.char_span(place.start, place.end, alignment_mode="expand")
    if span is None:
        return False
    cur = span.root
    for _ in range(3):
        if cur.dep_ == "agent" or (cur.dep_ == "nsubj" and cur.head.lemma_ != "be"):
            return True  # "The city was the site of ..." names where, "Russia struck ..." names who
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return False


def _has_object_in(tok: Token, words: frozenset[str]) -> bool:
    for child in tok.children:
        if child.dep_ in ("dobj", "obj", "dative", "nsubjpass", "attr") or (
            child.dep_ == "prep" and child.lower_ in ("with", "of")
        ):
            for t in child.subtree:
                if t.lemma_.lower() in words or t.lower_ in words:
                    return True
    return False


# What a capture verb's object is when it is not the place: things and people ("seized weapons", "took
# four women from the bus station", "seized the harvest from the groves"). The place then says where
# they were taken from, not what changed hands.
OBJECT_WORDS = {
    "weapon", "weapons", "arms", "ammunition", "explosives", "explosive", "rifle", "rifles", "gun", "guns",
    "vehicle", "vehicles", "truck", "trucks", "tank", "tanks", "ship", "ships", "vessel", "vessels", "boat",
    "boats", "aircraft", "plane", "drone", "drones", "hostage", "hostages", "prisoner", "prisoners",
    "soldier", "soldiers", "fighter", "fighters", "man", "men", "woman", "women", "child", "children",
    "leader",
    "commander", "suspect", "suspects", "people", "person", "cash", "money", "drugs", "cocaine", "cattle",
    "goods", "equipment", "supplies", "documents", "image", "images", "footage", "video", "title", "seat",
    "seats", "vote", "votes", "power", "initiative", "attention", "inmates", "detainees", "civilians",
    "girl", "girls", "boy", "boys", "student", "students", "worker", "workers", "migrant", "migrants",
    "harvest", "crop", "crops", "food", "livestock", "property", "stock", "stocks", "fuel", "oil",
}  # fmt: skip


NONVIOLENT = re.compile(
    r"\b(?:without\s+(?:a\s+|any\s+)?(?:fight|fighting|resistance|a\s+shot|shots|battle|"
    r"clashes|bloodshed|combat)|peacefully|unopposed|uncontested|"
    # a place handed over, or given up through its elders or mediators: ACLED's non-violent transfer
    # (a ceasefire "brokered" or a side that "will not negotiate" says nothing of how a place changed)
    r"hand(?:ed|s|ing)?\s+(?:\w+\s+){0,3}over|hand-?over|mediation\s+of|elders)\b",
    re.I,
)
# A sentence of its own that says the happening told just before had no fighting ("No clashes were
# reported."). Deaths are another matter: "No fatalities." says nothing about whether there was fighting.
NO_FIGHTING = re.compile(
    r"^\W*no\s+(?:clashes|fighting|resistance|shots|combat|battle|armed\s+confrontation)\s+"
    r"(?:was|were|has\s+been|have\s+been)\s+(?:reported|fired|offered|recorded)",
    re.I,
)


def _takes_a_thing(tok: Token, place: PlaceMention | None) -> bool:
    """The verb's object is a thing or people, and the place is not part of its name ("the town of X",
    "X's airport"): a place under another preposition ("the harvest from groves around X") is where the
    thing was, not what was taken."""
    obj = next((c for c in tok.children if c.dep_ in ("dobj", "obj")), None)
    if obj is None or not (obj.lemma_.lower() in OBJECT_WORDS or obj.lower_ in OBJECT_WORDS):
        return False
    if place is None or place.start < 0:
        return True
    span = tok.doc.char_span(place.start, place.end, alignment_mode="expand")
    cur = span.root if span is not None else None
    while cur is not None and cur.i != obj.i and cur.head.i != cur.i:
        if cur.dep_ == "prep" and cur.lower_ != "of":
            return True
        cur = cur.head
    return cur is None or cur.i != obj.i


def nonviolent(state: State, sent: int) -> bool:
    """Does the text say the sentence's happening came about without fighting, in it or just after it?"""
    sents = state.sentences
    if sent >= len(sents):
        return False
    if NONVIOLENT.search(sents[sent].text):
        return True
    return sent + 1 < len(sents) and bool(NO_FIGHTING.match(sents[sent + 1].text))


def _sentence_context(drafts: list[EventDraft], span: Span, peaceful: bool) -> None:
    """What one event in a sentence says about another: arrests at a protest are an intervention in it;
    a place taken "without a fight" is a non-violent transfer."""
    protest = any(d.plover == "PROTEST" and d.event_type == "Protests" for d in drafts)
    if protest or any(
        t.lemma_.lower() in ("protest", "demonstration", "rally", "protester", "demonstrator") for t in span
    ):
        for d in drafts:
            if d.sub_event_type == "Arrests" or d.plover_mode == "crowd-control":
                d.event_type, d.sub_event_type = "Protests", "Protest with intervention"
        if any(d.sub_event_type == "Protest with intervention" for d in drafts):
            for d in drafts:
                if d.plover == "PROTEST" and d.sub_event_type == "Peaceful protest":
                    d.event_type, d.sub_event_type = "Protests", "Protest with intervention"
    if peaceful:
        for d in drafts:
            moves = d.territorial or (d.plover in ("RETREAT", "MOBILIZE", "CONCEDE") and d.place is not None)
            if moves:
                d.event_type, d.sub_event_type = "Strategic developments", "Non-violent transfer of territory"
                if d.plover != "RETREAT" and d.place is not None:
                    d.territorial = True


def _from_organisation(tok: Token) -> bool:
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "from":
            for obj in child.children:
                if obj.dep_ == "pobj" and obj.ent_type_ == "ORG":
                    return True
    head = tok.head
    return (
        tok.dep_ in ("dobj", "pobj")
        and any(c.ent_type_ == "ORG" for p in tok.children if p.lower_ == "from" for c in p.children)
        and head is not None
    )


def _crowd(m: ActorMention | None, tok: Token) -> str | None:
    """Whether the violence is done by protesters (a violent demonstration) or a mob (mob violence)."""
    words = set()
    if m is not None:
        words = {w.lower() for w in re.findall(r"\w+", m.text)}
        if m.actor is not None and m.actor.side in ("protesters",):
            return "protesters"
        if m.actor is not None and m.actor.side in ("rioters", "mob"):
            return "mob" if words & {"mob", "mobs", "vigilantes", "crowd", "crowds"} else "protesters"
    else:
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        words = {t.lower_ for t in subj.subtree} if subj is not None else set()
    if words & {"mob", "mobs", "vigilantes", "vigilante", "crowd", "crowds", "villagers", "residents"}:
        return "mob"
    if words & {"protesters", "protestors", "demonstrators", "rioters", "students", "youths"}:
        return "protesters"
    return None


def _targets(draft: EventDraft, tok: Token, words: frozenset[str]) -> bool:
    if draft.actor2 is not None and any(w in draft.actor2.text.lower() for w in words):
        return True
    verbs = [tok] + [c for c in tok.children if c.dep_ == "conj"]
    for verb in verbs:
        for child in verb.children:
            argument = child.dep_ in ("dobj", "nsubjpass") or (
                child.dep_ == "prep" and child.lemma_.lower() in TARGET_PREPS
            )
            if argument and any(t.lower_ in words or t.lemma_.lower() in words for t in child.subtree):
                return True
    return False


def is_armed_group(m: ActorMention | None) -> bool:
    return m is not None and m.actor is not None and m.actor.kind in ARMED_KINDS


def _armed(m: ActorMention) -> bool:
    a = m.actor
    return a is not None and a.kind not in UNARMED_KINDS


def regains_for_government(actor: CatalogueActor | None, place: PlaceMention | None, retake: bool) -> bool:
    """ACLED's "Government regains territory" rather than "Non-state actor overtakes territory": the
    gainer is the state's forces in their own country, or an intervention force retaking a place for the
    government it fights beside (an affiliate, in ACLED's words). A state's army taking ground in another
    country (Israel's in Gaza or Lebanon, Russia's in Ukraine, Chad's in Nigeria) overtakes it."""
    if actor is None:
        return False
    state_side = actor.side == "government" or actor.kind in ("state_forces", "government", "police")
    if not state_side:
        return False
    where = place.place.country_code if place is not None and place.place is not None else None
    if actor.side != "foreign forces":
        return not (actor.country_code and where and actor.country_code != where)
    return retake


def _targets_civilians(draft: EventDraft, tok: Token, targets: frozenset[str]) -> bool:
    if draft.actor2 is not None and draft.actor2.actor is not None:
        return draft.actor2.actor.side == "civilians" or draft.actor2.actor.kind in (
            "civilians",
            "protesters",
        )
    if _targets(draft, tok, targets):
        return True
    return draft.plover_mode in ("massacre",)


def dedupe_sentence(drafts: list[EventDraft]) -> list[EventDraft]:
    """One event per sentence, type and place: "crushed an uprising, killing thousands" is one event.

    The verb's reading wins over a noun's; an actor, a date or a death toll from the other is kept.
    """
    out: list[EventDraft] = []
    by_sent: dict[int, list[int]] = {}  # positions in ``out`` per sentence: twins share a sentence
    for d in drafts:
        at = next(
            (
                i
                for i in by_sent.get(d.sent, ())
                if out[i].plover == d.plover
                and same_place(out[i].place, d.place)
                and out[i].territorial == d.territorial
            ),
            None,
        )
        if at is None:
            by_sent.setdefault(d.sent, []).append(len(out))
            out.append(d)
            continue
        twin = out[at]
        keep, drop = (twin, d) if _rank(twin) >= _rank(d) else (d, twin)
        keep.actor1 = keep.actor1 or drop.actor1
        keep.actor2 = keep.actor2 or drop.actor2
        keep.place = keep.place or drop.place
        if drop.fatalities is not None:
            keep.fatalities = min(keep.fatalities or drop.fatalities, drop.fatalities)
        keep.event_type = keep.event_type or drop.event_type
        keep.sub_event_type = keep.sub_event_type or drop.sub_event_type
        if drop.event_type == "Explosions/Remote violence" and keep.sub_event_type in (
            None,
            "Attack",
            "Armed clash",
            "Looting/property destruction",
        ):
            # "shelling killed 12": ACLED types the killing by the weapon
            keep.event_type, keep.sub_event_type = drop.event_type, drop.sub_event_type
            keep.plover_mode = drop.plover_mode
        if keep is d:
            out[at] = d
    return out


def _rank(d: EventDraft) -> tuple:
    return (d.actor1 is not None, d.event_type is not None, not d.noun, d.confidence)


def same_place(a: PlaceMention | None, b: PlaceMention | None) -> bool:
    if a is None or b is None:
        return True
    if a.place is not None and b.place is not None:
        return a.place.geonameid == b.place.geonameid
    return a.text.lower() == b.text.lower()


def _event_id(article_id: str, d: EventDraft) -> str:
    h = hashlib.sha256(f"{article_id}|{d.sent}|{d.trigger_start}|{d.plover}".encode()).hexdigest()
    return f"ev-{h[:16]}"


def territorial_sub_event(sub: str | None) -> bool:
    return sub in TERRITORIAL_SUB_EVENTS
