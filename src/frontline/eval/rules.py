"""Check an ``expected.json`` rule file (``shared/examples/*/expected.json``) against one Analysis.

A rule file has a section per part of the output (``control_changes``, ``events``, ``quotes``,
``toponyms``), each with ``must``, ``must_not`` and ``should`` lists of entries. An entry is a set of keys;
an output item *satisfies* the entry when it satisfies every key (``why`` is a comment):

- ``must``: some item satisfies the entry; ``must_not``: no item does; ``should``: counted, not required.

Keys, as the Hama example's README defines them:

- ``<place>_geonameid``, ``<place>_country_code``: equal to the output's place (``place`` for control
  changes, ``location`` for events; plain ``geonameid``/``country_code`` for toponyms).
- ``<actor>_matches``: one of the strings occurs, case-insensitively, in the actor's ``name``, ``text`` or
  ``side`` (``to``, ``from``, ``actor1``, ``actor2``, ``speaker``); ``affiliation_matches`` in the quote's
  ``affiliation``; ``<place>_matches`` in the place's name.
- ``date`` with ``date_tolerance_days`` (default 0): the output's date is at most that many days away;
  ``date_year``: it falls in that year; ``date_before`` / ``date_after``: it is earlier / later.
- ``<field>`` and ``<field>_in``: equal to / one of, for ``modality``, ``event_type``, ``sub_event_type``,
  ``plover_event``, ``plover_mode``, ``status``, ``feature``, ``time_precision``.
- ``sentence_contains``, ``text_contains``: a case-insensitive substring of the event's sentence or the
  quote's text; ``text`` on a toponym: the toponym's text, exactly.

An unknown key is an error, never ignored: a misspelt key would otherwise make a rule pass vacuously.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..schema import Actor, Analysis, ControlChange, Event, Location, Quote, Toponym
from .report import table

PARTS = ("control_changes", "events", "quotes", "toponyms")
KINDS = ("must", "must_not", "should")
# Keys of a rule file that are not parts.
FILE_META = ("about", "why", "comment")

# Per part: attribute names holding an Actor or a Location, under the prefix a rule key uses for them.
ACTORS: dict[str, dict[str, str]] = {
    "control_changes": {"to": "to", "from": "from_"},
    "events": {"actor1": "actor1", "actor2": "actor2"},
    "quotes": {"speaker": "speaker"},
    "toponyms": {},
}
PLACES: dict[str, dict[str, str]] = {
    "control_changes": {"place": "place"},
    "events": {"location": "location"},
    "quotes": {},
    "toponyms": {},
}
# Per part: scalar fields a rule can ask to equal a value (``field``) or be one of several (``field_in``).
Getter = Callable[[Any], Any]
SCALARS: dict[str, dict[str, Getter]] = {
    "control_changes": {"status": lambda c: c.status, "time_precision": lambda c: c.time_precision},
    "events": {
        "modality": lambda e: e.modality,
        "event_type": lambda e: e.event_type,
        "sub_event_type": lambda e: e.sub_event_type,
        "plover_event": lambda e: e.plover.event,
        "plover_mode": lambda e: e.plover.mode,
        "time_precision": lambda e: e.time_precision,
    },
    "quotes": {},
    "toponyms": {
        "feature": lambda t: t.feature,
        "text": lambda t: t.text,
        "geonameid": lambda t: t.geonameid,
        "country_code": lambda t: t.country_code,
    },
}
# Per part: text fields for ``<field>_contains``.
TEXTS: dict[str, dict[str, Getter]] = {
    "control_changes": {},
    "events": {"sentence": lambda e: e.sentence},
    "quotes": {"text": lambda q: q.text},
    "toponyms": {"text": lambda t: t.text},
}
# Per part: string fields for ``<field>_matches`` that are not actors.
STRINGS: dict[str, dict[str, Getter]] = {
    "control_changes": {},
    "events": {},
    "quotes": {"affiliation": lambda q: q.affiliation},
    "toponyms": {},
}
DATED = ("control_changes", "events")
SINGULAR = {"control_changes": "control change", "events": "event", "quotes": "quote", "toponyms": "toponym"}

Check = Callable[[Any], str | None]  # None when the item satisfies the key, else why it does not


@dataclass(frozen=True)
class Condition:
    key: str
    check: Check


@dataclass(frozen=True)
class Rule:
    part: str
    kind: str
    index: int
    entry: dict[str, Any]
    conditions: tuple[Condition, ...]

    @property
    def why(self) -> str:
        return str(self.entry.get("why", ""))

    @property
    def label(self) -> str:
        return f"{self.part}.{self.kind}[{self.index}]"


@dataclass
class RuleSet:
    rules: list[Rule]
    source: str = "<rules>"


@dataclass
class RuleResult:
    rule: Rule
    passed: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        keys = {k: v for k, v in self.rule.entry.items() if k != "why"}
        return {
            "rule": self.rule.label,
            "part": self.rule.part,
            "kind": self.rule.kind,
            "why": self.rule.why,
            "keys": keys,
            "passed": self.passed,
            "reason": self.reason,
        }


@dataclass
class RulesReport:
    results: list[RuleResult]
    source: str = "<rules>"
    article: str | None = None

    @property
    def ok(self) -> bool:
        """Every must rule holds and no must_not rule is violated (should rules never decide)."""
        return all(r.passed for r in self.results if r.rule.kind != "should")

    def failures(self) -> list[RuleResult]:
        return [r for r in self.results if r.rule.kind != "should" and not r.passed]

    def summary(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for kind in KINDS:
            of_kind = [r for r in self.results if r.rule.kind == kind]
            out[kind] = {"passed": sum(r.passed for r in of_kind), "total": len(of_kind)}
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules": self.source,
            "article": self.article,
            "ok": self.ok,
            "summary": self.summary(),
            "results": [r.to_dict() for r in self.results],
        }

    def to_table(self) -> str:
        rows = [
            [
                r.rule.label,
                "pass" if r.passed else ("FAIL" if r.rule.kind != "should" else "miss"),
                _clip(r.rule.why, 50),
                _clip(r.reason, 110),
            ]
            for r in self.results
        ]
        s = self.summary()
        tail = "  ".join(f"{k}: {v['passed']}/{v['total']}" for k, v in s.items())
        verdict = "OK" if self.ok else f"FAILED ({len(self.failures())} required rule(s) do not hold)"
        listing = table(("rule", "result", "why", "reason"), rows, left=4)
        return f"{listing}\n\n{tail}\n{verdict}"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --- compiling rule entries -------------------------------------------------------------------------


def load_rules(path: str | Path) -> RuleSet:
    """Read and compile a rule file; malformed files raise InputError naming the entry and key."""
    p = Path(path)
    if not p.is_file():
        raise InputError("no such rule file", source=str(p))
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON ({exc.msg} at line {exc.lineno})", source=str(p)) from None
    return compile_rules(data, source=str(p))


def compile_rules(data: Any, *, source: str = "<rules>") -> RuleSet:
    if not isinstance(data, Mapping):
        raise InputError("a rule file is a JSON object with one section per part", source=source)
    rules: list[Rule] = []
    for part, section in data.items():
        if part in FILE_META:
            continue
        if part not in PARTS:
            raise InputError(
                f"unknown part {part!r}; expected one of {', '.join(PARTS)}", source=source, field=part
            )
        if not isinstance(section, Mapping):
            raise InputError(
                "a part's section is an object of must / must_not / should lists", source=source, field=part
            )
        for kind, entries in section.items():
            if kind in FILE_META:
                continue
            if kind not in KINDS:
                raise InputError(
                    f"unknown rule kind {kind!r}; expected one of {', '.join(KINDS)}",
                    source=source,
                    field=f"{part}.{kind}",
                )
            if not isinstance(entries, list):
                raise InputError("rules are a list of objects", source=source, field=f"{part}.{kind}")
            for index, entry in enumerate(entries):
                rules.append(compile_rule(part, kind, index, entry, source=source))
    return RuleSet(rules=rules, source=source)


def compile_rule(part: str, kind: str, index: int, entry: Any, *, source: str = "<rules>") -> Rule:
    where = f"{part}.{kind}[{index}]"
    if not isinstance(entry, Mapping):
        raise InputError("a rule is a JSON object of keys", source=source, field=where)
    if "date_tolerance_days" in entry and "date" not in entry:
        raise InputError("date_tolerance_days needs a date", source=source, field=where)
    conditions = [
        _compile_key(part, key, value, entry, source=source, where=f"{where}.{key}")
        for key, value in entry.items()
        if key not in ("why", "date_tolerance_days")
    ]
    if not conditions:
        # An entry with no keys is satisfied by any item: a must would pass on any output, a must_not fail.
        raise InputError("a rule needs at least one key besides 'why'", source=source, field=where)
    return Rule(part=part, kind=kind, index=index, entry=dict(entry), conditions=tuple(conditions))


def _compile_key(
    part: str, key: str, value: Any, entry: Mapping[str, Any], *, source: str, where: str
) -> Condition:
    def bad(message: str) -> InputError:
        return InputError(message, source=source, field=where)

    if key in ("date", "date_before", "date_after", "date_year"):
        if part not in DATED:
            raise bad(f"{SINGULAR[part]}s have no date")
        return Condition(key, _date_check(key, value, entry, bad))
    prefix, _, suffix = key.rpartition("_")
    if key.endswith("_geonameid") or key.endswith("_country_code"):
        attr = key.removesuffix("_geonameid").removesuffix("_country_code")
        prop = "geonameid" if key.endswith("_geonameid") else "country_code"
        if attr not in PLACES[part]:
            raise bad(f"unknown place {attr!r} for {part} (known: {', '.join(PLACES[part]) or 'none'})")
        if prop == "geonameid" and (isinstance(value, bool) or not isinstance(value, int)):
            raise bad("a geonameid is an integer")
        return Condition(key, _place_prop_check(PLACES[part][attr], prop, value))
    if suffix == "matches":
        needles = _strings(value, bad)
        if prefix in ACTORS[part]:
            return Condition(key, _actor_check(ACTORS[part][prefix], needles))
        if prefix in PLACES[part]:
            return Condition(key, _place_name_check(PLACES[part][prefix], needles))
        if prefix in STRINGS[part]:
            return Condition(key, _string_check(prefix, STRINGS[part][prefix], needles))
        raise bad(f"nothing called {prefix!r} to match in {part}")
    if suffix == "contains":
        if prefix not in TEXTS[part]:
            raise bad(f"{SINGULAR[part]}s have no {prefix!r} text")
        if not isinstance(value, str) or not value:
            raise bad("a _contains value is a non-empty string")
        return Condition(key, _contains_check(prefix, TEXTS[part][prefix], value))
    if suffix == "in" and prefix in SCALARS[part]:
        if not isinstance(value, list) or not value:
            raise bad("an _in value is a non-empty list")
        return Condition(key, _one_of_check(prefix, SCALARS[part][prefix], list(value)))
    if key in SCALARS[part]:
        return Condition(key, _equal_check(key, SCALARS[part][key], value))
    raise bad(f"unknown rule key {key!r} for {part}")


def _strings(value: Any, bad: Callable[[str], InputError]) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
        raise bad("a _matches value is a non-empty string or list of strings")
    return [v.casefold() for v in values]


def _iso(value: Any, bad: Callable[[str], InputError]) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise bad(f"{value!r} is not a YYYY-MM-DD date") from None


def _date_check(key: str, value: Any, entry: Mapping[str, Any], bad: Callable[[str], InputError]) -> Check:
    if key == "date_year":
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad("date_year is an integer year")
        return lambda item: (
            None if item.date and item.date.year == value else (f"date {_d(item.date)} is not in {value}")
        )
    when = _iso(value, bad)
    if key == "date_before":
        return lambda item: (
            None if item.date and item.date < when else f"date {_d(item.date)} is not before {when}"
        )
    if key == "date_after":
        return lambda item: (
            None if item.date and item.date > when else f"date {_d(item.date)} is not after {when}"
        )
    tolerance = entry.get("date_tolerance_days", 0)
    if isinstance(tolerance, bool) or not isinstance(tolerance, int) or tolerance < 0:
        raise bad("date_tolerance_days is a whole number of days, 0 or more")

    def check(item: Any) -> str | None:
        if item.date is None:
            return f"no date (want {when} ± {tolerance} d)"
        gap = abs((item.date - when).days)
        return (
            None if gap <= tolerance else f"date {item.date} is {gap} d from {when} (tolerance {tolerance})"
        )

    return check


def _d(value: dt.date | None) -> str:
    return value.isoformat() if value else "none"


def _place_prop_check(attr: str, prop: str, value: Any) -> Check:
    def check(item: Any) -> str | None:
        place: Location | None = getattr(item, attr)
        if place is None:
            return f"no {attr}"
        actual = getattr(place, prop)
        if prop == "country_code" and isinstance(actual, str) and isinstance(value, str):
            ok = actual.upper() == value.upper()
        else:
            ok = actual == value
        return None if ok else f"{attr} {_place(place)} has {prop} {actual}, not {value}"

    return check


def _place(place: Location | Toponym) -> str:
    name = place.name if isinstance(place, Location) else place.text
    return f"{name!r} ({place.geonameid})"


def _actor_check(attr: str, needles: list[str]) -> Check:
    def check(item: Any) -> str | None:
        actor: Actor | None = getattr(item, attr)
        if actor is None:
            return f"no {attr.rstrip('_')}"
        hay = [s.casefold() for s in (actor.name, actor.text, actor.side) if s]
        if any(n in h for n in needles for h in hay):
            return None
        return f"{attr.rstrip('_')} {_actor(actor)} matches none of {needles}"

    return check


def _actor(actor: Actor | None) -> str:
    if actor is None:
        return "none"
    bits = [actor.text] + [b for b in (actor.name, actor.side) if b and b != actor.text]
    return "/".join(repr(b) for b in bits)


def _place_name_check(attr: str, needles: list[str]) -> Check:
    def check(item: Any) -> str | None:
        place: Location | None = getattr(item, attr)
        if place is None:
            return f"no {attr}"
        return (
            None
            if any(n in place.name.casefold() for n in needles)
            else (f"{attr} {place.name!r} matches none of {needles}")
        )

    return check


def _string_check(name: str, get: Getter, needles: list[str]) -> Check:
    def check(item: Any) -> str | None:
        value = get(item)
        if not value:
            return f"no {name}"
        return (
            None
            if any(n in value.casefold() for n in needles)
            else f"{name} {value!r} matches none of {needles}"
        )

    return check


def _contains_check(name: str, get: Getter, needle: str) -> Check:
    folded = needle.casefold()

    def check(item: Any) -> str | None:
        value = get(item) or ""
        return None if folded in value.casefold() else f"{name} does not contain {needle!r}"

    return check


def _one_of_check(name: str, get: Getter, allowed: list[Any]) -> Check:
    def check(item: Any) -> str | None:
        value = get(item)
        return None if value in allowed else f"{name} is {value!r}, not one of {allowed}"

    return check


def _equal_check(name: str, get: Getter, expected: Any) -> Check:
    def check(item: Any) -> str | None:
        value = get(item)
        return None if value == expected else f"{name} is {value!r}, not {expected!r}"

    return check


# --- checking ---------------------------------------------------------------------------------------


def describe(item: Any) -> str:
    """A one-line summary of an output item, for the reasons a rule passed or failed."""
    if isinstance(item, Event):
        kind = item.plover.event + (f"/{item.sub_event_type}" if item.sub_event_type else "")
        where = _place(item.location) if item.location else "nowhere"
        return (
            f"event {item.id} {kind} {item.modality} at {where} on {_d(item.date)}, "
            f"actor1 {_actor(item.actor1)}"
        )
    if isinstance(item, ControlChange):
        return (
            f"control change of {_place(item.place)} to {_actor(item.to)} from {_actor(item.from_)} "
            f"on {_d(item.date)} ({item.status})"
        )
    if isinstance(item, Quote):
        return f"quote by {_actor(item.speaker)} {_clip(item.text, 50)!r}"
    if isinstance(item, Toponym):
        return f"toponym {item.text!r} ({item.geonameid}, {item.country_code})"
    return repr(item)


def _items(analysis: Analysis, part: str) -> Sequence[Any]:
    items: Sequence[Any] = getattr(analysis, part)
    return items


def check_rule(rule: Rule, analysis: Analysis) -> RuleResult:
    items = _items(analysis, rule.part)
    noun = SINGULAR[rule.part]
    scored = []
    for item in items:
        misses = [(c.key, why) for c in rule.conditions if (why := c.check(item)) is not None]
        scored.append((item, misses))
    satisfying = [item for item, misses in scored if not misses]
    if rule.kind == "must_not":
        if satisfying:
            return RuleResult(
                rule,
                False,
                f"violated by {describe(satisfying[0])}"
                + (f" (and {len(satisfying) - 1} more)" if len(satisfying) > 1 else ""),
            )
        return RuleResult(rule, True, f"no {noun} satisfies every key ({len(items)} checked)")
    if satisfying:
        return RuleResult(rule, True, f"satisfied by {describe(satisfying[0])}")
    if not items:
        return RuleResult(rule, False, f"the output has no {rule.part.replace('_', ' ')}")
    # The nearest miss (fewest keys failed) says most about what the extractor got wrong.
    nearest, misses = min(scored, key=lambda pair: len(pair[1]))
    why = "; ".join(f"{key}: {reason}" for key, reason in misses)
    return RuleResult(rule, False, f"no {noun} satisfies every key; nearest: {describe(nearest)} — {why}")


def check_rules(
    rules: RuleSet | Mapping[str, Any], analysis: Analysis, *, article: str | None = None
) -> RulesReport:
    """Check every rule against one Analysis; the report lists each rule with pass/fail and why."""
    ruleset = rules if isinstance(rules, RuleSet) else compile_rules(rules)
    return RulesReport(
        results=[check_rule(rule, analysis) for rule in ruleset.rules],
        source=ruleset.source,
        article=article or analysis.article.id,
    )


def load_analysis_or_article(
    path: str | Path, *, pipeline: Any = None, published: str | None = None
) -> Analysis:
    """An Analysis from a file: ``frontline extract`` output (a JSON object with ``"schema"``) as it is, or
    an article (text, HTML, JSON) run through the pipeline; ``published`` dates a plain-text article."""
    from ..article import Article, read_path

    p = Path(path)
    if p.suffix.lower() == ".json" and p.is_file():
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise InputError(f"malformed JSON ({exc.msg} at line {exc.lineno})", source=str(p)) from None
        if isinstance(data, dict) and "schema" in data:
            from pydantic import ValidationError

            try:
                return Analysis.model_validate(data)
            except ValidationError as exc:
                raise InputError(
                    f"not a valid frontline.extract output: {exc.errors()[0]['msg']}", source=str(p)
                ) from None
    items = read_path(p, published=published) if published else read_path(p)
    articles = [a for a in items if isinstance(a, Article)]
    if len(items) != 1 or len(articles) != 1:
        raise InputError("give one article (or one extract output) to check rules against", source=str(p))
    if pipeline is None:
        from .. import get_pipeline

        pipeline = get_pipeline()
    result: Analysis = pipeline(articles[0])
    return result


def evaluate_rules(
    expected_path: str | Path, article_path: str | Path, *, pipeline: Any = None, published: str | None = None
) -> RulesReport:
    """``frontline eval rules``: load the rules, read (or extract) the article, check."""
    ruleset = load_rules(expected_path)
    analysis = load_analysis_or_article(article_path, pipeline=pipeline, published=published)
    return check_rules(ruleset, analysis, article=str(article_path))
