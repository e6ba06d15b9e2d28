"""Reading, checking and indexing the actor catalogue's YAML files.

The schema is documented in ``docs/actors.md``. Built-in files live in ``actors/data``; users add theirs
(``settings.catalogues``). An id may appear once among the built-in files and once among the user files; a
user entry with a built-in id replaces the built-in one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry
import yaml

from ..errors import CatalogueError
from .base import CatalogueActor, CataloguePerson, CountryInfo
from .text import Token, phrase_key, tokenize

DATA_DIR = Path(__file__).parent / "data"

KINDS = (
    "state_forces",
    "government",
    "police",
    "rebel_group",
    "jihadist_group",
    "separatist_group",
    "political_militia",
    "identity_militia",
    "paramilitary",
    "external_force",
    "gang",
    "organisation",
    "international",
    "protesters",
    "civilians",
    "generic",
)
LABELS = ("ORG", "NORP", "PERSON", "GPE")
# Roles an actor of a kind answers to without listing them ("the army" for state forces).
DEFAULT_ROLES: dict[str, tuple[str, ...]] = {
    "state_forces": ("government-forces",),
    "police": ("police",),
    "government": ("government",),
    "rebel_group": ("rebels", "fighters"),
    "jihadist_group": ("jihadists", "militants", "fighters", "insurgents"),
    "separatist_group": ("separatists", "rebels", "fighters"),
    "political_militia": ("militia", "fighters"),
    "identity_militia": ("militia", "fighters"),
    "paramilitary": ("paramilitaries", "militia", "fighters"),
    "external_force": (),
    "gang": ("gangs",),
}
# Abbreviations that are also everyday words or too short to trust in the entity ruler ("IS", "AA").
_RULER_STOP = {"is", "aa", "us", "un", "pdf", "it", "as", "am", "an", "at", "or", "so", "no", "on"}

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_ACTOR_KEYS = {
    "id",
    "name",
    "kind",
    "side",
    "country",
    "aliases",
    "abbreviations",
    "roles",
    "conflicts",
    "parent",
    "generic",
    "from",
    "until",
    "label",
    "notes",
    "sources",
}
_PERSON_KEYS = {"id", "name", "actor", "title", "aliases", "notes", "from", "until"}
_COUNTRY_KEYS = {"code", "names", "demonyms", "forces", "government", "police"}
_FILE_KEYS = {"version", "conflict", "description", "countries", "actors", "persons"}


@dataclass(frozen=True, slots=True)
class Term:
    """What a normalised phrase names: ("actor", id), ("person", id), ("country", code), ("demonym", code),
    ("generic", id). ``exact`` is set for abbreviations, which must match as written ("HTS", not "hts")."""

    kind: str
    target: str
    exact: str | None = None
    # Written all in lower case in the catalogue ("settlers", "clan militias"): a description rather than a
    # name, so it matches lower-case text, and the stage trusts it only where the actor's country is in play.
    descriptive: bool = False


@dataclass
class _File:
    path: str
    version: str
    conflict: str
    actors: list[tuple[CatalogueActor, int | None]]
    persons: list[tuple[CataloguePerson, int | None]]
    countries: list[tuple[CountryInfo, int | None]]


# --- reading one file ---------------------------------------------------------------------------------


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML that remembers each mapping's line, so errors can point at the entry."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict:
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def _strs(value: Any, key: str, err: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise err(f"{key!r} must be a list of non-empty strings", key)
    return tuple(v.strip() for v in value)


def _date(value: Any, key: str, err: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and 1800 < value < 2200:
        return dt.date(value, 1, 1)
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value if len(value) == 10 else f"{value}-01"[:10])
        except ValueError:
            pass
    raise err(f"{key!r} must be a year or a YYYY-MM-DD date, not {value!r}", key)


def _country(value: Any, key: str, err: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or pycountry.countries.get(alpha_2=value.upper()) is None:
        raise err(f"{key!r} must be an ISO 3166-1 alpha-2 code, not {value!r}", key)
    return value.upper()


def _read(path: Path) -> _File:
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(f"cannot read actor catalogue: {exc.strerror or exc}", source=source) from None
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CatalogueError(
            f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
            source=source,
            line=mark.line + 1 if mark else None,
        ) from None
    if not isinstance(data, dict):
        raise CatalogueError(
            "an actor catalogue must be a mapping with 'version' and 'actors'", source=source
        )
    unknown = set(data) - _FILE_KEYS - {"__line__"}
    if unknown:
        raise CatalogueError(
            f"unknown top-level keys {sorted(unknown)}; allowed: {sorted(_FILE_KEYS)}", source=source
        )
    version = data.get("version")
    if not isinstance(version, int | str) or isinstance(version, bool) or version == "":
        raise CatalogueError(
            "missing or invalid 'version' (an integer or a string)", source=source, field="version"
        )
    conflict = data.get("conflict") or path.stem
    if not isinstance(conflict, str) or not _ID_RE.match(conflict):
        raise CatalogueError(
            f"'conflict' must be a lower-case slug, not {conflict!r}", source=source, field="conflict"
        )
    out = _File(source, str(version), conflict, [], [], [])

    def entries(section: str) -> list:
        value = data.get(section) or []
        if not isinstance(value, list):
            raise CatalogueError(f"{section!r} must be a list of entries", source=source, field=section)
        return value

    out.actors = [_read_actor(e, n, source, conflict) for n, e in enumerate(entries("actors"), 1)]
    out.persons = [_read_person(e, n, source) for n, e in enumerate(entries("persons"), 1)]
    out.countries = [_read_country(e, n, source) for n, e in enumerate(entries("countries"), 1)]
    if not out.actors and not out.persons and not out.countries:
        raise CatalogueError("the catalogue has no actors, persons or countries", source=source)
    return out


def _entry_error(source: str, section: str, n: int, entry: Any) -> Any:
    line = entry.get("__line__") if isinstance(entry, dict) else None
    label = entry.get("id") or entry.get("name") or entry.get("code") if isinstance(entry, dict) else None
    where = f"{section} entry {n}" + (f" ({label!r})" if label else "")

    def err(message: str, key: str | None = None) -> CatalogueError:
        return CatalogueError(f"{where}: {message}", source=source, line=line, field=key)

    return err


def _check_keys(entry: Any, allowed: set[str], err: Any) -> dict:
    if not isinstance(entry, dict):
        raise err("must be a mapping")
    unknown = set(entry) - allowed - {"__line__"}
    if unknown:
        raise err(f"unknown keys {sorted(unknown)}; allowed: {sorted(allowed)}")
    return entry


def _read_actor(entry: Any, n: int, source: str, conflict: str) -> tuple[CatalogueActor, int | None]:
    err = _entry_error(source, "actors", n, entry)
    e = _check_keys(entry, _ACTOR_KEYS, err)
    aid, name, kind = e.get("id"), e.get("name"), e.get("kind", "generic" if e.get("generic") else None)
    if not isinstance(aid, str) or not _ID_RE.match(aid):
        raise err(f"'id' must be a lower-case slug (letters, digits, - _ .), not {aid!r}", "id")
    if not isinstance(name, str) or not name.strip():
        raise err("'name' is required", "name")
    if kind not in KINDS:
        raise err(f"'kind' must be one of {', '.join(KINDS)}; not {kind!r}", "kind")
    side = e.get("side")
    if side is not None and not isinstance(side, str):
        raise err("'side' must be a string", "side")
    label = e.get("label", "ORG")
    if label not in LABELS:
        raise err(f"'label' must be one of {LABELS}", "label")
    parent = e.get("parent")
    if parent is not None and not isinstance(parent, str):
        raise err("'parent' must be an actor id", "parent")
    generic = e.get("generic", False)
    if not isinstance(generic, bool):
        raise err("'generic' must be true or false", "generic")
    roles = _strs(e.get("roles"), "roles", err)
    conflicts = _strs(e.get("conflicts"), "conflicts", err)
    actor = CatalogueActor(
        id=aid,
        name=name.strip(),
        side=side,
        country_code=_country(e.get("country"), "country", err),
        kind=kind,
        aliases=_strs(e.get("aliases"), "aliases", err),
        abbreviations=_strs(e.get("abbreviations"), "abbreviations", err),
        conflicts=(conflict, *[c for c in conflicts if c != conflict])
        if conflict != "generic"
        else conflicts,
        parent=parent,
        generic=generic or kind == "generic",
        roles=tuple(dict.fromkeys((*roles, *DEFAULT_ROLES.get(kind, ())))),
        active_from=_date(e.get("from"), "from", err),
        active_until=_date(e.get("until"), "until", err),
        label=label,
        source=source,
        extra={k: v for k, v in e.items() if k in ("notes", "sources")},
    )
    return actor, e.get("__line__")


def _read_person(entry: Any, n: int, source: str) -> tuple[CataloguePerson, int | None]:
    err = _entry_error(source, "persons", n, entry)
    e = _check_keys(entry, _PERSON_KEYS, err)
    name = e.get("name")
    if not isinstance(name, str) or not name.strip():
        raise err("'name' is required", "name")
    pid = e.get("id") or re.sub(r"[^a-z0-9]+", "-", "-".join(phrase_key(name))).strip("-")
    if not isinstance(pid, str) or not _ID_RE.match(pid):
        raise err(f"'id' must be a lower-case slug, not {pid!r}", "id")
    actor, title = e.get("actor"), e.get("title")
    if actor is not None and not isinstance(actor, str):
        raise err("'actor' must be an actor id", "actor")
    if title is not None and not isinstance(title, str):
        raise err("'title' must be a string", "title")
    person = CataloguePerson(
        id=f"person:{pid}",
        name=name.strip(),
        actor=actor,
        title=title,
        aliases=_strs(e.get("aliases"), "aliases", err),
        source=source,
        active_from=_date(e.get("from"), "from", err),
        active_until=_date(e.get("until"), "until", err),
    )
    return person, e.get("__line__")


def _read_country(entry: Any, n: int, source: str) -> tuple[CountryInfo, int | None]:
    err = _entry_error(source, "countries", n, entry)
    e = _check_keys(entry, _COUNTRY_KEYS, err)
    code = _country(e.get("code"), "code", err)
    if code is None:
        raise err("'code' is required", "code")
    info = CountryInfo(
        code=code,
        names=_strs(e.get("names"), "names", err),
        demonyms=_strs(e.get("demonyms"), "demonyms", err),
        forces=_strs(e.get("forces"), "forces", err),
        government=_strs(e.get("government"), "government", err),
        police=_strs(e.get("police"), "police", err),
        source=source,
    )
    return info, e.get("__line__")


@lru_cache(maxsize=256)
def _read_cached(path: str, mtime_ns: int, size: int) -> _File:
    # Keyed on the file's modification time and size, so an edited user file is read again.
    return _read(Path(path))


def read_catalogue_file(path: Path) -> _File:
    try:
        st = path.stat()
    except OSError as exc:
        raise CatalogueError(
            f"cannot read actor catalogue: {exc.strerror or exc}", source=str(path)
        ) from None
    return _read_cached(str(path), st.st_mtime_ns, st.st_size)


# --- the assembled catalogue ----------------------------------------------------------------------------


class ActorCatalogue:
    """The merged catalogue: actors, notable persons and countries, with a phrase index over their names."""

    def __init__(self, files: Sequence[_File], user_files: Sequence[_File] = ()) -> None:
        self.versions: dict[str, str] = {f.path: f.version for f in (*files, *user_files)}
        self.actors: dict[str, CatalogueActor] = {}
        self.persons: dict[str, CataloguePerson] = {}
        self.countries: dict[str, CountryInfo] = {}
        lines: dict[tuple[str, str], tuple[str, int | None]] = {}
        for layer in (files, user_files):
            seen: dict[tuple[str, str], str] = {}
            for f in layer:
                records: list[tuple[str, CatalogueActor | CataloguePerson, int | None]] = [
                    *(("actor", a, line) for a, line in f.actors),
                    *(("person", p, line) for p, line in f.persons),
                ]
                for section, record, line in records:
                    key = (section, record.id)
                    if key in seen:
                        raise CatalogueError(
                            f"duplicate {section} id {record.id!r}, also defined in {seen[key]}",
                            source=f.path,
                            line=line,
                            field="id",
                        )
                    seen[key] = f.path
                    lines[key] = (f.path, line)
                    if isinstance(record, CatalogueActor):
                        self.actors[record.id] = record
                    else:
                        self.persons[record.id] = record
                for info, _line in f.countries:
                    self.countries[info.code] = _merge_country(self.countries.get(info.code), info)
        self._check_references(lines)
        self.terms: dict[tuple[str, ...], list[Term]] = defaultdict(list)
        self._index()
        self.max_len = max((len(k) for k in self.terms), default=1)

    def _check_references(self, lines: dict[tuple[str, str], tuple[str, int | None]]) -> None:
        generic_ids = {a.id for a in self.actors.values() if a.generic}
        for a in self.actors.values():
            path, line = lines[("actor", a.id)]
            if a.parent and a.parent not in self.actors:
                raise CatalogueError(
                    f"actor {a.id!r}: parent {a.parent!r} is not in the catalogue",
                    source=path,
                    line=line,
                    field="parent",
                )
            unknown = [r for r in a.roles if r not in generic_ids]
            if unknown and not a.generic:
                raise CatalogueError(
                    f"actor {a.id!r}: roles {unknown} are not generic actor ids "
                    f"(known: {sorted(generic_ids)})",
                    source=path,
                    line=line,
                    field="roles",
                )
        for p in self.persons.values():
            path, line = lines[("person", p.id)]
            if p.actor and p.actor not in self.actors:
                raise CatalogueError(
                    f"person {p.name!r}: actor {p.actor!r} is not in the catalogue",
                    source=path,
                    line=line,
                    field="actor",
                )
        for c in self.countries.values():
            for role in ("forces", "government", "police"):
                missing = [i for i in getattr(c, role) if i not in self.actors]
                if missing:
                    raise CatalogueError(
                        f"country {c.code}: {role} {missing} are not in the catalogue",
                        source=c.source,
                        field=role,
                    )

    def _add(self, phrase: str, term: Term) -> None:
        key = phrase_key(phrase)
        if key and term not in self.terms[key]:
            self.terms[key].append(term)

    def _index(self) -> None:
        for a in self.actors.values():
            if a.generic:
                for phrase in (a.name, *a.aliases):
                    self._add(phrase, Term("generic", a.id))
                continue
            for phrase in (a.name, *a.aliases):
                self._add(phrase, Term("actor", a.id, descriptive=phrase == phrase.lower()))
            for abbr in a.abbreviations:
                self._add(abbr, Term("actor", a.id, exact=abbr.replace(".", "")))
        for p in self.persons.values():
            for phrase in (p.name, *p.aliases):
                self._add(phrase, Term("person", p.id))
        # The catalogue's own country names first: where pycountry's names clash with them ("Congo" is the
        # Republic of the Congo to pycountry, the DRC in the news), ours win.
        for info in self.countries.values():
            for name in info.names:
                short = len(name) <= 3 and name.isupper()
                self._add(name, Term("country", info.code, exact=name.replace(".", "") if short else None))
            for demonym in info.demonyms:
                self._add(demonym, Term("demonym", info.code))
        for c in pycountry.countries:
            official = {c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)}
            for official_name in official:
                if official_name and "," not in official_name:
                    key = phrase_key(official_name)
                    if not any(t.kind == "country" for t in self.terms.get(key, ())):
                        self._add(official_name, Term("country", c.alpha_2))

    @classmethod
    def from_protocol(cls, catalogue: Any) -> ActorCatalogue:
        """An index over any object with the ``Catalogue`` protocol (a test double, another backend): its
        ruler phrases become the names of the actors ``lookup`` gives for them. Generic roles, persons and
        countries come from the built-in generic file, so "the rebels" still resolves."""
        if isinstance(catalogue, ActorCatalogue):
            return catalogue
        phrases: dict[str, list[str]] = defaultdict(list)
        actors: dict[str, CatalogueActor] = {}
        for phrase, _label in catalogue.ruler_patterns():
            for actor in catalogue.lookup(phrase):
                actors.setdefault(actor.id, actor)
                phrases[actor.id].append(phrase)
        generic = [f for f in (read_catalogue_file(p) for p in builtin_files()) if f.conflict == "generic"]
        known = {a.id for f in generic for a, _ in f.actors}
        own = _File("<catalogue object>", "0", "custom", [], [], [])
        for aid, actor in actors.items():
            if aid in known:
                continue
            roles = tuple(r for r in actor.roles if r in known)
            own.actors.append(
                (
                    replace(
                        actor,
                        aliases=tuple(dict.fromkeys((*actor.aliases, *phrases[aid]))),
                        roles=roles,
                        parent=actor.parent if actor.parent in actors else None,
                    ),
                    None,
                )
            )
        return cls([*generic, own])

    # -- the Catalogue protocol --

    def get(self, actor_id: str) -> CatalogueActor | None:
        return self.actors.get(actor_id)

    def lookup(self, text: str) -> list[CatalogueActor]:
        """Actors a surface form names: a name, alias or abbreviation, a leader ("Assad"), a country's
        forces ("the Syrian army"), or a generic role ("rebels")."""
        tokens = tokenize(text)
        if tokens and tokens[0].norm == "the":
            tokens = tokens[1:]
        found: list[CatalogueActor] = []
        for term in self.match_at(tokens, 0, whole=True):
            actor: CatalogueActor | None = None
            if term.kind in ("actor", "generic"):
                actor = self.actors[term.target]
            elif term.kind == "person":
                pid = self.persons[term.target].actor
                actor = self.actors.get(pid) if pid else None
            if actor and actor not in found:
                found.append(actor)
        if not found and len(tokens) >= 2:
            # "<demonym or country> <army|government|police>": the country's own actor.
            head = self.match_at(tokens[:-1], 0, whole=True)
            role = NOUN_ROLES.get(tokens[-1].norm)
            for term in head:
                if term.kind in ("country", "demonym") and role:
                    actor = self.country_actor(term.target, role)
                    if actor:
                        found.append(actor)
        return found

    def ruler_patterns(self) -> Iterator[tuple[str, str]]:
        seen: set[tuple[str, str]] = set()
        for a in self.actors.values():
            if a.generic or a.kind in ("civilians", "protesters"):
                continue
            phrases = [*a.aliases, a.name]
            phrases += [b for b in a.abbreviations if len(b) >= 3 and b.lower() not in _RULER_STOP]
            for phrase in phrases:
                if phrase == phrase.lower():
                    continue  # a description ("settlers"), not a name: the NER should not see it as one
                for variant in _spellings(phrase):
                    if (variant, a.label) not in seen:
                        seen.add((variant, a.label))
                        yield variant, a.label
        for p in self.persons.values():
            for phrase in (p.name, *p.aliases):
                for variant in _spellings(phrase):
                    if (variant, "PERSON") not in seen:
                        seen.add((variant, "PERSON"))
                        yield variant, "PERSON"

    # -- for the actors stage --

    def match_at(self, tokens: Sequence[Token], i: int, *, whole: bool = False) -> list[Term]:
        """The terms of the longest phrase starting at token ``i`` (with ``whole``: only a phrase that
        covers every token). Names need a capital letter somewhere; abbreviations must match as written."""
        n = len(tokens)
        lengths = [n - i] if whole else range(min(self.max_len, n - i), 0, -1)
        for length in lengths:
            if length <= 0:
                continue
            span = tokens[i : i + length]
            terms = self.terms.get(tuple(t.norm for t in span))
            if not terms:
                continue
            ok = [t for t in terms if _fits(t, span)]
            if ok:
                return ok
        return []

    def match_length(self, tokens: Sequence[Token], i: int) -> tuple[int, list[Term]]:
        for length in range(min(self.max_len, len(tokens) - i), 0, -1):
            terms = self.terms.get(tuple(t.norm for t in tokens[i : i + length]))
            if terms:
                ok = [t for t in terms if _fits(t, tokens[i : i + length])]
                if ok:
                    return length, ok
        return 0, []

    def country_actor(self, code: str, role: str, day: dt.date | None = None) -> CatalogueActor | None:
        """The actor a country's generic role names on ``day``: role is "forces", "government" or
        "police"; falls back from one to the other when the catalogue lists only one."""
        info = self.countries.get(code)
        if info is None:
            return None
        order = {
            "forces": ("forces", "government"),
            "government": ("government", "forces"),
            "police": ("police", "forces"),
        }.get(role, (role,))
        for r in order:
            ids = getattr(info, r, ())
            actors = [self.actors[i] for i in ids if i in self.actors]
            for a in actors:
                if a.active_on(day):
                    return a
            if actors:
                return actors[0]
        return None

    def generic_for(self, role_id: str) -> CatalogueActor | None:
        a = self.actors.get(role_id)
        return a if a and a.generic else None

    def counts(self) -> dict[str, int]:
        named = [a for a in self.actors.values() if not a.generic]
        return {
            "actors": len(named),
            "generic": len(self.actors) - len(named),
            "persons": len(self.persons),
            "aliases": sum(len(a.aliases) + len(a.abbreviations) for a in named)
            + sum(len(p.aliases) for p in self.persons.values()),
            "conflicts": len({c for a in named for c in a.conflicts[:1]}),
            "countries": len(self.countries),
        }


# Nouns after a country or leader that name one of its actors ("Syrian army", "Assad's regime").
NOUN_ROLES: dict[str, str] = {
    "army": "forces",
    "military": "forces",
    "forces": "forces",
    "troops": "forces",
    "soldiers": "forces",
    "regime": "forces",
    "junta": "forces",
    "navy": "forces",
    "government": "government",
    "authorities": "government",
    "ministry": "government",
    "administration": "government",
    "police": "police",
}


def _fits(term: Term, span: Sequence[Token]) -> bool:
    if term.exact is not None:
        return "".join(t.raw for t in span) == term.exact.replace(" ", "").replace("-", "")
    if term.kind == "generic" or term.descriptive:
        return True
    return any(t.has_upper for t in span)


def _spellings(phrase: str) -> list[str]:
    """The phrase plus the spellings an article is likely to use: "al-Sham"/"al Sham", ’ for '."""
    out = [phrase]
    if "-" in phrase:
        out.append(phrase.replace("-", " "))
    if "'" in phrase:
        out.append(phrase.replace("'", "’"))
    return out


def _merge_country(old: CountryInfo | None, new: CountryInfo) -> CountryInfo:
    if old is None:
        return new

    def union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*a, *b)))

    # A later file's role lists come first: a user file (read last) can redirect "Syrian forces".
    return replace(
        old,
        names=union(old.names, new.names),
        demonyms=union(old.demonyms, new.demonyms),
        forces=union(new.forces, old.forces),
        government=union(new.government, old.government),
        police=union(new.police, old.police),
    )


def builtin_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.yaml"))


def expand_user_paths(paths: Iterable[Path]) -> list[Path]:
    """User catalogue paths: files as given, directories as their ``*.yaml``/``*.yml`` files."""
    out: list[Path] = []
    for p in paths:
        p = Path(p).expanduser()
        if p.is_dir():
            out.extend(sorted([*p.glob("*.yaml"), *p.glob("*.yml")]))
        else:
            out.append(p)
    return out
