"""The actors stage: who the article talks about, resolved to the catalogue.

Catalogue names are matched over our own normalised tokens (``actors.text``), not over spaCy's entities,
because the small model mislabels many Arabic and African names; spaCy is used for what it does well here
(PERSON entities the catalogue does not know, and whether a country is a clause's subject).

Mentions, in text order and never overlapping:
  named    a catalogue name, alias or abbreviation, with its possessive and compound forms ("HTS forces",
           "the Assad regime's forces", "Russian troops", "the Syrian Defense Ministry")
  person   a person, with title and affiliation ("HTS leader Abu Mohammad al-Jolani", "an HTS spokesperson")
  generic  a role ("the rebels", "troops", "civilians") tied to the actor the article makes clear, else to
           the generic catalogue entry
  coref    "the group", "the militia", "its fighters" -> the most recent compatible actor before it
The article's country context (``state.countries``) is set from country names, demonyms, named actors and
the places spaCy finds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..actors.base import CatalogueActor, CataloguePerson
from ..actors.catalogue import ActorCatalogue, Term
from ..actors.text import Token, fold, tokenize
from .base import ActorMention, Sentence, SpanIndex, State

if TYPE_CHECKING:
    from ..actors.base import Catalogue
    from ..gazetteer.base import Gazetteer

# Nouns after an actor, a leader or a country that name (part of) that actor: "Assad's forces",
# "Russian troops", "the Syrian Defense Ministry", "HTS fighters". Value: which of the country's actors.
NOUNS: dict[tuple[str, ...], str] = {
    **{
        (w,): "forces"
        for w in (
            "forces",
            "force",
            "troops",
            "army",
            "military",
            "soldiers",
            "soldier",
            "navy",
            "regime",
            "junta",
            "loyalists",
            "units",
            "unit",
            "brigade",
            "brigades",
            "battalion",
            "battalions",
            "division",
            "warplanes",
            "jets",
            "aircraft",
            "militaries",
            "commandos",
            "paratroopers",
            "tanks",
            "artillery",
        )
    },
    ("air", "force"): "forces",
    ("armed", "forces"): "forces",
    ("security", "forces"): "forces",
    ("special", "forces"): "forces",
    ("defense", "forces"): "forces",
    ("ground", "forces"): "forces",
    **{
        (w,): "government"
        for w in (
            "government",
            "ministry",
            "authorities",
            "administration",
            "officials",
            "cabinet",
            "presidency",
            "leadership",
        )
    },
    **{
        (w,): "forces"
        for w in ("officers", "servicemen", "marines", "sailors", "pilots", "gunners", "snipers")
    },
    # What a side fires: "Russian missiles struck Kharkiv", "an Israeli airstrike", "Houthi drones".
    **{
        (w,): "weapons"
        for w in (
            "strikes",
            "strike",
            "airstrikes",
            "airstrike",
            "missiles",
            "missile",
            "drones",
            "drone",
            "shelling",
            "bombardment",
            "bombardments",
            "bombing",
            "bombings",
            "raids",
            "raid",
            "rockets",
            "rocket",
        )
    },
    ("air", "strikes"): "weapons",
    ("air", "strike"): "weapons",
    ("defense", "ministry"): "government",
    ("foreign", "ministry"): "government",
    ("interior", "ministry"): "government",
    ("health", "ministry"): "government",
    ("ministry", "of", "defense"): "government",
    ("state", "media"): "government",
    **{(w,): "police" for w in ("police", "policemen", "gendarmerie", "gendarmes")},
    ("police", "force"): "police",
    **{
        (w,): "members"
        for w in (
            "fighters",
            "militants",
            "rebels",
            "militia",
            "militias",
            "militiamen",
            "members",
            "insurgents",
            "jihadists",
            "gunmen",
            "guerrillas",
            "paramilitaries",
            "commanders",
            "operatives",
            "combatants",
            "mercenaries",
            "group",
            "movement",
            "faction",
            "factions",
            "coalition",
            "alliance",
            "offensive",
            "separatists",
        )
    },
}
_NOUN_MAX = max(len(k) for k in NOUNS)
# A generic catalogue role, read as the noun after a head ("M23 rebels", "Syrian civilians").
_GENERIC_NOUN = {
    "government-forces": "forces",
    "police": "police",
    "government": "government",
    "civilians": "people",
    "protesters": "people",
    "rioters": "people",
}
_STATE_ROLES = {"government-forces": "forces", "police": "police", "government": "government"}
_PEOPLE_ROLES = {"civilians", "protesters", "rioters"}
_MILITARY_TITLES = {
    "commander",
    "general",
    "gen.",
    "colonel",
    "col.",
    "captain",
    "major",
    "lieutenant",
    "sergeant",
    "soldier",
    "officer",
    "brigadier",
    "admiral",
    "marshal",
    "army",
    "military",
}
_CALENDAR = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "on",
    "in",
    "since",
    "when",
    "after",
    "before",
    "but",
    "and",
    "as",
    "while",
    "meanwhile",
}
_NOT_DESCRIBING = {
    "of",
    "and",
    "or",
    "to",
    "in",
    "on",
    "at",
    "for",
    "with",
    "by",
    "from",
    "that",
    "which",
    "who",
    "is",
    "was",
    "has",
    "had",
    "said",
    "says",
    "also",
    "then",
    "not",
    "'s",
}
_FORCE_MEMBERS = {"forces", "troops", "soldiers", "units"}
_KIND_ROLE = {"state_forces": "forces", "government": "government", "police": "police"}

# Words of a title before a name: "HTS leader", "Defence Minister", "army chief", "Lt. Gen.".
TITLE_CORE = {
    "leader",
    "chief",
    "commander",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "official",
    "minister",
    "president",
    "premier",
    "general",
    "gen",
    "colonel",
    "col",
    "captain",
    "capt",
    "major",
    "maj",
    "lieutenant",
    "lt",
    "sergeant",
    "sgt",
    "emir",
    "head",
    "envoy",
    "ambassador",
    "negotiator",
    "governor",
    "mayor",
    "secretary",
    "marshal",
    "founder",
    "chairman",
    "chairwoman",
    "adviser",
    "advisor",
    "representative",
    "king",
    "sheikh",
    "ayatollah",
    "warlord",
    "brigadier",
    "admiral",
    "director",
    "coordinator",
    "prosecutor",
    "mufti",
    "imam",
    "cleric",
    "prince",
    "ruler",
    "strongman",
}
TITLE_MODIFIERS = {
    "prime",
    "deputy",
    "former",
    "interim",
    "acting",
    "senior",
    "top",
    "military",
    "foreign",
    "defense",
    "interior",
    "health",
    "army",
    "security",
    "national",
    "political",
    "supreme",
    "regional",
    "local",
    "junta",
    "rebel",
    "militia",
    "group",
    "field",
    "vice",
    "transitional",
    "self",
    "proclaimed",
    "de",
    "facto",
    "general",
    "staff",
    "of",
    "the",
    "intelligence",
    "police",
    "government",
    "state",
    "federal",
    "spiritual",
    "assistant",
    "opposition",
    "exiled",
    "ousted",
    "deposed",
    "late",
    "slain",
    "commander",
    "in",
}
# Words that make "<country>" a statement rather than an action: its government acts, not its army.
_SPEECH_LEMMAS = {
    "say",
    "announce",
    "accuse",
    "deny",
    "claim",
    "warn",
    "confirm",
    "state",
    "call",
    "urge",
    "demand",
    "reject",
    "condemn",
    "insist",
    "vow",
    "threaten",
    "tell",
    "report",
    "welcome",
    "agree",
    "sign",
    "recognize",
    "recognise",
    "pledge",
    "offer",
    "propose",
    "ask",
}
_DETERMINERS = {"the", "this", "that", "these", "those"}
_DATELINE_BEFORE = re.compile(r"(?:^|\n)\s*[A-Z][A-Z .'-]{2,},\s*$")  # "KHARTOUM, Sudan (AP) —"
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|near|outside|around|from|into|towards?|across|inside|of|to)\s+$", re.IGNORECASE
)
_PLACE_VERBS = {
    "seize",
    "capture",
    "take",
    "enter",
    "storm",
    "shell",
    "bomb",
    "attack",
    "strike",
    "hit",
    "retake",
    "recapture",
    "encircle",
    "besiege",
    "surround",
    "liberate",
    "overrun",
    "control",
    "reach",
    "raid",
    "evacuate",
    "flee",
    "leave",
    "target",
    "fall",
}
_POSSESSIVES = {"its", "their"}
# "the group" and kin: which actors they can refer back to, and what they fall back to when none is near.
_ARMED = {
    "rebel_group",
    "jihadist_group",
    "separatist_group",
    "political_militia",
    "identity_militia",
    "paramilitary",
    "gang",
    "external_force",
}
COREF: dict[tuple[str, ...], tuple[frozenset[str], str | None]] = {
    ("group",): (frozenset(_ARMED), None),
    ("armed", "group"): (frozenset(_ARMED), None),
    ("militant", "group"): (frozenset(_ARMED), None),
    ("rebel", "group"): (frozenset(_ARMED - {"gang"}), "rebels"),
    ("insurgent", "group"): (frozenset(_ARMED - {"gang"}), "insurgents"),
    ("terrorist", "group"): (frozenset(_ARMED), None),
    ("terror", "group"): (frozenset(_ARMED), None),
    ("jihadist", "group"): (frozenset({"jihadist_group"}), "jihadists"),
    ("islamist", "group"): (frozenset({"jihadist_group"}), "jihadists"),
    ("jihadists",): (frozenset({"jihadist_group"}), "jihadists"),
    ("militia",): (frozenset({"political_militia", "identity_militia", "paramilitary"}), "militia"),
    ("paramilitary", "group"): (frozenset({"paramilitary"}), "paramilitaries"),
    ("paramilitaries",): (frozenset({"paramilitary"}), "paramilitaries"),
    ("paramilitary",): (frozenset({"paramilitary"}), "paramilitaries"),
    ("gang",): (frozenset({"gang"}), "gangs"),
    ("coalition",): (frozenset(_ARMED), None),
    ("alliance",): (frozenset(_ARMED), None),
    ("organization",): (frozenset(_ARMED | {"organisation", "international"}), None),
    ("movement",): (frozenset(_ARMED | {"government"}), None),
    ("faction",): (frozenset(_ARMED), None),
    ("outfit",): (frozenset(_ARMED), None),
}
_COREF_MAX = max(len(k) for k in COREF)
# "its fighters", "their forces": the most recent actor of any kind.
_MEMBER_NOUNS = {
    "fighters",
    "forces",
    "troops",
    "militants",
    "members",
    "soldiers",
    "men",
    "gunmen",
    "militiamen",
    "units",
    "commanders",
    "allies",
    "partners",
    "loyalists",
}
_COREF_WINDOW = 5  # sentences back to look for "the group"'s antecedent
_RECENT_WINDOW = 2  # sentences back in which a role ("troops") still means the actor last named
_NONSTATE_WINDOW = 3
# Hyphenated words after a name that make it a modifier ("Russian-backed", "HTS-held"), not the actor.
_LED = {"led", "dominated", "commanded", "run"}


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    sent: int
    how: str
    actor: CatalogueActor | None = None
    role: str | None = None  # generic role id, or the coref key
    country: str | None = None  # "Syrian rebels": the role is restricted to that country
    person: str | None = None
    title: str | None = None
    confidence: float = 1.0
    kinds: frozenset[str] = frozenset()  # for coref: the actor kinds it may refer to
    fallback: str | None = None  # for coref: the generic id used when nothing is near
    any_kind: bool = False  # "its fighters": any actor
    # Other actors the same phrase can name ("SNA"), decided once the article's countries are known.
    alternatives: tuple[str, ...] = ()


# An abbreviation as reports define one: capitals (and digits) after a capital, two to seven long.
_ABBREVIATION = re.compile(r"[A-Z][A-Z0-9]{1,6}")


@dataclass(slots=True)
class _Match:
    i: int  # token range [i, j)
    j: int
    terms: list[Term]


class ActorStage:
    """Fill ``state.actors`` and ``state.countries``."""

    name = "actors"
    requires = ("doc", "sentences")
    sets = ("actors", "countries")

    def __init__(self, catalogue: Catalogue, gazetteer: Gazetteer | None = None) -> None:
        # The stage needs the phrase index; another Catalogue backend is wrapped into one.
        self.catalogue = ActorCatalogue.from_protocol(catalogue)
        self.gazetteer = gazetteer

    def __call__(self, state: State) -> None:
        run = _Run(self, state)
        run.scan()
        state.countries = run.countries()
        state.actors = [m for m in run.resolve() if not _breakaway_modifier(state, m)]


# Nouns for people who broke away from the body that names them: "army mutineers" are not the army.
BREAKAWAY = {"mutineer", "defector", "deserter", "renegade", "dissident", "breakaway", "splinter"}


def _breakaway_modifier(state: State, m: ActorMention) -> bool:
    """A mention that only modifies a breakaway noun ("Army mutineers of the M23 movement"): the people
    meant are the breakaway's, named by what follows or by nothing."""
    doc = state.doc
    if doc is None:
        return False
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return root.dep_ in ("compound", "amod", "nmod") and root.head.lemma_.lower() in BREAKAWAY


class _Run:
    """One article's pass: scan sentences, rank countries, resolve roles and references."""

    def __init__(self, stage: ActorStage, state: State) -> None:
        self.cat = stage.catalogue
        self.gazetteer = stage.gazetteer
        self.state = state
        self.text = state.text
        self.day: dt.date | None = state.article.published if state.article is not None else None
        self.mentions: list[_Mention] = []
        self.country_weight: Counter[str] = Counter()
        self.country_first: dict[str, int] = {}
        self.subject_countries: list[tuple[int, int, int, str]] = []
        self.primary: str | None = None
        self.abbreviations: dict[str, list[Term]] = {}  # defined in the text: "the Arakan Army (AA)"

    # --- scanning -------------------------------------------------------------------------------------

    def scan(self) -> None:
        sentences = self.state.sentences or [Sentence(0, 0, len(self.text), self.text)]
        persons_by_sent = self._spacy_persons()
        for s in sentences:
            tokens = tokenize(self.text, s.start, s.end)
            if tokens:
                self._scan_sentence(s, tokens, persons_by_sent.get(s.index, []))
        self._gazetteer_countries()

    def _spacy_persons(self) -> dict[int, list[tuple[int, int]]]:
        doc = self.state.doc
        out: dict[int, list[tuple[int, int]]] = {}
        if doc is None:
            return out
        for ent in doc.ents:
            if ent.label_ != "PERSON" or "\n" in ent.text:
                continue
            start, end = ent.start_char, ent.end_char
            for suffix in ("'s", "’s", "‘s"):
                if self.text[start:end].endswith(suffix):
                    end -= len(suffix)
            if self._looks_like_place(ent, start, end):
                continue
            out.setdefault(self.state.sentence_of(start), []).append((start, end))
        return out

    def _looks_like_place(self, ent: Any, start: int, end: int) -> bool:
        """spaCy's small model calls many towns persons ("seized Goma"): a name after a locative
        preposition, the object of a capture verb, or a gazetteer place of that exact name is a place."""
        if _LOCATIVE_BEFORE.search(self.text, max(0, start - 14), start):
            return True
        root = ent.root
        if root.dep_ in ("dobj", "pobj") and root.head.lemma_.lower() in _PLACE_VERBS:
            return True
        if self.gazetteer is None:
            return False
        name = self.text[start:end]
        return any(fold(p.name) == fold(name) for p in self.gazetteer.candidates(name, limit=3))

    def _scan_sentence(self, s: Sentence, tokens: list[Token], person_ents: list[tuple[int, int]]) -> None:
        matches = self._with_abbreviations(tokens, self._matches(tokens))
        by_start = {m.i: m for m in matches}
        starts = {t.start: k for k, t in enumerate(tokens)}
        ends = {t.end: k for k, t in enumerate(tokens)}
        # spaCy persons the catalogue does not cover become matches of their own.
        covered: set[int] = set()
        for m in matches:
            covered.update(range(m.i, m.j))
        for start, end in person_ents:
            i, j = starts.get(start), ends.get(end)
            if i is None or j is None:
                continue
            span = tokens[i : j + 1]
            inside = [m for m in matches if i <= m.i and m.j <= j + 1]
            if (
                inside
                and all(t.kind in ("person", "country", "demonym") for m in inside for t in m.terms)
                and all(t.raw[:1].isupper() and t.norm not in TITLE_CORE for t in span if t.norm != "al")
                and not any(m.i == i and m.j == j + 1 for m in inside)
            ):
                # A longer name around a known one ("Asma al-Assad", "Abbas Araghchi") is someone else.
                for m in inside:
                    by_start.pop(m.i, None)
                    covered.difference_update(range(m.i, m.j))
            if any(k in covered for k in range(i, j + 1)):
                continue
            if not any(t.has_upper for t in span) or all((t.norm,) in NOUNS for t in span):
                continue
            by_start[i] = _Match(i, j + 1, [Term("ent-person", self.text[start:end])])
            covered.update(range(i, j + 1))
        used: set[int] = set()
        k = 0
        n = len(tokens)
        while k < n:
            if k in used:
                k += 1
                continue
            found = by_start.get(k)
            if found is None:
                k = self._scan_unmatched(s, tokens, k, by_start)
                continue
            k = self._scan_match(s, tokens, found, by_start, used)

    def _matches(self, tokens: list[Token]) -> list[_Match]:
        out: list[_Match] = []
        k = 0
        while k < len(tokens):
            length, terms = self.cat.match_length(tokens, k)
            if length:
                out.append(_Match(k, k + length, terms))
                k += length
            else:
                k += 1
        return out

    def _with_abbreviations(self, tokens: list[Token], matches: list[_Match]) -> list[_Match]:
        """ "The Arakan Army (AA) ... The AA broke the truce": an abbreviation the report defines in brackets
        after an actor's name names that actor wherever the report uses it (the catalogue cannot list every
        short form a newsroom coins). The bracketed definition itself is not another mention."""
        defining: set[int] = set()
        for m in matches:
            if not all(t.kind == "actor" for t in m.terms) or m.j >= len(tokens):
                continue
            nxt = tokens[m.j]
            between = self.text[tokens[m.j - 1].end : nxt.start]
            after = self.text[nxt.end : nxt.end + 2]
            if between.strip() == "(" and after[:1] == ")" and _ABBREVIATION.fullmatch(nxt.raw):
                self.abbreviations.setdefault(nxt.raw, m.terms)
                defining.add(m.j)
        if not self.abbreviations:
            return matches
        taken = {k for m in matches for k in range(m.i, m.j)}
        extra = [
            _Match(k, k + 1, list(self.abbreviations[t.raw]))
            for k, t in enumerate(tokens)
            if k not in taken and k not in defining and t.raw in self.abbreviations
        ]
        return sorted([*matches, *extra], key=lambda m: m.i) if extra else matches

    def _scan_unmatched(self, s: Sentence, tokens: list[Token], k: int, by_start: dict[int, _Match]) -> int:
        tok = tokens[k]
        if tok.norm in _DETERMINERS or tok.norm in _POSSESSIVES:
            for skip in range(3):
                # "the ethnic armed group", "the Iran-backed group": up to two describing words between.
                skipped = tokens[k + 1 : k + 1 + skip]
                if len(skipped) < skip or not all(self._describing(tokens, t) for t in skipped):
                    break
                found = self._coref_at(s, tokens, k, k + 1 + skip, by_start)
                if found:
                    return found
        return k + 1

    def _describing(self, tokens: list[Token], t: Token) -> bool:
        """A word that may stand between "the" and "group": lower case, or part of a hyphenated compound."""
        i = tokens.index(t)
        in_compound = t.joined or (i + 1 < len(tokens) and tokens[i + 1].joined)
        return (t.raw.islower() and t.norm not in _NOT_DESCRIBING) or in_compound

    def _coref_at(
        self, s: Sentence, tokens: list[Token], k: int, first: int, by_start: dict[int, _Match]
    ) -> int:
        """A coreference phrase whose determiner is token ``k`` and whose noun starts at ``first``; returns
        the token after it (0 when there is none)."""
        tok = tokens[k]
        for length in range(_COREF_MAX, 0, -1):
            key = tuple(t.norm for t in tokens[first : first + length])
            if len(key) != length:
                continue
            end = first + length
            follows = tokens[end] if end < len(tokens) else None
            if tok.norm in _POSSESSIVES:
                if length == 1 and key[0] in _MEMBER_NOUNS and first == k + 1:
                    self._add(
                        _Mention(
                            tok.start,
                            tokens[end - 1].end,
                            s.index,
                            "coref",
                            role=key[0],
                            any_kind=True,
                            confidence=0.6,
                        )
                    )
                    return end
                continue
            if key not in COREF or (follows is not None and (follows.norm == "of" or follows.joined)):
                continue
            # "the Islamist group Hayat Tahrir al-Sham": an apposition, not a reference back.
            nxt = by_start.get(end)
            if nxt is not None and any(t.kind == "actor" for t in nxt.terms):
                return end
            if end < len(tokens) and tokens[end].has_upper and tokens[end].norm not in _DETERMINERS:
                return end
            kinds, fallback = COREF[key]
            self._add(
                _Mention(
                    tok.start,
                    tokens[end - 1].end,
                    s.index,
                    "coref",
                    role=" ".join(key),
                    kinds=kinds,
                    fallback=fallback,
                    confidence=0.6,
                )
            )
            return end
        return 0

    def _scan_match(
        self, s: Sentence, tokens: list[Token], m: _Match, by_start: dict[int, _Match], used: set[int]
    ) -> int:
        kinds = {t.kind for t in m.terms}
        head_start = m.i
        if m.i > 0 and tokens[m.i - 1].norm == "the":
            head_start = m.i - 1
        # A modifier inside a hyphenated compound: "Russian-backed", "pro-Assad", "regime-controlled".
        if (m.j < len(tokens) and tokens[m.j].joined) or tokens[m.i].joined:
            led = m.j < len(tokens) and tokens[m.j].joined and tokens[m.j].norm in _LED
            actor = self._head_actor(m)
            if led and actor is not None and not actor.generic:
                after = self._noun_after(tokens, m.j + 1, by_start)
                end = after[0] if after else m.j + 1
                self._add(
                    _Mention(
                        tokens[m.i].start, tokens[end - 1].end, s.index, "named", actor=actor, confidence=0.9
                    )
                )
                return end
            self._note_context(m, tokens)
            return m.j
        if "person" in kinds or "ent-person" in kinds:
            return self._scan_person(s, tokens, m, by_start, used)
        if "generic" in kinds and not kinds & {"actor", "country", "demonym"}:
            before = tokens[m.i - 1] if m.i > 0 else None
            if (
                tokens[m.i].raw[:1].isupper()
                and before is not None
                and m.i > 1
                and before.raw[:1].isupper()
                and self._adjacent(tokens, m.i)
                and not s.heading
            ):
                return m.j  # "the Salvation Army", "Kachin Army": the end of an unknown proper name
            role = next(t.target for t in m.terms if t.kind == "generic")
            start = tokens[head_start].start
            self._add(_Mention(start, tokens[m.j - 1].end, s.index, "generic", role=role, confidence=0.6))
            return m.j
        # A head: an actor, a country or a demonym, perhaps with a noun after it.
        noun = self._noun_after(tokens, m.j, by_start)
        if "actor" in kinds:
            actor = self._pick_actor(m.terms)
            if actor is None:
                return m.j
            alts = tuple(t.target for t in m.terms if t.kind == "actor") if len(m.terms) > 1 else ()
            actor = self._dated(actor, tokens[m.i : m.j])
            if noun and noun[1] in ("forces", "government", "police", "members", "weapons"):
                target = self._retarget(actor, noun[1])
                end = noun[0]
                start = tokens[head_start].start
                title = self._title_after(tokens, end, by_start)
                if title:
                    self._add(
                        _Mention(
                            start,
                            tokens[title[0] - 1].end,
                            s.index,
                            "person",
                            actor=target,
                            title=title[1],
                            confidence=0.85,
                            alternatives=alts,
                        )
                    )
                    return title[0]
                self._add(
                    _Mention(
                        start,
                        tokens[end - 1].end,
                        s.index,
                        "named",
                        actor=target,
                        confidence=0.95,
                        alternatives=alts,
                    )
                )
                return end
            title = self._title_after(tokens, m.j, by_start)
            if title:
                self._add(
                    _Mention(
                        tokens[m.i].start,
                        tokens[title[0] - 1].end,
                        s.index,
                        "person",
                        actor=actor,
                        title=title[1],
                        confidence=0.85,
                        alternatives=alts,
                    )
                )
                return title[0]
            conf = 0.95 if any(t.exact for t in m.terms) else 1.0
            self._add(
                _Mention(
                    tokens[m.i].start,
                    tokens[m.j - 1].end,
                    s.index,
                    "named",
                    actor=actor,
                    confidence=conf,
                    alternatives=alts,
                )
            )
            return m.j
        code = next(t.target for t in m.terms if t.kind in ("country", "demonym"))
        self._note_country(code, tokens[m.i].start)
        if noun is not None:
            end, cls, generic_role = noun
            start = tokens[head_start].start
            if cls in ("forces", "government", "police", "weapons"):
                actor = self.cat.country_actor(code, "forces" if cls == "weapons" else cls, self.day)
                # Only a state's own armed forces fire "Russian missiles"; where a country's entry is its
                # government ("Palestinian rockets"), the weapon says nothing about who fired it.
                if actor is not None and (cls != "weapons" or actor.kind == "state_forces"):
                    title = self._title_after(tokens, end, by_start)
                    if title:
                        self._add(
                            _Mention(
                                start,
                                tokens[title[0] - 1].end,
                                s.index,
                                "person",
                                actor=actor,
                                title=title[1],
                                confidence=0.85,
                            )
                        )
                        return title[0]
                    self._add(
                        _Mention(start, tokens[end - 1].end, s.index, "named", actor=actor, confidence=0.9)
                    )
                    return end
            if generic_role:
                self._add(
                    _Mention(
                        start,
                        tokens[end - 1].end,
                        s.index,
                        "generic",
                        role=generic_role,
                        country=code,
                        confidence=0.6,
                    )
                )
                return end
        if noun is None:
            # "a Ukrainian commander", "a Sudanese official": a person of that country's side.
            title = self._title_after(tokens, m.j, by_start)
            if title:
                words = set(self.text[tokens[m.j].start : tokens[title[0] - 1].end].lower().split())
                role = "forces" if words & _MILITARY_TITLES else "government"
                actor = self.cat.country_actor(code, role, self.day)
                if actor is not None:
                    self._add(
                        _Mention(
                            tokens[m.i].start,
                            tokens[title[0] - 1].end,
                            s.index,
                            "person",
                            actor=actor,
                            title=title[1],
                            confidence=0.8,
                        )
                    )
                    return title[0]
        if "country" in kinds:
            self.subject_countries.append((tokens[m.i].start, tokens[m.j - 1].end, s.index, code))
        return m.j

    def _scan_person(
        self, s: Sentence, tokens: list[Token], m: _Match, by_start: dict[int, _Match], used: set[int]
    ) -> int:
        term = next(t for t in m.terms if t.kind in ("person", "ent-person"))
        person: CataloguePerson | None = None
        if term.kind == "person":
            person = self._pick_person(m.terms)
            # "Asma al-Assad", "Bashar al-Jaafari": a known name inside a longer one is someone else.
            before = tokens[m.i - 1] if m.i > 0 else None
            after = tokens[m.j] if m.j < len(tokens) else None
            if (
                before is not None
                and m.i > 1
                and before.raw[:1].isupper()
                and not _ends_match(by_start, m.i)
                and before.norm not in TITLE_CORE | TITLE_MODIFIERS | _DETERMINERS | _CALENDAR
                and self._adjacent(tokens, m.i)
            ):
                return m.j
            if (
                after is not None
                and after.raw[:1].isupper()
                and not after.joined
                and m.j not in by_start
                and self._adjacent(tokens, m.j)
                and not s.heading  # headings capitalise every word: "Putin Vows Revenge"
            ):
                return m.j
        actor = self.cat.actors.get(person.actor) if person and person.actor else None
        # "Assad's forces", "the Assad regime's forces": the leader's side, not the leader.
        noun = self._noun_after(tokens, m.j, by_start)
        if (
            person is not None
            and noun
            and noun[1] in ("forces", "government", "police", "members", "weapons")
        ):
            head_start = m.i - 1 if m.i > 0 and tokens[m.i - 1].norm == "the" else m.i
            target = self._retarget(actor, noun[1]) if actor else None
            if target is not None:
                self._add(
                    _Mention(
                        tokens[head_start].start,
                        tokens[noun[0] - 1].end,
                        s.index,
                        "named",
                        actor=target,
                        confidence=0.9,
                    )
                )
                return noun[0]
        # Title and affiliation before the name: "HTS leader", "Sudan's army chief", "President".
        start_tok, title, affiliation = self._title_before(tokens, m.i, by_start, used)
        name = person.name if person else term.target
        if person is None and term.kind == "person":
            name = self.text[tokens[m.i].start : tokens[m.j - 1].end]
        if actor is None:
            actor = affiliation
        self._add(
            _Mention(
                tokens[start_tok].start,
                tokens[m.j - 1].end,
                s.index,
                "person",
                actor=actor,
                person=name,
                title=title or (person.title if person else None),
                confidence=0.9 if person else 0.8,
            )
        )
        return m.j

    # --- pieces of a mention ---------------------------------------------------------------------------

    def _noun_after(
        self, tokens: Sequence[Token], j: int, by_start: dict[int, _Match]
    ) -> tuple[int, str, str | None] | None:
        """The noun run after a head: (end token, class, generic role id). "'s" may come before it, and
        nouns chain ("regime's forces")."""
        result: tuple[int, str, str | None] | None = None
        k = j
        while k < len(tokens):
            step = k + 1 if tokens[k].norm == "'s" else k
            # Only words that follow on directly: "Burhan, the army chief" is an apposition,
            # "Mali — Jihadists" a dateline.
            if step >= len(tokens) or not self._adjacent(tokens, k) or not self._adjacent(tokens, step):
                break
            m = by_start.get(step)
            if m is not None:
                roles = [t.target for t in m.terms if t.kind == "generic"]
                if not roles or len(roles) != len(m.terms):
                    break
                role = roles[0]
                result = (m.j, _GENERIC_NOUN.get(role, "members"), role)
                k = m.j
                continue
            for length in range(_NOUN_MAX, 0, -1):
                key = tuple(t.norm for t in tokens[step : step + length])
                if len(key) == length and key in NOUNS:
                    result = (step + length, NOUNS[key], None)
                    k = step + length
                    break
            else:
                break
        if result and result[0] < len(tokens) and tokens[result[0]].joined:
            return None  # "army-controlled", "regime-held": the whole compound is a modifier
        return result

    def _adjacent(self, tokens: Sequence[Token], k: int) -> bool:
        """Whether token ``k`` follows the one before it with nothing but spaces (or a hyphen) between."""
        if k == 0:
            return True
        gap = self.text[tokens[k - 1].end : tokens[k].start]
        return not gap.strip() or tokens[k].joined

    def _title_after(
        self, tokens: Sequence[Token], j: int, by_start: dict[int, _Match]
    ) -> tuple[int, str] | None:
        """ "an HTS spokesperson", "a Hamas official": a title after an actor, with no name after it."""
        # Up to three title words directly after the head, ending on a core word ("senior military official").
        k = -1
        x = j
        while x < min(len(tokens), j + 3) and x not in by_start and self._adjacent(tokens, x):
            norm = tokens[x].norm
            if norm in TITLE_CORE:
                k = x
            elif norm not in TITLE_MODIFIERS or norm in ("the", "of", "in"):
                break
            x += 1
        if k >= 0:
            nxt = tokens[k + 1] if k + 1 < len(tokens) else None
            if nxt is not None and ((nxt.has_upper and (k + 1) in by_start) or nxt.raw[:1].isupper()):
                return None  # a name follows: the person scan owns the whole phrase
            if nxt is not None and nxt.joined:
                return None
            return k + 1, self.text[tokens[j].start : tokens[k].end]
        return None

    def _title_before(
        self, tokens: Sequence[Token], i: int, by_start: dict[int, _Match], used: set[int]
    ) -> tuple[int, str | None, CatalogueActor | None]:
        k = i
        # Walk back over title words, stopping where an actor, country or demonym ends ("HTS| leader").
        while (
            k > 0
            and _match_ending(by_start, k) is None
            and tokens[k - 1].norm not in ("the", "of", "in", "'s")
            and (
                tokens[k - 1].norm in TITLE_CORE
                or tokens[k - 1].norm in TITLE_MODIFIERS
                or (tokens[k - 1].norm,) in NOUNS
            )
        ):
            k -= 1
        run = tokens[k:i]
        if not any(t.norm in TITLE_CORE for t in run):
            return i, None, None
        while run and run[0].norm not in TITLE_CORE and run[0].norm not in TITLE_MODIFIERS:
            run = run[1:]
            k += 1
        title = self.text[run[0].start : run[-1].end] if run else None
        affiliation: CatalogueActor | None = None
        start = k
        prev_end = k - 1 if k > 0 and tokens[k - 1].norm == "'s" else k
        head = _match_ending(by_start, prev_end)
        if head is not None and head.i not in used:
            kinds = {t.kind for t in head.terms}
            if "actor" in kinds:
                affiliation = self._pick_actor(head.terms)
            elif kinds & {"country", "demonym"}:
                code = next(t.target for t in head.terms if t.kind in ("country", "demonym"))
                role = (
                    "forces"
                    if any((t.norm,) in NOUNS and NOUNS[(t.norm,)] == "forces" for t in run)
                    else "government"
                )
                affiliation = self.cat.country_actor(code, role, self.day)
                self._note_country(code, tokens[head.i].start)
            if affiliation is not None:
                start = head.i
                for x in range(head.i, i):
                    used.add(x)
        self._drop_mentions_from(tokens[start].start)
        return start, title, affiliation

    def _drop_mentions_from(self, char: int) -> None:
        # The affiliation head was already emitted as a mention of its own; the person phrase absorbs it.
        while self.mentions and self.mentions[-1].start >= char:
            self.mentions.pop()

    def _head_actor(self, m: _Match) -> CatalogueActor | None:
        kinds = {t.kind for t in m.terms}
        if "actor" in kinds:
            return self._pick_actor(m.terms)
        if "person" in kinds:
            p = self._pick_person(m.terms)
            return self.cat.actors.get(p.actor) if p and p.actor else None
        return None

    def _retarget(self, actor: CatalogueActor, cls: str) -> CatalogueActor:
        """ "Assad regime" + "forces": a government's armed forces are its country's forces actor."""
        if actor.country_code and actor.kind in ("government", "state_forces", "police"):
            cls = "forces" if cls == "weapons" else cls
            want = {"forces": "state_forces", "government": "government", "police": "police"}.get(cls)
            if want and actor.kind != want:
                other = self.cat.country_actor(actor.country_code, cls, self.day)
                if other is not None and other.kind == want:
                    return other
        return actor

    def _pick_actor(self, terms: Sequence[Term]) -> CatalogueActor | None:
        """One actor among those a phrase can name ("SNA": Syrian or Somali National Army): the one whose
        country the article is about, active on its date."""
        actors = [self.cat.actors[t.target] for t in terms if t.kind == "actor"]
        if not actors:
            return None
        if len(actors) > 1:
            ranked = self._rank_countries()
            actors.sort(
                key=lambda a: (
                    not a.active_on(self.day),
                    ranked.index(a.country_code) if a.country_code in ranked else 99,
                )
            )
        return actors[0]

    def _dated(self, actor: CatalogueActor, span: Sequence[Token]) -> CatalogueActor:
        """ "Syrian government forces" in 2025 is the new army: a name made of a demonym and a role noun
        follows the article's date, while a proper name ("the Assad regime") keeps its actor."""
        if actor.active_on(self.day) or not actor.country_code:
            return actor
        codes: list[str] = []
        length = 0
        for length in range(len(span) - 1, 0, -1):
            head = self.cat.match_at(list(span[:length]), 0, whole=True)
            codes = [t.target for t in head if t.kind in ("country", "demonym")]
            if codes:
                break
        rest = tuple(t.norm for t in span[length:])
        if not codes or not rest:
            return actor
        cls = NOUNS.get(rest)
        if cls is None:
            generic = self.cat.match_length(list(span[length:]), 0)
            roles = [t.target for t in generic[1] if t.kind == "generic"] if generic[0] == len(rest) else []
            cls = _STATE_ROLES.get(roles[0]) if roles else None
        other = self.cat.country_actor(codes[0], cls, self.day) if cls else None
        return other if other is not None and other.active_on(self.day) else actor

    def _pick_person(self, terms: Sequence[Term]) -> CataloguePerson | None:
        persons = [self.cat.persons[t.target] for t in terms if t.kind == "person"]
        persons.sort(key=lambda p: not p.active_on(self.day))
        return persons[0] if persons else None

    # --- countries -----------------------------------------------------------------------------------

    def _note_country(self, code: str, char: int, weight: float = 1.0) -> None:
        self.country_weight[code] += weight  # type: ignore[assignment]
        self.country_first.setdefault(code, char)

    def _note_context(self, m: _Match, tokens: Sequence[Token]) -> None:
        for t in m.terms:
            if t.kind in ("country", "demonym"):
                self._note_country(t.target, tokens[m.i].start)
                return
        actor = self._head_actor(m)
        if actor is not None and actor.country_code:
            self._note_country(actor.country_code, tokens[m.i].start, 0.5)

    def _gazetteer_countries(self) -> None:
        """Places spaCy finds (whatever label it gives them) add their country, at half weight."""
        doc = self.state.doc
        if doc is None or self.gazetteer is None:
            return
        taken = SpanIndex((x.start, x.end) for x in self.mentions)
        seen: dict[str, str | None] = {}
        for ent in doc.ents:
            if ent.label_ not in ("GPE", "LOC", "FAC", "ORG", "NORP") or not ent.text[:1].isupper():
                continue
            if taken.overlaps(ent.start_char, ent.end_char):
                continue
            name = ent.text.strip()
            if name not in seen:
                seen[name] = self._place_country(name)
            code = seen[name]
            if code:
                self._note_country(code, ent.start_char, 0.5)

    def _place_country(self, name: str) -> str | None:
        tokens = tokenize(name)
        if not tokens or self.cat.match_length(tokens, 0)[0] == len(tokens):
            return None  # a catalogue name or a country already counted
        assert self.gazetteer is not None
        for place in self.gazetteer.candidates(name, limit=3):
            if fold(place.name) == fold(name) and place.country_code:
                return place.country_code
        return None

    def _rank_countries(self) -> list[str]:
        return sorted(self.country_weight, key=lambda c: (-self.country_weight[c], self.country_first[c]))

    def countries(self) -> list[str]:
        for x in self.mentions:
            if (
                x.how in ("named", "person")
                and x.actor is not None
                and x.actor.country_code
                and not x.alternatives
                and not (x.how == "named" and self._descriptive(x))  # "settlers" says nothing of where
            ):
                self._note_country(x.actor.country_code, x.start)
        ranked = self._rank_countries()
        self.primary = ranked[0] if ranked else None
        return ranked

    # --- resolution --------------------------------------------------------------------------------------

    def _add(self, mention: _Mention) -> None:
        self.mentions.append(mention)

    def resolve(self) -> list[ActorMention]:
        ranked = self._rank_countries()
        top = set(ranked[:3])
        self._subject_country_mentions()
        for x in self.mentions:
            if x.alternatives and x.actor is not None:
                picked = self._pick_actor([Term("actor", a) for a in x.alternatives])
                if picked is not None and picked.id != x.actor.id:
                    x.actor = self._retarget(picked, _KIND_ROLE.get(x.actor.kind, "members"))
        mentions = sorted(self.mentions, key=lambda x: x.start)
        # A description ("settlers", "clan militias") counts only where its country is in play.
        mentions = [
            x
            for x in mentions
            if not (
                x.how == "named"
                and x.actor is not None
                and x.confidence == 1.0
                and self._descriptive(x)
                and x.actor.country_code not in top
            )
        ]
        counts: Counter[str] = Counter(
            x.actor.id for x in mentions if x.how in ("named", "person") and x.actor is not None
        )
        first: dict[str, int] = {}
        for x in mentions:
            if x.how in ("named", "person") and x.actor is not None:
                first.setdefault(x.actor.id, x.start)
        out: list[ActorMention] = []
        known: list[_Mention] = []
        for idx, x in enumerate(mentions):
            if x.how == "person" and x.person:
                self._link_person(x, known)
                known.append(x)
            if x.how == "generic" and x.role:
                self._resolve_generic(x, mentions, idx, counts, first)
            elif x.how == "coref":
                self._resolve_coref(x, mentions, idx)
            out.append(
                ActorMention(
                    start=x.start,
                    end=x.end,
                    text=self.text[x.start : x.end],
                    sent=x.sent,
                    actor=x.actor,
                    how=x.how,
                    person=x.person,
                    title=x.title,
                    confidence=x.confidence,
                )
            )
        return out

    @staticmethod
    def _link_person(x: _Mention, known: list[_Mention]) -> None:
        """ "Ramani" after "Samuel Ramani": the same person, with what was learnt about them."""
        name = x.person or ""
        if " " in name.strip():
            return
        for prev in reversed(known):
            if prev.person and prev.person != name and prev.person.split()[-1] == name:
                x.person = prev.person
                x.actor = x.actor or prev.actor
                x.title = x.title or prev.title
                return

    def _descriptive(self, x: _Mention) -> bool:
        text = self.text[x.start : x.end]
        return text == text.lower()

    def _subject_country_mentions(self) -> None:
        """ "Russia launched 120 drones": a country as the subject of a verb is its state acting."""
        doc = self.state.doc
        if doc is None:
            return
        for start, end, sent, code in self.subject_countries:
            written = self.text[start:end]
            if (
                (written.isupper() and len(written) > 3)
                or self.text[end : end + 1] == ","
                or _DATELINE_BEFORE.search(self.text, max(0, start - 40), start)
            ):
                continue  # a dateline ("KHARTOUM, Sudan (AP) —"), not a state acting
            span: Any = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            root = span.root
            if (
                root.dep_ == "conj"
                and root.head.dep_ in ("nsubj", "nsubjpass")
                and any(t.lower_ in ("and", "&") for t in root.head.doc[root.head.i : root.i])
            ):
                root = root.head  # "Hamas and Israel agreed": both are subjects
            if root.dep_ not in ("nsubj", "nsubjpass", "agent") or root.head.pos_ not in ("VERB", "AUX"):
                continue
            role = "government" if root.head.lemma_.lower() in _SPEECH_LEMMAS else "forces"
            actor = self.cat.country_actor(code, role, self.day)
            if actor is not None:
                self._add(_Mention(start, end, sent, "named", actor=actor, confidence=0.7))

    def _resolve_generic(
        self, x: _Mention, mentions: list[_Mention], idx: int, counts: Counter[str], first: dict[str, int]
    ) -> None:
        role = x.role or ""
        generic = self.cat.generic_for(role)
        if role in _PEOPLE_ROLES or generic is None:
            x.actor = _with_country(generic, x.country) if generic else None
            return

        def fits(a: CatalogueActor | None) -> bool:
            return (
                a is not None
                and not a.generic
                and role in a.roles
                and (x.country is None or a.country_code == x.country)
            )

        window = _RECENT_WINDOW if role in _STATE_ROLES else _NONSTATE_WINDOW
        for prev in reversed(mentions[:idx]):
            if prev.sent < x.sent - window:
                break
            if fits(prev.actor) and prev.how != "coref":
                x.actor, x.confidence = prev.actor, 0.75
                return
        if role in _STATE_ROLES:
            code = x.country or self.primary
            actor = self.cat.country_actor(code, _STATE_ROLES[role], self.day) if code else None
            if actor is not None and (role != "police" or actor.kind == "police" or x.country):
                x.actor, x.confidence = actor, 0.7
                return
            x.actor = _with_country(generic, code)
            return
        for nxt in mentions[idx + 1 :]:
            if nxt.sent != x.sent:
                break
            if fits(nxt.actor) and nxt.how in ("named", "person"):
                x.actor, x.confidence = nxt.actor, 0.7
                return
        candidates = [aid for aid in counts if fits(self.cat.actors.get(aid))]
        if candidates:
            best = max(candidates, key=lambda a: (counts[a], -first[a]))
            x.actor, x.confidence = self.cat.actors[best], 0.6
            return
        x.actor = _with_country(generic, x.country)

    def _resolve_coref(self, x: _Mention, mentions: list[_Mention], idx: int) -> None:
        for prev in reversed(mentions[:idx]):
            if prev.sent < x.sent - _COREF_WINDOW:
                break
            a = prev.actor
            if a is None or a.generic:
                continue
            if x.any_kind or a.kind in x.kinds:
                # "Russia said its forces ...": the forces of the state named, not its government.
                x.actor = self._retarget(a, "forces") if x.role in _FORCE_MEMBERS else a
                return
        fallback = self.cat.generic_for(x.fallback) if x.fallback else None
        if fallback is not None:
            x.actor, x.how, x.confidence = fallback, "generic", 0.5
        else:
            x.how, x.confidence = "unresolved", 0.3


def _with_country(actor: CatalogueActor | None, code: str | None) -> CatalogueActor | None:
    if actor is None or code is None or actor.country_code == code:
        return actor
    return replace(actor, country_code=code)


def _match_ending(by_start: dict[int, _Match], end: int) -> _Match | None:
    for m in by_start.values():
        if m.j == end:
            return m
    return None


def _ends_match(by_start: dict[int, _Match], end: int) -> bool:
    return _match_ending(by_start, end) is not None
