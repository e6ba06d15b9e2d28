"""Place names in a short text found with the gazetteer alone (no spaCy): for place descriptions such as
UCDP's ``where_description`` ("al-Hamra village in the western countryside of Hama"), and anywhere a
parse is not at hand.

Word n-grams (up to five words) that start with a capital letter or an Arabic article ("al-Rami") are
looked up; the longest non-overlapping matches win. Each is then resolved in the given country context,
with what the words around it say: "village"/"town" ask for a populated place, "province" for a division,
and "countryside of X" / "near X" make X the larger area rather than the place itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .base import Gazetteer, Place
from .resolve import Context, inside, matches, resolve
from .words import COMMON_WORD_PLACES, DIVISION_NOUNS, NEAR_WORDS

_WORD = re.compile(r"[^\W\d_][\w'’‘ʿʾ`.-]*", re.UNICODE)
_ARTICLE_START = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az|ed|es|et|ez)[-‐]", re.IGNORECASE)
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "in",
        "on",
        "at",
        "to",
        "from",
        "by",
        "for",
        "with",
        "near",
        "and",
        "or",
        "but",
        "into",
        "onto",
        "outside",
        "inside",
        "around",
        "between",
        "toward",
        "towards",
        "about",
        "village",
        "town",
        "city",
        "area",
        "district",
        "province",
        "region",
        "governorate",
        "countryside",
        "outskirts",
        "vicinity",
        "suburb",
        "neighbourhood",
        "neighborhood",
        "sector",
        "road",
        "highway",
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "rural",
        "parts",
        "part",
        "he",
        "she",
        "they",
        "it",
        "its",
        "this",
        "that",
        "barangay",
        "sitio",
        "tehsil",
        "thesil",
        "mandal",
        "taluk",
        "taluka",
        "lga",
        "cercle",
        "commune",
        "sector",
        "zone",
        "kebele",
        "woreda",
        "localidad",
        "colonia",
        "municipio",
        "departamento",
        "department",
        "municipality",
        "rua",
        "praia",
        "avenida",
        "calle",
    ]
)


@dataclass
class ScanMention:
    start: int
    end: int
    text: str
    hint: str | None = None  # the kind of place the words around it ask for
    context_only: bool = False  # "countryside of Hama": Hama is the area, not the place itself
    place: Place | None = None
    confidence: float = 0.0


def find_names(
    text: str, gazetteer: Gazetteer, *, max_words: int = 5, countries: list[str] | None = None
) -> list[ScanMention]:
    """Spans of ``text`` that the gazetteer knows as place names: a good match anywhere, or a loose
    transliteration match ("Kafarbatna" for Kafr Batna) in one of ``countries``."""
    words = [(m.start(), m.end(), m.group().strip(".-'’")) for m in _WORD.finditer(text)]
    # Text written all in lower case ("damascus and its countryside") gives capitals no meaning.
    any_case = not any(ch.isupper() for ch in text)
    local = set(countries or ())
    out: list[ScanMention] = []
    i = 0
    while i < len(words):
        w = words[i][2]
        startable = any_case or w[:1].isupper() or bool(_ARTICLE_START.match(w))
        if not startable or w.lower() in _STOP:
            i += 1
            continue
        found = None
        for n in range(min(max_words, len(words) - i), 0, -1):
            start, end = words[i][0], words[i + n - 1][1]
            if n > 1 and any(text[words[k][1] : words[k + 1][0]].strip() for k in range(i, i + n - 1)):
                continue  # a name does not run across punctuation ("Barinas, Barinas state")
            phrase = text[start:end].strip(".-'’, ")
            if n > 1 and words[i + n - 1][2].lower() in _STOP:
                continue
            if phrase.lower() in COMMON_WORD_PLACES or len(phrase) < 3:
                continue
            cands = matches(gazetteer, phrase, limit=40)
            if any(q <= 2 or p.country_code in local for p, q in cands):
                found = (n, start, start + len(phrase), phrase)
                break
        if found is None:
            i += 1
            continue
        n, start, end, phrase = found
        out.append(ScanMention(start, end, phrase))
        i += n
    for m in out:
        _context_words(text, m)
    return out


def _context_words(text: str, m: ScanMention) -> None:
    last = m.text.split()[-1].lower()
    if len(m.text.split()) > 1 and last in DIVISION_NOUNS:
        m.hint = DIVISION_NOUNS[last]  # "Kalafgan District"
    if text[m.end : m.end + 2].strip()[:1] == ":":
        m.context_only = True  # "Aleppo: Afrin", "Hama Province: Huribnefseh": the area, then the place
        return
    after = text[m.end : m.end + 30].lower().split()
    before = text[max(0, m.start - 40) : m.start].lower().split()
    nxt = after[0].strip(",.;:()") if after else ""
    if nxt in DIVISION_NOUNS:
        m.hint = DIVISION_NOUNS[nxt]
    elif nxt in ("countryside", "outskirts", "suburbs"):
        m.context_only = True
    if len(before) >= 2 and before[-1] == "of":
        if before[-2] in DIVISION_NOUNS:
            m.hint = DIVISION_NOUNS[before[-2]]
        elif before[-2] in NEAR_WORDS:
            m.context_only = True
    if m.hint in ("admin1", "admin2"):
        m.context_only = True


def geoparse_description(
    text: str, gazetteer: Gazetteer, *, countries: list[str] | None = None
) -> tuple[ScanMention | None, list[ScanMention]]:
    """Resolve the names of a place description; return the one that names the place itself (the most
    specific, first among equals) and all of them."""
    mentions = find_names(text, gazetteer, countries=countries)
    ctx = Context()
    for rank_, code in enumerate(countries or []):
        ctx.countries[code] += max(1.0, 3.0 - rank_)
    # Areas first ("Hama" in "countryside of Hama"): they narrow down the place inside them.
    for m in sorted(mentions, key=lambda m: not m.context_only):
        m.place, m.confidence = resolve(gazetteer, m.text, ctx, hint=m.hint)
        if m.place is None:
            continue
        if m.place.feature in ("admin1", "city") and m.place.country_code and m.place.admin1_code:
            ctx.admin1.add((m.place.country_code, m.place.admin1_code))
        if m.context_only and m.place.feature == "city":
            ctx.points.append((m.place.lat, m.place.lon))
    # Places listed together lie together ("Mansoura, Douma, Irbeen"): resolve each again near the others.
    specific = [
        m for m in mentions if m.place is not None and not m.context_only and m.place.feature == "city"
    ]
    if len(specific) > 1:
        base = list(ctx.points)
        for m in specific:
            ctx.points = base + [(o.place.lat, o.place.lon) for o in specific if o is not m and o.place]
            m.place, m.confidence = resolve(gazetteer, m.text, ctx, hint=m.hint)
        ctx.points = base
    # The place must lie in the area the text puts it in ("Banola area of Mendhar in Poonch district"):
    # a reading elsewhere is a wrong reading, and the area itself is the better answer.
    areas = [m for m in mentions if m.context_only and m.place is not None]
    if areas:
        for m in mentions:
            if (
                m.place is not None
                and not m.context_only
                and not any(inside(m.place, a.place) for a in areas if a.place)
            ):
                m.place, m.confidence = None, 0.0
    order = {"city": 0, "other": 1, "admin2": 2, "admin1": 3, "country": 4}
    # "Sánchez Taboada neighbourhood, Tijuana town, Baja California": names run from small to large, so a
    # reading of the small one that lies outside the larger ones named with it is the wrong reading.
    for m in mentions:
        if m.place is None or m.context_only:
            continue
        larger = [
            o.place for o in mentions if o is not m and o.place is not None and _larger(o.place, m.place)
        ]
        if any(not inside(m.place, area) for area in larger):
            m.place, m.confidence = None, 0.0
    resolved = [m for m in mentions if m.place is not None]
    if not resolved:
        return None, mentions
    best = min(
        resolved, key=lambda m: (m.context_only, order.get(m.place.feature if m.place else "", 5), m.start)
    )
    return best, mentions


def _larger(a: Place, b: Place) -> bool:
    """Whether ``a`` is the bigger unit (a division over a town, a city over a village)."""
    rank = {"country": 4, "admin1": 3, "admin2": 2, "city": 1, "other": 0}
    ra, rb = rank.get(a.feature, 0), rank.get(b.feature, 0)
    if ra != rb:
        return ra > rb
    return a.population > 10 * max(b.population, 1000)
