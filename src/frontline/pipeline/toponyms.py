"""Stage ``toponyms``: every place reference in the article, resolved against GeoNames.

What it finds, in text order, as ``PlaceMention``s:

- named places: spaCy's GPE/LOC/FAC entities, other entities whose whole text is a place the article's
  context supports (the small English model reads "Hama" as ORG and "Aleppo" as NORP), and runs of proper
  nouns the NER missed that the gazetteer knows;
- demonyms ("Syrian", "Ukrainians"), tied to their country (``demonym=True``): context, never an event place;
- compound references, kept with what they mean: "Hama province" (the province, precision 3), "the
  northern Aleppo countryside" and "the outskirts of Homs" (precision 2 with the qualifier), "30 miles
  south of Hama" (precision 2);
- anaphors, "the city", "the town", "the province", "the capital" (``anaphor=True``), resolved to the last
  compatible place before them, or the capital of the article's country.

``event_place`` picks, from a sentence's places, the one an event happened at, using the parse.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from ..gazetteer.base import Gazetteer, Place
from ..gazetteer.normalise import skeleton_key
from ..gazetteer.resolve import Context, big_enough_for_a_word, inside, matches, resolve
from ..gazetteer.words import (
    AMBIGUOUS_NAMES,
    ANAPHOR_NOUNS,
    COMMON_WORD_PLACES,
    COUNTRY_ABBREVIATIONS,
    DEMONYMS,
    DIRECTION_WORDS,
    DISTANCE_UNITS,
    DIVISION_NOUNS,
    NEAR_WORDS,
    REGION_ADJECTIVES,
)
from .base import PlaceMention, SpanIndex, State

if TYPE_CHECKING:
    from collections.abc import Callable

    from spacy.tokens import Doc, Span, Token

_STOP_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "and",
        "or",
        "but",
        "of",
        "in",
        "on",
        "at",
        "to",
        "from",
        "by",
        "for",
        "with",
        "as",
        "is",
        "was",
        "are",
        "were",
        "be",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "you",
        "his",
        "her",
        "their",
        "our",
        "my",
        "your",
        "who",
        "which",
        "what",
        "when",
        "where",
        "there",
        "here",
        "then",
        "than",
        "not",
        "no",
    ]
)
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Entities of these labels are places only when their whole text is a place the context supports.
OTHER_LABELS = frozenset({"ORG", "NORP", "PERSON", "PRODUCT", "WORK_OF_ART", "EVENT"})
_PRECISION = {"country": 3, "admin1": 3, "admin2": 2, "city": 1, "region": 3, "other": 1}
_ANAPHOR = re.compile(r"\b(?:the|this|that)\s+(" + "|".join(ANAPHOR_NOUNS) + r")\b(?:['’]s)?", re.IGNORECASE)
# Words before a place name that belong to the place, not to a person ("Greater Idlib", "Upper Nile").
_PLACE_PREFIXES = frozenset(
    {"greater", "upper", "lower", "new", "old", "inner", "outer", "metropolitan", "rural"}
)
# "Australia-wide", "Kyiv-based", "Idlib-held": the place is still named (unlike "Asia-Pacific").
_PLACE_SUFFIXES = frozenset(
    {"wide", "based", "backed", "led", "born", "bound", "controlled", "held", "run", "area", "border"}
)
# Facilities and parts of towns: named places that GeoNames' towns do not hold; placed at the town they
# are in, with precision 2 (ACLED's "part of a town").
_FACILITY_WORDS = frozenset(
    {
        "airport",
        "airbase",
        "base",
        "prison",
        "jail",
        "camp",
        "crossing",
        "checkpoint",
        "university",
        "hospital",
        "port",
        "harbour",
        "harbor",
        "bridge",
        "dam",
        "square",
        "street",
        "road",
        "avenue",
        "market",
        "mosque",
        "church",
        "cathedral",
        "stadium",
        "station",
        "barracks",
        "school",
        "college",
        "plant",
        "refinery",
        "palace",
        "compound",
    }
)
# "the X neighbourhood of Aleppo": the place named after "of" contains the one meant.
_PART_NOUNS = frozenset({"neighbourhood", "neighborhood", "suburb", "suburbs", "district", "quarter"})
# Words between two places that put the first inside the second: "in", "near", "outside", "on the
# outskirts of", "in the northern countryside of", "village in Hama province" (the noun is part of the
# first name's compound).
_CONTAINED = re.compile(
    r"^\s*(?:,\s*)?(?:(?:village|town|city|area|district|neighbou?rhood|camp)\s+)?"
    r"(?:in|near|outside|of|on the (?:outskirts|edge|edges) of)"
    r"(?:\s+the)?(?:\s+(?:northern|southern|eastern|western|central|rural|north|south|east|west))?"
    r"(?:\s+(?:countryside|outskirts|suburbs|province|governorate|region|district|state|oblast))?"
    r"(?:\s+of)?\s*$",
    re.IGNORECASE,
)
_RANK = {"country": 4, "region": 4, "admin1": 3, "admin2": 2, "city": 1, "other": 1}
# Arabic articles as the tokenizer splits them off ("al", "-", "Numan").
_ARTICLE_TOKENS = frozenset({"al", "el", "an", "ar", "as", "ash", "ad", "at", "az", "ed", "es", "ez"})
# Prepositions that put an event somewhere ("in Hama", "over Kyiv", "along the road to Homs").
_PLACE_PREPOSITIONS = frozenset(
    [
        "in",
        "at",
        "near",
        "on",
        "into",
        "onto",
        "over",
        "outside",
        "around",
        "across",
        "along",
        "toward",
        "towards",
        "of",
        "inside",
        "within",
        "between",
        "behind",
        "through",
        "throughout",
        "beyond",
        "off",
        "under",
    ]
)
WEAPON_NOUNS = frozenset(
    {
        "missile",
        "missiles",
        "drone",
        "drones",
        "rocket",
        "rockets",
        "airstrike",
        "airstrikes",
        "strike",
        "strikes",
        "warplane",
        "warplanes",
        "jet",
        "jets",
        "shelling",
        "artillery",
        "attack",
        "attacks",
        "bombardment",
        "offensive",
        "soldier",
        "soldiers",
    }
)
# A noun after which "X's" says what owns it, not where something is: "Russia's army".
ACTOR_NOUNS = frozenset(
    {
        "army",
        "forces",
        "force",
        "troops",
        "government",
        "regime",
        "military",
        "ministry",
        "president",
        "leader",
        "leaders",
        "officials",
        "official",
        "police",
        "navy",
        "people",
        "population",
        "allies",
        "ally",
        "minister",
        "embassy",
        "spokesman",
        "spokesperson",
        "soldiers",
        "fighters",
        "militia",
        "militias",
        "rebels",
        "authorities",
    }
)


@dataclass
class _Raw:
    start: int
    end: int
    text: str
    label: str  # the NER label, "SCAN" for the gazetteer scan, "AGAIN" for a name read as a place before
    tokens: tuple[int, int]  # token range [i, j)
    hint: str | None = None
    qualifier: str | None = None
    precision: int | None = None
    within: Place | None = None  # "Tripoli, Lebanon": the place named as qualifier
    part_of: bool = False  # "northern Syria": a part of the place
    forced: Place | None = None  # "US", "UK": an abbreviation that names one country
    word: bool = False  # also an ordinary English word ("West", "Congress"): only a big place will do
    # A facility or part of a town ("Baghdad International Airport", "Kibera"): the name of the town it
    # names inside it, if any; placed at that town (or the town the text puts it in), precision 2.
    facility: bool = False
    town: str | None = None


class ToponymStage:
    name = "toponyms"
    requires: tuple[str, ...] = ("doc", "sentences", "actors")
    sets: tuple[str, ...] = ("places",)

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    # -- entry point ---------------------------------------------------------------------------------

    def __call__(self, state: State) -> None:
        doc = state.doc
        if doc is None:
            state.places = []
            return
        context = self._initial_context(state)
        raws, demonyms = self._find(doc, state, context)
        for raw in raws:
            self._compound(doc, raw)
        places = self._resolve(state, raws, context)
        places += demonyms
        places += self._anaphors(state, places, context)
        places.sort(key=lambda m: (m.start, m.end))
        state.places = places
        # The article's country context, most salient first, for later stages (and the actors stage's own).
        ranked = context.ranked()
        state.countries = list(dict.fromkeys([*state.countries, *ranked]))

    # -- context -----------------------------------------------------------------------------------

    def _initial_context(self, state: State) -> Context:
        ctx = Context()
        # The actors stage's ranking is a hint (it guesses some places' countries from their first
        # gazetteer reading); what this stage reads itself (countries named, demonyms, clear places)
        # weighs more.
        for rank_, code in enumerate(state.countries):
            ctx.countries[code] += max(0.3, 1.0 - 0.3 * rank_)
        for actor in state.actors:
            # foreign forces fight abroad: "Russian forces" in a Ukraine report say nothing of where
            if actor.actor is not None and actor.actor.country_code and actor.actor.side != "foreign forces":
                ctx.countries[actor.actor.country_code] += 0.5
        return ctx

    # -- recognition -------------------------------------------------------------------------------

    def _find(self, doc: Doc, state: State, ctx: Context) -> tuple[list[_Raw], list[PlaceMention]]:
        taken = [False] * len(doc)  # tokens already in a place name
        blocked = [False] * len(doc)  # tokens of people and organisations: never scanned for places
        persons = _person_names(doc, self.gazetteer)
        # Catalogue actors are not places; a lone "person" the NER guessed may well be one ("Avdiivka").
        actor_spans = SpanIndex((a.start, a.end) for a in state.actors if a.actor is not None)
        raws: list[_Raw] = []
        demonyms: list[PlaceMention] = []

        # Demonyms first, wherever they are (inside "The Syrian Defense Ministry" too): they are context.
        for tok in doc:
            code = DEMONYMS.get(tok.text)
            if code is not None and self._names_a_country(tok.text):
                code = None  # "Philippines", "Laos": plural-looking demonyms that are the country's name
            if code is not None:
                country = self.gazetteer.country(code)
                demonyms.append(
                    PlaceMention(
                        start=tok.idx,
                        end=tok.idx + len(tok.text),
                        text=tok.text,
                        sent=_sent(state, tok.idx),
                        place=country,
                        feature="country",
                        precision=3,
                        demonym=True,
                        confidence=0.9,
                    )
                )
                # "Russian missiles", "Israeli forces" name who acts, not where: a weaker hint than "Syrian
                # towns" or a country named outright
                ctx.countries[code] += 0.4 if tok.head.lemma_.lower() in ACTOR_NOUNS | WEAPON_NOUNS else 1.0

        is_word = getattr(self.gazetteer, "is_word", None)

        def add(
            a: int, b: int, label: str, forced: Place | None = None, town: tuple[int, int] | None = None
        ) -> None:
            sub = doc[a:b]
            after = state.text[sub.end_char : sub.end_char + 2]
            suffix = re.match(r"-([a-z]+)", state.text[sub.end_char : sub.end_char + 14])
            if sub.text.endswith("-") or (
                after[:1] == "-"
                and after[1:2].isalpha()
                and forced is None
                and not (suffix and suffix.group(1) in _PLACE_SUFFIXES)
            ):
                return  # "Asia-Pacific", "East-West": part of a compound word, not a place
            word = b - a == 1 and is_word is not None and bool(is_word(sub.text))
            raw = _Raw(sub.start_char, sub.end_char, sub.text, label, (a, b), word=word, forced=forced)
            if town is not None or (label == "FAC" and forced is None):
                raw.facility, raw.word = True, False
                raw.town = doc[town[0] : town[1]].text if town is not None else None
            raws.append(raw)
            for k in range(a, b):
                taken[k] = True

        spans: list[tuple[Span, str]] = []
        for ent in doc.ents:
            label = ent.label_
            if label in ("PERSON", "ORG"):
                for k in range(ent.start, ent.end):
                    blocked[k] = True
            if label not in PLACE_LABELS and label not in OTHER_LABELS:
                continue
            i, j = ent.start, ent.end
            while i < j and doc[i].lower_ in ("the", "a", "an"):
                i += 1
            while j > i and (doc[j - 1].is_punct or doc[j - 1].text in ("'s", "’s")):
                j -= 1
            if i >= j:
                continue
            span = doc[i:j]
            if span.text in DEMONYMS and not self._names_a_country(span.text):
                continue  # "Ukrainian" even when the NER calls it GPE: a demonym, found above
            if label == "NORP" and all(t.pos_ == "ADJ" for t in span):
                continue  # "Jewish", "Kurdish", "Sunni": a people or a faith, not a place
            if span.text in COUNTRY_ABBREVIATIONS:
                country = self.gazetteer.country(COUNTRY_ABBREVIATIONS[span.text])
                if country is not None:
                    add(span.start, span.end, label, forced=country)  # "US-backed" too: the country
                continue
            if label not in PLACE_LABELS and (
                actor_spans.holds(span.start_char) or actor_spans.ends_in(span.end_char)
            ):
                continue  # the actors stage read it as an actor ("Hayat Tahrir al-Sham")
            if _part_of_a_name(doc, i):
                continue  # "Ibrahim Mali": a surname, not the country
            spans.append((span, label))

        # What the NER calls places, first; the names found there tell which countries the article is
        # about, which is the evidence the other entities need ("Hama" read as ORG is a place in an
        # article about Syria).
        for span, label in spans:
            if label not in PLACE_LABELS and not _place_cue(doc, span):
                continue
            if any(taken[k] for k in range(span.start, span.end)):
                continue  # already part of a longer name found next to it
            if _is_facility(span, label):
                # "Baghdad International Airport", "Aleppo Central Prison": kept whole, with its name,
                # and placed at the town named in it (or, below, the town the text puts it in).
                if self._is_place_name(span.text, strict=True, ctx=ctx, persons=persons):
                    add(span.start, span.end, label)  # a facility GeoNames has as a place of its own
                    continue
                inner = self._name_in(span, strict=False, ctx=ctx, persons=persons)
                add(span.start, span.end, "FAC", town=inner[0] if inner else None)
                continue
            found = self._name_in(span, strict=False, ctx=ctx, persons=persons)
            found = [self._extend(doc, a, b, taken) for a, b in found]
            if (
                not found
                and (label in ("GPE", "LOC") or _place_cue(doc, span))
                and _looks_like_name(span)
                and span.text not in persons
            ):
                found = [(span.start, span.end)]  # a place the gazetteer does not know: kept, unresolved
            for a, b in found:
                add(a, b, label)
        provisional = Context(countries=defaultdict(float, ctx.countries))
        for raw in raws:
            place, conf = resolve(self.gazetteer, raw.text, ctx)
            if place is not None and place.country_code:
                provisional.countries[place.country_code] += 2.0 if place.feature == "country" else conf
        for span, label in spans:
            if (
                label in PLACE_LABELS
                or _place_cue(doc, span)
                or any(taken[k] for k in range(span.start, span.end))
            ):
                continue
            for a, b in self._name_in(span, strict=True, ctx=provisional, persons=persons, label=label):
                add(*self._extend(doc, a, b, taken), label)

        # Proper-noun runs the NER left alone.
        k = 0
        while k < len(doc):
            if taken[k] or blocked[k] or doc[k].pos_ != "PROPN" or doc[k].ent_type_ in ("DATE", "TIME"):
                k += 1
                continue
            j = k
            while (
                j < len(doc)
                and not taken[j]
                and not blocked[j]
                and (doc[j].pos_ == "PROPN" or doc[j].text == "-")
            ):
                j += 1
            found = self._name_in(doc[k:j], strict=True, ctx=provisional, persons=persons)
            if not found and j > k and _place_cue(doc, doc[k:j]) and _looks_like_name(doc[k:j]):
                found = [(k, j)]  # "Kunlong, where ...": a place by its words, unknown to the gazetteer
            for a, b in found:
                add(a, b, "SCAN")
            k = max(j, k + 1)
        self._again(doc, raws, taken, actor_spans, persons, add)
        raws.sort(key=lambda r: r.start)
        for raw in raws:
            self._facility_after(doc, raw, taken)
        return raws, demonyms

    def _again(
        self,
        doc: Doc,
        raws: list[_Raw],
        taken: list[bool],
        actor_spans: SpanIndex,
        persons: set[str],
        add: Callable[..., None],
    ) -> None:
        """One name, one sense in a report: a name read as a place once is that place again where the NER
        missed it or took it for someone ("Islamist fighters overran the town of Konna ... Malian troops
        retook Konna a week later"), unless the report also names a person so."""
        names: dict[str, list[tuple[str, ...]]] = {}
        for raw in raws:
            a, b = raw.tokens
            words = tuple(t.text for t in doc[a:b])
            if raw.facility or not words[0][:1].isupper() or raw.text in persons or raw.text in DEMONYMS:
                continue
            names.setdefault(words[0], []).append(words)
        if not names:
            return
        for k, tok in enumerate(doc):
            for words in names.get(tok.text, ()):
                end = k + len(words)
                if end > len(doc) or tuple(t.text for t in doc[k:end]) != words:
                    continue
                if any(taken[i] for i in range(k, end)) or actor_spans.holds(tok.idx):
                    continue
                if (k > 0 and doc[k - 1].pos_ == "PROPN" and not taken[k - 1]) or (
                    end < len(doc) and doc[end].pos_ == "PROPN"
                ):
                    continue  # part of a longer name ("Konna Road", "Abu Konna")
                add(k, end, "AGAIN")
                break

    def _facility_after(self, doc: Doc, raw: _Raw, taken: list[bool]) -> None:
        """A town name followed by the rest of a facility's name ("Baghdad" + "International Airport",
        "Aleppo" + "Central Prison", "Kandahar" + "Air Base"; the ruler tags the town before the NER can
        tag the facility): the whole name becomes the facility, placed at that town."""
        if raw.forced is not None or raw.facility:
            return
        i, j = raw.tokens
        for end in range(j + 1, min(len(doc), j + 4) + 1):
            tail = doc[j:end]
            if taken[end - 1] or not all(t.is_title and t.is_alpha for t in tail):
                return
            if tail[-1].lower_ in _FACILITY_WORDS:
                raw.town, raw.facility, raw.word = raw.text, True, False
                raw.end = tail.end_char
                raw.text = doc[i:end].text
                raw.tokens = (i, end)
                raw.label = "FAC"
                for k in range(j, end):
                    taken[k] = True
                return

    def _names_a_country(self, text: str) -> bool:
        """Whether a word is a country's own name ("Philippines"), not only a people's."""
        return any(q == 0 and p.feature == "country" for p, q in matches(self.gazetteer, text, limit=5))

    def _extend(self, doc: Doc, a: int, b: int, taken: list[bool]) -> tuple[int, int]:
        """Widen a place name over neighbouring name tokens the tokenizer or NER split off ("Maarat al-"
        + "Numan"), when the wider text is a better-known name."""
        best = (a, b)
        for left in range(0, 5):
            for right in range(0, 4):
                if not left and not right:
                    continue
                i, j = a - left, b + right
                if (
                    i < 0
                    or j > len(doc)
                    or any(taken[k] for k in range(i, a))
                    or any(taken[k] for k in range(b, j))
                ):
                    continue
                if not all(_name_token(doc[k]) for k in (*range(i, a), *range(b, j))):
                    continue
                if doc[i].is_punct or doc[j - 1].is_punct:
                    continue
                if doc[i].lower_ in _ARTICLE_TOKENS and not (i + 1 < j and doc[i + 1].text in ("-", "‐")):
                    continue  # "al-Hamra" starts a name, "at Israel" does not
                if doc[j - 1].lower_ in _ARTICLE_TOKENS:
                    continue  # "Nigeria as" is no name
                q = min((q for _, q in matches(self.gazetteer, doc[i:j].text, limit=30)), default=9)
                # A longer name that matches at all is the more specific reading ("Maarat al-Numan", not
                # "Numan" in Nigeria).
                if q <= 2 and (j - i) > (best[1] - best[0]):
                    best = (i, j)
        return best

    def _name_in(
        self, span: Span, *, strict: bool, ctx: Context, persons: set[str], label: str = ""
    ) -> list[tuple[int, int]]:
        """Token ranges inside ``span`` that name places: the whole span if it does, else its longest
        parts ("Hama marks" -> "Hama"). ``strict`` asks for more evidence (for non-place labels)."""
        if self._is_place_name(span.text, strict=strict, ctx=ctx, persons=persons):
            return [(span.start, span.end)]
        out: list[tuple[int, int]] = []
        n = len(span)
        if n == 1:
            return out
        a = span.start
        # Without the NER's word that this is a place, a part of a longer name must start it: "Aleppo
        # Governor Hussein" names Aleppo, "Ibrahim Mali" does not name Mali.
        last_start = span.start + 1 if strict else span.end
        if strict and n > 2 and label in ("ORG", "FAC"):
            # ... or end an organisation's or facility's name: "SOS Children's Villages Sudan",
            # "Bank of England" (its first word is no given name a surname could follow).
            for a2 in range(span.end - 1, span.start + 1, -1):
                part = span.doc[a2 : span.end]
                if part[0].is_title and self._is_place_name(part.text, strict=True, ctx=ctx, persons=persons):
                    return [(a2, span.end)]
        while a < min(span.end, last_start):
            for b in range(min(span.end, a + 5), a, -1):
                part = span.doc[a:b]
                if (
                    part[0].is_title
                    and b - a != n
                    and self._is_place_name(part.text, strict=True, ctx=ctx, persons=persons)
                ):
                    out.append((a, b))
                    a = b - 1
                    break
            a += 1
        return out

    def _is_place_name(self, text: str, *, strict: bool, ctx: Context, persons: set[str]) -> bool:
        if not text or not text[0].isupper() or len(text) < 2:
            return False
        low = text.lower()
        if low in _STOP_WORDS or len(low) < 3 or text in DEMONYMS:
            return False
        if text.isupper() and len(text) <= 3:
            return False  # "LPC", "BTA": acronyms (country abbreviations are handled before)
        is_word = getattr(self.gazetteer, "is_word", None)
        word = " " not in text and is_word is not None and bool(is_word(text))
        if strict and (low in AMBIGUOUS_NAMES or low in COMMON_WORD_PLACES or text in persons):
            return False
        cands = matches(self.gazetteer, text, limit=30)
        if not cands:
            return False
        if not strict:
            return any(q <= 2 for _, q in cands) or any(
                ctx.country_weight(p.country_code) >= 0.3 for p, _ in cands
            )
        for place, quality in cands:
            if quality > 2:
                continue
            if word and not big_enough_for_a_word(place, quality, ctx.country_weight(place.country_code)):
                continue  # "Congress", "Bush": an English word, unless it names a place news would name
            if place.feature in ("country", "admin1", "region") and quality <= 1:
                return True
            if ctx.country_weight(place.country_code) >= 0.3 and (quality <= 1 or place.population >= 10_000):
                return True
            if place.population >= 100_000 and quality <= 1:
                return True
        return False

    # -- compounds ---------------------------------------------------------------------------------

    def _compound(self, doc: Doc, raw: _Raw) -> None:
        i, j = raw.tokens
        nxt = doc[j] if j < len(doc) else None
        # "Hama province", "Aleppo city", "Aleppo countryside", "Homs outskirts".
        if nxt is not None and nxt.lower_ in DIVISION_NOUNS:
            raw.hint = DIVISION_NOUNS[nxt.lower_]
            raw.qualifier = nxt.lower_
            raw.precision = _PRECISION.get(raw.hint, 1) if raw.hint != "city" else 1
        elif nxt is not None and nxt.lower_ in NEAR_WORDS and nxt.pos_ == "NOUN":
            raw.qualifier = nxt.lower_
            raw.precision = 2
        prev = doc[i - 1] if i > 0 else None
        # "the Sheikh Maqsoud neighbourhood of Aleppo", "the Ariha district of Idlib": a part of the place.
        if prev is not None and prev.lower_ == "of" and i > 1 and doc[i - 2].lower_ in _PART_NOUNS:
            raw.qualifier = doc[i - 2].lower_
            raw.precision = 2
            return
        # "the city of Hama", "the province of Idlib".
        if prev is not None and prev.lower_ == "of" and i > 1 and doc[i - 2].lower_ in DIVISION_NOUNS:
            raw.hint = DIVISION_NOUNS[doc[i - 2].lower_]
            raw.precision = _PRECISION.get(raw.hint, 1) if raw.hint != "city" else 1
            if raw.hint != "city":
                raw.qualifier = doc[i - 2].lower_
            return
        # "the outskirts of Homs", "30 miles south of Hama", "the countryside of Aleppo".
        if prev is not None and prev.lower_ == "of" and i > 1 and doc[i - 2].lower_ in NEAR_WORDS:
            a = i - 2
            if doc[a].lower_ in DIRECTION_WORDS and a >= 2 and doc[a - 1].lower_ in DISTANCE_UNITS:
                a -= 2 if doc[a - 2].like_num else 1
            while a > 0 and doc[a - 1].lower_ in REGION_ADJECTIVES:
                a -= 1
            raw.qualifier = doc[a : i - 1].text
            raw.precision = 2
            return
        # "near Homs", "outside Hama", "around Kharkiv".
        if prev is not None and prev.lower_ in ("near", "outside", "around", "nearby", "outskirts"):
            raw.qualifier = prev.lower_
            raw.precision = 2
            return
        # "northern Syria", "the northern Aleppo countryside".
        if prev is not None and prev.lower_ in REGION_ADJECTIVES:
            raw.qualifier = prev.lower_ + (f" {raw.qualifier}" if raw.qualifier else "")
            # Part of a town is near it (2); part of a country or province is still a region (3), which
            # the feature's own precision says once it is resolved.
            raw.precision = raw.precision or 2
            raw.part_of = True

    # -- resolution --------------------------------------------------------------------------------

    def _resolve(self, state: State, raws: list[_Raw], ctx: Context) -> list[PlaceMention]:
        gaz = self.gazetteer
        # Pass 1: places that resolve on their own (countries, and names with one clear reading) set
        # the article's countries and provinces for the rest.
        first: dict[tuple[str, str | None], Place | None] = {}
        for raw in raws:
            key = (skeleton_key(raw.text), raw.hint)
            if key in first:
                continue
            place, conf = (
                (raw.forced, 0.95)
                if raw.forced
                else resolve(gaz, raw.town or raw.text, ctx, hint=raw.hint, word=raw.word)
            )
            if raw.facility:
                place = _town_of(place)
                first[key] = place
                continue  # a facility says nothing new about the article's countries
            first[key] = place
            if place is None:
                continue
            # Countries named outright weigh most; other places vote by how sure their reading is.
            ctx.countries[place.country_code or ""] += 2.0 if place.feature == "country" else conf
        # Explicit qualifiers: "Tripoli, Lebanon", "Paris, Texas" (a country or province right after a
        # comma; a list, "Hama, Homs and Aleppo" or "Syria, Iraq and Lebanon", names places of the same
        # kind instead), and "Jobar on the outskirts of Damascus", "al-Hamra village in Hama province"
        # (a place said to lie in another).
        for a, b in pairwise(raws):
            between = state.text[a.end : b.start]
            qual = first.get((skeleton_key(b.text), b.hint))
            own = first.get((skeleton_key(a.text), a.hint))
            if qual is None or a.within is not None:
                continue
            if between.strip() == ",":
                if state.text[b.end : b.end + 5].lstrip().startswith("and"):
                    continue
                # "Kibera, Nairobi": a part of a town the gazetteer does not hold, then the town.
                unknown = own is None or a.facility
                town_after = unknown and qual.feature == "city"
                if (qual.feature not in ("country", "admin1") and not town_after) or (
                    own is not None and own.feature == qual.feature and not a.facility
                ):
                    continue
            elif not _CONTAINED.match(between) or (
                own is not None and _RANK[own.feature] > _RANK[qual.feature]
            ):
                continue  # not said to lie in it; "Syria in Hama" is no qualifier
            # After a comma the second name may start a list after all: only a reading inside it makes
            # it a qualifier. "In", "near", "on the outskirts of" say so outright, and a reading outside
            # is then ruled out.
            if (
                between.strip() != ","
                or (own is None or a.facility)
                or any(inside(p, qual) for p, _ in matches(gaz, a.text))
            ):
                a.within = qual
        # Pass 2: everything, with the context now known; one reading per name (and hint) per article.
        for place in first.values():
            if place is not None and place.feature == "admin1" and place.country_code and place.admin1_code:
                ctx.admin1.add((place.country_code, place.admin1_code))
            if place is not None and place.feature == "city":
                ctx.points.append((place.lat, place.lon))
        done: dict[tuple[str, str | None, int | None], tuple[Place | None, float]] = {}
        out: list[PlaceMention] = []
        for raw in raws:
            name_key = skeleton_key(raw.text)
            reading = (name_key, raw.hint, raw.within.geonameid if raw.within else None)
            if reading not in done:
                own = first.get((name_key, raw.hint))
                points = ctx.points
                if own is not None:  # proximity to the others, not to itself
                    ctx.points = [p for p in points if p != (own.lat, own.lon)]
                found = (
                    (raw.forced, 0.95)
                    if raw.forced
                    else resolve(
                        gaz, raw.town or raw.text, ctx, hint=raw.hint, qualifier=raw.within, word=raw.word
                    )
                )
                if raw.facility or (found[0] is None and raw.within is not None):
                    # A facility, or a part of a town the gazetteer does not hold ("Kibera, Nairobi"): at
                    # the town named in it or the one the text puts it in, never at a country's point.
                    town = _town_of(found[0]) or _town_of(raw.within)
                    found = (town, min(found[1] or 0.6, 0.6)) if town is not None else (None, 0.0)
                done[reading] = found
                ctx.points = points
            place, conf = done[reading]
            feature = place.feature if place else (raw.hint or "other")
            precision = raw.precision or _PRECISION.get(feature, 1)
            if raw.part_of:
                precision = max(precision, _PRECISION.get(feature, 1))
            if place is not None and (raw.facility or place is raw.within):
                feature, precision = "other", 2  # a place inside the town: ACLED's precision 2
            out.append(
                PlaceMention(
                    start=raw.start,
                    end=raw.end,
                    text=raw.text,
                    sent=_sent(state, raw.start),
                    place=place,
                    feature=feature if feature in _PRECISION else "other",
                    precision=precision,
                    qualifier=raw.qualifier,
                    confidence=conf if place else 0.3,
                )
            )
        return out

    # -- anaphors ----------------------------------------------------------------------------------

    def _anaphors(self, state: State, places: list[PlaceMention], ctx: Context) -> list[PlaceMention]:
        # a dateline's place is where the report was filed: "the town" further on is never it
        named = sorted(
            (p for p in places if not p.demonym and p.place is not None and not is_dateline(state, p)),
            key=lambda p: p.start,
        )
        out: list[PlaceMention] = []
        text = state.text
        for m in _ANAPHOR.finditer(text):
            noun = m.group(1).lower()
            after = text[m.end() : m.end() + 40]
            # "the city of Hama", "the capital, Damascus": the name follows; it is found as a compound.
            # "the town of al-Safira": a name may open with the Arabic article in lower case
            if re.match(r"\s*(of\s+|,?\s*)(?:[a-z]{1,3}-)?[A-Z]", after):
                continue
            start = m.start()
            name_end = m.start(1) + len(m.group(1))
            place: Place | None = None
            # In apposition ("Maiduguri, the capital of Borno"), the anaphor is the place just named.
            before_comma = next((p for p in reversed(named) if p.end <= start), None)
            appositive = (
                before_comma is not None
                and before_comma.place is not None
                and text[before_comma.end : start].strip() == ","
                and before_comma.place.feature in ANAPHOR_NOUNS[noun]
            )
            if appositive and before_comma is not None:
                place = before_comma.place
            elif noun == "capital":
                top = ctx.ranked()[:1]
                capital_of = getattr(self.gazetteer, "capital", None)
                if top and capital_of is not None:
                    place = capital_of(top[0])
            else:
                wanted = ANAPHOR_NOUNS[noun]
                for prev in reversed(named):
                    if prev.end <= start and prev.place is not None and prev.place.feature in wanted:
                        place = prev.place
                        break
            if place is None:
                continue
            qualifier, precision = None, _PRECISION.get(place.feature, 1)
            before = text[max(0, start - 30) : start].lower().split()
            if before and before[-1] in ("outside", "near", "around"):
                qualifier, precision = before[-1], 2
            elif len(before) >= 2 and before[-1] == "of" and before[-2] in NEAR_WORDS:
                qualifier, precision = before[-2], 2
            out.append(
                PlaceMention(
                    start=start,
                    end=name_end,
                    text=text[start:name_end],
                    sent=_sent(state, start),
                    place=place,
                    feature=place.feature,
                    precision=precision,
                    qualifier=qualifier,
                    anaphor=True,
                    confidence=0.7,
                )
            )
        return out


# What follows a dateline's place before the story starts: a dash, or the agency in brackets ("Kabul,
# Aug 15 (Reuters) -", "Hama, Syria — ").
_DATELINE_END = re.compile(r"^[^.\n]{0,50}?(?:\s[—–-]{1,2}\s|[—–]|\((?:[A-Z][A-Za-z]*\.?\s?){1,3}\))")


def is_dateline(state: State, p: PlaceMention) -> bool:
    """ "YANGON, Aug 4 —": the place a report was filed from, not a place it is about. A sentence that
    opens with a place and an apposition ("Jalalabad, the capital of Nangarhar, was handed ...") is about
    it: a dateline in mixed case ends in a dash or the agency's name shortly after the place."""
    s = state.sentences[p.sent]
    if p.start - s.start > 2:
        return False
    if p.text.isupper():
        return True
    head = state.text[s.start : p.end + 3]
    return bool(re.match(r"^\W*[A-Z][\w .'-]*,\s", head)) and bool(
        _DATELINE_END.match(state.text[p.end : s.end])
    )


def off_datelines(state: State, places: list[PlaceMention]) -> list[PlaceMention]:
    """The places that are not the report's dateline, or all of them when the dateline is the only one:
    where the report was filed is the event's place only when the sentence names no other."""
    return [p for p in places if not is_dateline(state, p)] or places


def _town_of(place: Place | None) -> Place | None:
    """The place itself when it is a town or a district, the only kinds a facility may be placed at."""
    return place if place is not None and place.feature in ("city", "admin2") else None


def _sent(state: State, char: int) -> int:
    return state.sentence_of(char) if state.sentences else 0


def _name_token(tok: Token) -> bool:
    """A token that can be part of a place name: a proper noun, an Arabic article, a hyphen."""
    return (
        tok.pos_ == "PROPN"
        or tok.is_title
        or tok.lower_ in _ARTICLE_TOKENS
        or tok.lower_ in ("al-", "el-")
        or tok.text in ("-", "‐")
    ) and tok.ent_type_ not in ("DATE", "TIME", "CARDINAL", "QUANTITY")


_APPOSITION_PLACES = frozenset(
    {"town", "city", "village", "hamlet", "settlement", "port", "capital", "municipality", "district"}
)


def _place_cue(doc: Doc, span: Span) -> bool:
    """The words around a name say it is a place, whatever the NER's label: "the town of Chasiv Yar",
    "Idlib province"."""
    i, j = span.start, span.end
    if i >= 2 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in DIVISION_NOUNS:
        return True
    if j + 1 < len(doc) and doc[j].text == "," and doc[j + 1].lower_ == "where":
        clause = doc[j + 1].head
        question = span.root.sent.text.rstrip().endswith("?")
        if clause.dep_ == "relcl" and clause.head.i in range(i, j) and not question:
            return True  # "Kunlong, where the army has a battalion": a relative clause of place
    # "Chinshwehaw, a busy trading town on the border": an apposition whose head is a kind of place
    if any(t.dep_ == "appos" and t.lemma_.lower() in _APPOSITION_PLACES for t in span.root.children):
        return True
    return j < len(doc) and doc[j].lower_ in DIVISION_NOUNS and doc[j].lower_ not in ("state", "city")


def _is_facility(span: Span, label: str) -> bool:
    """A named facility or part of a town: the NER's FAC, or a place name ending in a facility word
    ("Dugway Proving Ground" is FAC; "Kandahar Air Base", "Sednaya prison")."""
    if len(span) < 2 and label != "FAC":
        return False
    return label == "FAC" or span[-1].lower_ in _FACILITY_WORDS


def _looks_like_name(span: Span) -> bool:
    low = span.text.lower()
    return (
        span.text[:1].isupper()
        and low not in _STOP_WORDS
        and low not in COMMON_WORD_PLACES
        and all(t.is_alpha or t.text in ("-", "'", "’") for t in span)
    )


def _part_of_a_name(doc: Doc, i: int) -> bool:
    """True when the token before a place is a capitalised given name, so the place word is a surname
    ("Ibrahim Mali", "Michael Jordan"), not "northern Mali" or "Upper Nile"."""
    if i == 0:
        return False
    prev = doc[i - 1]
    if not prev.is_title or prev.pos_ != "PROPN":
        return False
    if (
        prev.lower_ in REGION_ADJECTIVES
        or prev.lower_ in DIRECTION_WORDS
        or prev.lower_ in _PLACE_PREFIXES
        or prev.ent_type_ in PLACE_LABELS
    ):
        return False
    return prev.ent_type_ in ("PERSON", "") and not prev.like_num


def _person_names(doc: Doc, gazetteer: Gazetteer) -> set[str]:
    """Words that are part of a multi-word person's name in this article ("Assad" of "Bashar al-Assad"):
    the same word alone is the person again, not a place. A "person" whose whole name is a place's
    ("Chasiv Yar", which the small model reads as a person) gives none."""
    out: set[str] = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON" and len(ent) > 1:
            if any(q <= 1 for _, q in matches(gazetteer, ent.text, limit=10)):
                continue
            for tok in ent:
                if tok.is_title:
                    out.add(tok.text)
            out.add(ent.text)
    return out


# -- event location --------------------------------------------------------------------------------


def event_place(state: State, sent_index: int, trigger_start: int, trigger_end: int) -> PlaceMention | None:
    """Of the places in a sentence, the one the event (its trigger at these character offsets) happened
    at; None when the sentence names no plausible event place."""
    cands = [
        p
        for p in state.places_in(sent_index)
        if (not p.demonym and p.place is not None) or (not p.demonym and p.place is None and not p.anaphor)
    ]
    if not cands:
        return None
    cands = off_datelines(state, cands)  # "AMMAN, Aug 10 - Government forces shelled Daraa"
    doc = state.doc
    trigger = _token_at(doc, trigger_start, trigger_end) if doc is not None else None
    best: tuple[float, PlaceMention] | None = None
    for place in cands:
        score = _event_score(doc, trigger, place)
        if score is None:
            continue
        if best is None or score > best[0]:
            best = (score, place)
    return best[1] if best else None


def _token_at(doc: Doc, start: int, end: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


def _place_token(doc: Doc, place: PlaceMention) -> Token | None:
    span = doc.char_span(place.start, place.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


def _event_score(doc: Doc | None, trigger: Token | None, place: PlaceMention) -> float | None:
    """Points for a place being the event's location; None rules it out."""
    score = 0.0
    if place.feature == "country":
        score -= 1.0  # a more specific place in the same sentence is where it happened
    if place.place is None:
        score -= 0.5
    if doc is None or trigger is None:
        return score
    tok = _place_token(doc, place)
    if tok is None:
        return score
    head = tok.head
    # Origins: "fighters from Idlib" (from attached to a noun that is not the trigger).
    if (
        tok.dep_ == "pobj"
        and head.lower_ == "from"
        and head.head.pos_ in ("NOUN", "PROPN")
        and head.head.i != trigger.i
    ):
        return None
    # Possessors of actors: "Russia's army", "Assad's forces".
    if tok.dep_ == "poss" and head.lemma_.lower() in ACTOR_NOUNS:
        return None
    # Actors: the subject of a transitive trigger ("Russia struck Kharkiv").
    if tok.dep_ in ("nsubj", "nsubjpass", "compound") and tok.head.i == trigger.i:
        has_object = any(c.dep_ in ("dobj", "obj") for c in trigger.children)
        if tok.dep_ == "nsubj" and has_object:
            return None
        score += 1.0 if tok.dep_ == "nsubjpass" or not has_object else 0.0
    if tok.dep_ == "compound" and head.lemma_.lower() in ACTOR_NOUNS:
        return None  # "Syria government forces"
    # Attached to the trigger (object, or a place phrase under it): the event's place.
    ancestors = {t.i for t in tok.ancestors}
    if trigger.i in ancestors:
        score += 3.0
        path = [t for t in tok.ancestors if t.i != trigger.i and trigger.i in {a.i for a in t.ancestors}]
        if any(t.lower_ in ("from",) for t in path) and place.feature == "country":
            score -= 1.0
    elif tok.i in {t.i for t in trigger.ancestors}:
        score += 1.0  # the trigger hangs under the place's phrase ("the fall of Hama")
    # Closer is likelier, a little.
    score -= 0.05 * abs(tok.i - trigger.i)
    if tok.dep_ == "pobj" and head.lower_ in _PLACE_PREPOSITIONS:
        score += 1.0
    if tok.dep_ in ("dobj", "obj"):
        score += 1.0
    return score


__all__ = ["ToponymStage", "event_place"]
