"""Gold JSONL: articles with the events, control changes, quotes and toponyms an analyst reads out of them,
and the precision / recall / F1 of Frontline's output against them, part by part.

One article a line (the format, with examples, is in ``docs/eval.md``)::

    {"id": "...", "text": "...", "published": "YYYY-MM-DD",
     "events": [{"sentence": "...", "event_type": "...", "sub_event_type": "...", "plover": "RETREAT",
                 "date": "YYYY-MM-DD", "location": 170017, "actor1": ["rebels", "HTS"], "actor2": "army",
                 "modality": "asserted"}],
     "control_changes": [{"place": 170017, "to": ["HTS"], "from": "army", "date": "...",
                          "status": "confirmed"}],
     "quotes": [{"speaker": ["Ramani"], "text": "a huge humiliation"}],
     "toponyms": [{"text": "Hama", "geonameid": 170017}, {"text": "Syria", "country_code": "SY"}]}

A part left out of a line is not annotated for that article and is not scored there; an empty list says
the article has none, so whatever the extractor outputs for that part counts as false positives.

Matching. A predicted event is *aligned* with a gold event when it comes from the sentence the gold event
quotes (the gold ``sentence`` is a case-insensitive substring of the predicted event's sentence) and, if
the gold gives a ``location``, sits at that GeoNames id; a gold event gives at least one of the two. Each
part then pairs predicted and gold items one to one (a maximum matching, so no item is counted twice):

- ``events``: aligned, same ACLED ``event_type`` (predicted events with a null type are left out).
- ``sub_events``: aligned, same ``sub_event_type``.
- ``plover``: aligned, same PLOVER event.
- ``dates``: aligned, date within the gold's ``date_tolerance_days`` (default 0).
- ``modality``: aligned, same modality.
- ``actors``: aligned, same role (actor1 / actor2), and one of the gold strings occurs in the predicted
  actor's name, text or side.
- ``control_changes``: same place (GeoNames id), and ``to``, ``from``, ``date``, ``status`` as far as the
  gold gives them.
- ``quotes``: a gold speaker string occurs in the speaker's name or text, and one quote's text contains
  the other's (case, spacing and quote marks ignored).
- ``toponyms``: distinct (text, place) pairs; same text exactly, and the gold's geonameid or, for a
  country, its country code.

A gold event that leaves out ``event_type``, ``sub_event_type`` or ``plover`` does not judge it: a typed
prediction aligned only with such gold events is not counted in that part. An explicit ``null`` says the
event is outside that vocabulary (a statement has no ACLED type), so a typed prediction there is a false
positive.

Attribute parts (``dates``, ``modality``, ``actors``) only count predicted events aligned with a gold event
that gives the attribute: detecting an event the gold lacks is scored once, by ``events`` and ``plover``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import FrontlineError, InputError
from ..schema import (
    ACLED_SUB_TO_TYPE,
    ACLED_TYPES,
    MODALITIES,
    PLOVER_EVENTS,
    Actor,
    Analysis,
    ArticleInfo,
    Event,
)
from . import analyse_all
from .report import COUNTS_HEADERS, Counts, counts_rows, fmt, table

PARTS = (
    "events",
    "sub_events",
    "plover",
    "dates",
    "modality",
    "actors",
    "control_changes",
    "quotes",
    "toponyms",
)
# Which article-level key of a gold line annotates each part.
PART_SOURCE = {
    "events": "events",
    "sub_events": "events",
    "plover": "events",
    "dates": "events",
    "modality": "events",
    "actors": "events",
    "control_changes": "control_changes",
    "quotes": "quotes",
    "toponyms": "toponyms",
}
ARTICLE_KEYS = (
    "id",
    "title",
    "published",
    "url",
    "source",
    "text",
    "events",
    "control_changes",
    "quotes",
    "toponyms",
    "comment",
)
EVENT_KEYS = (
    "sentence",
    "event_type",
    "sub_event_type",
    "plover",
    "date",
    "date_tolerance_days",
    "location",
    "actor1",
    "actor2",
    "modality",
    "comment",
)
CONTROL_KEYS = ("place", "to", "from", "date", "date_tolerance_days", "status", "comment")
QUOTE_KEYS = ("speaker", "text", "comment")
TOPONYM_KEYS = ("text", "geonameid", "country_code", "comment")
STATUSES = ("confirmed", "claimed", "denied", "contested")
ROLES = ("actor1", "actor2")


# --- the gold data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldEvent:
    sentence: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    plover: str | None = None
    date: dt.date | None = None
    date_tolerance_days: int = 0
    location: int | None = None
    actor1: tuple[str, ...] | None = None
    actor2: tuple[str, ...] | None = None
    modality: str | None = None
    # The keys the gold line gives: an absent type means "not judged", an explicit null "out of scope".
    given: frozenset[str] = frozenset()


@dataclass(frozen=True)
class GoldControlChange:
    place: int
    to: tuple[str, ...] | None = None
    from_: tuple[str, ...] | None = None
    date: dt.date | None = None
    date_tolerance_days: int = 0
    status: str | None = None


@dataclass(frozen=True)
class GoldQuote:
    speaker: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class GoldToponym:
    text: str
    geonameid: int | None = None
    country_code: str | None = None


@dataclass
class GoldArticle:
    id: str
    text: str
    published: dt.date | None
    line: int
    # None: the part is not annotated for this article (not scored); []: annotated as having none.
    events: list[GoldEvent] | None = None
    control_changes: list[GoldControlChange] | None = None
    quotes: list[GoldQuote] | None = None
    toponyms: list[GoldToponym] | None = None

    def annotates(self, part: str) -> bool:
        return getattr(self, PART_SOURCE[part]) is not None


@dataclass
class GoldSet:
    articles: list[GoldArticle]
    source: str
    sha256: str


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_gold(path: str | Path) -> GoldSet:
    """Read a gold JSONL file; any malformed line is an InputError naming the line and field."""
    p = Path(path)
    if not p.is_file():
        raise InputError("no such gold file", source=str(p))
    articles: list[GoldArticle] = []
    seen: set[str] = set()
    for number, raw in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(f"malformed JSON ({exc.msg})", source=str(p), line=number) from None
        article = parse_gold_article(obj, source=str(p), line=number)
        if article.id in seen:
            raise InputError(f"duplicate article id {article.id!r}", source=str(p), line=number, field="id")
        seen.add(article.id)
        articles.append(article)
    if not articles:
        raise InputError("no gold articles in the file", source=str(p))
    return GoldSet(articles=articles, source=str(p), sha256=file_sha256(p))


class _Reader:
    """Typed access to one gold line's values, raising InputError with the line and field."""

    def __init__(self, source: str, line: int) -> None:
        self.source = source
        self.line = line

    def error(self, message: str, where: str) -> InputError:
        return InputError(message, source=self.source, line=self.line, field=where)

    def keys(self, obj: Any, allowed: Sequence[str], where: str) -> Mapping[str, Any]:
        if not isinstance(obj, Mapping):
            raise self.error("expected a JSON object", where)
        unknown = sorted(set(obj) - set(allowed))
        if unknown:
            raise self.error(f"unknown key(s) {unknown}; allowed: {', '.join(allowed)}", where)
        return obj

    def date(self, value: Any, where: str) -> dt.date | None:
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise self.error(f"{value!r} is not a YYYY-MM-DD date", where) from None

    def geonameid(self, value: Any, where: str) -> int | None:
        if isinstance(value, Mapping):
            value = value.get("geonameid")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error("a place is a GeoNames id (integer) or an object with 'geonameid'", where)
        return value

    def strings(self, value: Any, where: str) -> tuple[str, ...] | None:
        """An actor or speaker: a string, a list of acceptable strings, or an object with name/text/side."""
        if value is None:
            return None
        if isinstance(value, Mapping):
            value = [value[k] for k in ("name", "text", "side") if value.get(k)]
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
            raise self.error("expected a string, a list of strings, or an object with name/text/side", where)
        return tuple(values)

    def choice(self, value: Any, allowed: Sequence[str], where: str) -> str | None:
        if value is None:
            return None
        if value not in allowed:
            raise self.error(f"{value!r} is not one of {', '.join(allowed)}", where)
        return str(value)

    def tolerance(self, value: Any, where: str) -> int:
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.error("date_tolerance_days is a whole number of days, 0 or more", where)
        return value

    def items(self, obj: Mapping[str, Any], key: str) -> list[Any] | None:
        if key not in obj:
            return None
        value = obj[key]
        if not isinstance(value, list):
            raise self.error("expected a list (an empty list when the article has none)", key)
        return value


def parse_gold_article(obj: Any, *, source: str = "<gold>", line: int = 1) -> GoldArticle:
    r = _Reader(source, line)
    obj = r.keys(obj, ARTICLE_KEYS, "article")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise r.error("missing or empty 'text'", "text")
    ident = str(obj.get("id") or f"line-{line}")
    article = GoldArticle(id=ident, text=text, published=r.date(obj.get("published"), "published"), line=line)
    folded_text = _norm(text)
    if (events := r.items(obj, "events")) is not None:
        article.events = [_gold_event(r, e, f"events[{i}]", folded_text) for i, e in enumerate(events)]
    if (changes := r.items(obj, "control_changes")) is not None:
        article.control_changes = [
            _gold_control(r, c, f"control_changes[{i}]") for i, c in enumerate(changes)
        ]
    if (quotes := r.items(obj, "quotes")) is not None:
        article.quotes = [_gold_quote(r, q, f"quotes[{i}]") for i, q in enumerate(quotes)]
    if (toponyms := r.items(obj, "toponyms")) is not None:
        article.toponyms = [_gold_toponym(r, t, f"toponyms[{i}]") for i, t in enumerate(toponyms)]
    return article


def _gold_event(r: _Reader, obj: Any, where: str, folded_text: str) -> GoldEvent:
    obj = r.keys(obj, EVENT_KEYS, where)
    sentence = obj.get("sentence")
    if sentence is not None:
        if not isinstance(sentence, str) or not sentence.strip():
            raise r.error("'sentence' is a non-empty string", f"{where}.sentence")
        # A sentence that is not in the text could never align, and would silently count as a miss.
        if _norm(sentence) not in folded_text:
            raise r.error(f"sentence {sentence!r} does not occur in the article's text", f"{where}.sentence")
    location = r.geonameid(obj.get("location"), f"{where}.location")
    if sentence is None and location is None:
        raise r.error("a gold event needs a 'sentence' or a 'location' to be matched by", where)
    plover = obj.get("plover")
    if isinstance(plover, Mapping):
        plover = plover.get("event")
    sub = r.choice(obj.get("sub_event_type"), tuple(ACLED_SUB_TO_TYPE), f"{where}.sub_event_type")
    event_type = r.choice(obj.get("event_type"), tuple(ACLED_TYPES), f"{where}.event_type")
    if sub is not None:
        if "event_type" not in obj:
            event_type = ACLED_SUB_TO_TYPE[sub]
        elif event_type != ACLED_SUB_TO_TYPE[sub]:
            raise r.error(
                f"sub-event type {sub!r} belongs to {ACLED_SUB_TO_TYPE[sub]!r}, not {event_type!r}",
                f"{where}.event_type",
            )
    return GoldEvent(
        sentence=sentence,
        event_type=event_type,
        sub_event_type=sub,
        plover=r.choice(plover, PLOVER_EVENTS, f"{where}.plover"),
        date=r.date(obj.get("date"), f"{where}.date"),
        date_tolerance_days=r.tolerance(obj.get("date_tolerance_days"), f"{where}.date_tolerance_days"),
        location=location,
        actor1=r.strings(obj.get("actor1"), f"{where}.actor1"),
        actor2=r.strings(obj.get("actor2"), f"{where}.actor2"),
        modality=r.choice(obj.get("modality"), MODALITIES, f"{where}.modality"),
        given=frozenset(obj) | ({"event_type"} if sub is not None else set()),
    )


def _gold_control(r: _Reader, obj: Any, where: str) -> GoldControlChange:
    obj = r.keys(obj, CONTROL_KEYS, where)
    place = r.geonameid(obj.get("place"), f"{where}.place")
    if place is None:
        raise r.error("a gold control change needs its 'place' (GeoNames id)", f"{where}.place")
    return GoldControlChange(
        place=place,
        to=r.strings(obj.get("to"), f"{where}.to"),
        from_=r.strings(obj.get("from"), f"{where}.from"),
        date=r.date(obj.get("date"), f"{where}.date"),
        date_tolerance_days=r.tolerance(obj.get("date_tolerance_days"), f"{where}.date_tolerance_days"),
        status=r.choice(obj.get("status"), STATUSES, f"{where}.status"),
    )


def _gold_quote(r: _Reader, obj: Any, where: str) -> GoldQuote:
    obj = r.keys(obj, QUOTE_KEYS, where)
    speaker = r.strings(obj.get("speaker"), f"{where}.speaker")
    text = obj.get("text")
    if speaker is None:
        raise r.error("a gold quote needs its 'speaker'", f"{where}.speaker")
    if not isinstance(text, str) or not _norm(text):
        raise r.error("a gold quote needs its 'text'", f"{where}.text")
    return GoldQuote(speaker=speaker, text=text)


def _gold_toponym(r: _Reader, obj: Any, where: str) -> GoldToponym:
    obj = r.keys(obj, TOPONYM_KEYS, where)
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        raise r.error("a gold toponym needs its 'text'", f"{where}.text")
    geonameid = r.geonameid(obj.get("geonameid"), f"{where}.geonameid")
    code = obj.get("country_code")
    if code is not None and (not isinstance(code, str) or len(code) != 2):
        raise r.error("country_code is ISO 3166-1 alpha-2", f"{where}.country_code")
    if geonameid is None and code is None:
        raise r.error("a gold toponym needs a 'geonameid' or a 'country_code'", where)
    return GoldToponym(text=text, geonameid=geonameid, country_code=code.upper() if code else None)


# --- matching --------------------------------------------------------------------------------------

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "«": '"', "»": '"'})


def _norm(text: str) -> str:
    """Case, spacing and typographic quote marks ignored; the quote marks and edge punctuation dropped."""
    folded = re.sub(r"\s+", " ", text.translate(_QUOTES).casefold()).strip()
    return folded.strip(" \"'.,;:")


def _actor_matches(actor: Actor | None, needles: Iterable[str]) -> bool:
    if actor is None:
        return False
    hay = [s.casefold() for s in (actor.name, actor.text, actor.side) if s]
    return any(n.casefold() in h for n in needles for h in hay)


def aligned(pred: Event, gold: GoldEvent) -> bool:
    if gold.sentence is not None and _norm(gold.sentence) not in _norm(pred.sentence):
        return False
    return gold.location is None or (pred.location is not None and pred.location.geonameid == gold.location)


def max_matching(n_gold: int, n_pred: int, ok: Callable[[int, int], bool]) -> list[tuple[int, int]]:
    """A maximum one-to-one matching of gold to predicted items (Kuhn's augmenting paths).

    Greedy pairing can undercount: a prediction that fits two gold items may be taken by the first and
    leave the second unmatched although another prediction fitted it; augmenting paths fix that.
    """
    edges = [[j for j in range(n_pred) if ok(i, j)] for i in range(n_gold)]
    owner = [-1] * n_pred

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if owner[j] == -1 or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(n_gold):
        augment(i, set())
    return sorted((i, j) for j, i in enumerate(owner) if i != -1)


@dataclass
class PartScore:
    """One part's counts, overall and per label (event type, modality, status ...)."""

    counts: Counts = field(default_factory=Counts)
    labels: dict[str, Counts] = field(default_factory=dict)
    articles: int = 0  # articles whose gold annotates this part

    def label(self, name: str) -> Counts:
        return self.labels.setdefault(name, Counts())

    @property
    def macro_f1(self) -> float | None:
        """Mean F1 over the labels the gold has (labels only ever predicted do not enter the mean)."""
        scores = [c.f1 or 0.0 for c in self.labels.values() if c.support]
        return sum(scores) / len(scores) if scores else None

    def to_dict(self) -> dict[str, Any]:
        out = self.counts.to_dict()
        out["macro_f1"] = None if self.macro_f1 is None else round(self.macro_f1, 4)
        out["articles"] = self.articles
        out["labels"] = {k: v.to_dict() for k, v in sorted(self.labels.items())}
        return out


@dataclass
class Miss:
    """One gold item not found (fn) or one predicted item not in the gold (fp), for error analysis."""

    article: str
    part: str
    kind: str  # "fn" or "fp"
    label: str
    what: str

    def to_dict(self) -> dict[str, str]:
        return {
            "article": self.article,
            "part": self.part,
            "kind": self.kind,
            "label": self.label,
            "what": self.what,
        }


@dataclass
class GoldReport:
    parts: dict[str, PartScore]
    source: str = "<gold>"
    sha256: str | None = None
    articles: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)

    def to_dict(self, *, misses: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "gold": self.source,
            "sha256": self.sha256,
            "articles": self.articles,
            "failed": [{"id": i, "error": e} for i, e in self.failed],
            "parts": {name: score.to_dict() for name, score in self.parts.items()},
        }
        if misses:
            out["misses"] = [m.to_dict() for m in self.misses]
        return out

    def to_table(self) -> str:
        scored = [(name, s) for name, s in self.parts.items() if s.articles]
        rows = counts_rows((name, s.counts) for name, s in scored)
        for row, (_, s) in zip(rows, scored, strict=True):
            row.append(fmt(s.macro_f1))
        out = [
            f"gold: {self.source} ({self.articles} articles, sha256 {str(self.sha256)[:12]})",
            table((*COUNTS_HEADERS, "macro-F1"), rows),
        ]
        for name in ("events", "plover", "modality"):
            s = self.parts[name]
            if s.labels:
                out.append(
                    f"\n{name} by label\n" + table(COUNTS_HEADERS, counts_rows(sorted(s.labels.items())))
                )
        if self.failed:
            out.append("\nfailed articles: " + "; ".join(f"{i}: {e}" for i, e in self.failed))
        return "\n".join(out)


def _event_text(e: Event) -> str:
    where = e.location.name if e.location else "?"
    kind = f"{e.plover.event}/{e.event_type or '-'}"
    return f"{kind} at {where} {e.date or ''} [{e.modality}] in {e.sentence[:80]!r}"


def _gold_text(g: GoldEvent) -> str:
    return (
        f"{g.plover or '-'}/{g.event_type or '-'} at {g.location or '?'} {g.date or ''} [{g.modality or '-'}]"
        f" in {(g.sentence or '')[:80]!r}"
    )


def _score_pairs(
    score: PartScore,
    misses: list[Miss],
    article: str,
    part: str,
    gold: Sequence[Any],
    pred: Sequence[Any],
    ok: Callable[[Any, Any], bool],
    gold_label: Callable[[Any], str],
    pred_label: Callable[[Any], str],
    gold_text: Callable[[Any], str],
    pred_text: Callable[[Any], str],
) -> None:
    pairs = max_matching(len(gold), len(pred), lambda i, j: ok(gold[i], pred[j]))
    matched_gold = {i for i, _ in pairs}
    matched_pred = {j for _, j in pairs}
    for i, _ in pairs:
        score.counts.tp += 1
        score.label(gold_label(gold[i])).tp += 1
    for i, g in enumerate(gold):
        if i not in matched_gold:
            score.counts.fn += 1
            score.label(gold_label(g)).fn += 1
            misses.append(Miss(article, part, "fn", gold_label(g), gold_text(g)))
    for j, p in enumerate(pred):
        if j not in matched_pred:
            score.counts.fp += 1
            score.label(pred_label(p)).fp += 1
            misses.append(Miss(article, part, "fp", pred_label(p), pred_text(p)))


def _within(pred: dt.date | None, gold: dt.date | None, tolerance: int) -> bool:
    return pred is not None and gold is not None and abs((pred - gold).days) <= tolerance


def score_article(gold: GoldArticle, analysis: Analysis, report: GoldReport) -> None:
    """Add one article's comparison to the report's counts."""
    parts = report.parts
    for name in PARTS:
        if gold.annotates(name):
            parts[name].articles += 1
    a = gold.id

    def const(label: str) -> Callable[[Any], str]:
        return lambda _: label

    if gold.events is not None:
        ge, pe = gold.events, analysis.events

        def typed(attr: str, getter: Callable[[Event], str | None], part: str) -> None:
            gs = [g for g in ge if getattr(g, attr) is not None]
            # A GoldEvent built in code (empty ``given``) judges every field; parsed lines may leave some out.
            unjudged = [g for g in ge if g.given and attr not in g.given]

            def counted(p: Event) -> bool:
                # A typed prediction in a place where the gold does not judge the type is neither right
                # nor wrong; an explicit null in the gold, though, makes it a false positive.
                return any(aligned(p, g) for g in gs) or not any(aligned(p, g) for g in unjudged)

            ps = [p for p in pe if getter(p) is not None and counted(p)]
            _score_pairs(
                parts[part],
                report.misses,
                a,
                part,
                gs,
                ps,
                lambda g, p: aligned(p, g) and getattr(g, attr) == getter(p),
                lambda g: str(getattr(g, attr)),
                lambda p: str(getter(p)),
                _gold_text,
                _event_text,
            )

        typed("event_type", lambda e: e.event_type, "events")
        typed("sub_event_type", lambda e: e.sub_event_type, "sub_events")
        typed("plover", lambda e: e.plover.event, "plover")

        def attribute(
            part: str,
            has: Callable[[GoldEvent], bool],
            pred_has: Callable[[Event], bool],
            ok: Callable[[GoldEvent, Event], bool],
            gold_label: Callable[[Any], str],
            pred_label: Callable[[Any], str],
        ) -> None:
            gs = [g for g in ge if has(g)]
            # Only predictions the gold knows about: see the module's docstring.
            ps = [p for p in pe if pred_has(p) and any(aligned(p, g) for g in gs)]
            _score_pairs(
                parts[part],
                report.misses,
                a,
                part,
                gs,
                ps,
                lambda g, p: aligned(p, g) and ok(g, p),
                gold_label,
                pred_label,
                _gold_text,
                _event_text,
            )

        attribute(
            "dates",
            lambda g: g.date is not None,
            lambda p: p.date is not None,
            lambda g, p: _within(p.date, g.date, g.date_tolerance_days),
            const("date"),
            const("date"),
        )
        attribute(
            "modality",
            lambda g: g.modality is not None,
            lambda p: True,
            lambda g, p: g.modality == p.modality,
            lambda g: str(g.modality),
            lambda p: p.modality,
        )

        # Actors: one item per filled role, so that actor1 and actor2 are scored apart.
        gold_roles = [(role, g) for g in ge for role in ROLES if getattr(g, role) is not None]
        pred_roles = [
            (role, p)
            for p in pe
            for role in ROLES
            if getattr(p, role) is not None and any(r == role and aligned(p, g) for r, g in gold_roles)
        ]
        _score_pairs(
            parts["actors"],
            report.misses,
            a,
            "actors",
            gold_roles,
            pred_roles,
            lambda gr, pr: (
                gr[0] == pr[0]
                and aligned(pr[1], gr[1])
                and _actor_matches(getattr(pr[1], pr[0]), getattr(gr[1], gr[0]))
            ),
            lambda gr: gr[0],
            lambda pr: pr[0],
            lambda gr: f"{gr[0]} {getattr(gr[1], gr[0])} of {_gold_text(gr[1])}",
            lambda pr: f"{pr[0]} {getattr(pr[1], pr[0])} of {_event_text(pr[1])}",
        )

    if gold.control_changes is not None:

        def control_ok(g: GoldControlChange, p: Any) -> bool:
            return (
                p.place.geonameid == g.place
                and (g.to is None or _actor_matches(p.to, g.to))
                and (g.from_ is None or _actor_matches(p.from_, g.from_))
                and (g.date is None or _within(p.date, g.date, g.date_tolerance_days))
                and (g.status is None or g.status == p.status)
            )

        _score_pairs(
            parts["control_changes"],
            report.misses,
            a,
            "control_changes",
            gold.control_changes,
            analysis.control_changes,
            control_ok,
            lambda g: g.status or "any",
            lambda p: p.status,
            lambda g: f"{g.place} to {g.to} on {g.date} ({g.status})",
            lambda p: (
                f"{p.place.name} ({p.place.geonameid}) to {p.to.name or p.to.text} on {p.date} ({p.status})"
            ),
        )

    if gold.quotes is not None:

        def quote_ok(g: GoldQuote, p: Any) -> bool:
            gt, pt = _norm(g.text), _norm(p.text)
            hay = [s.casefold() for s in (p.speaker.name, p.speaker.text) if s]
            return (
                (gt in pt or pt in gt) and bool(pt) and any(n.casefold() in h for n in g.speaker for h in hay)
            )

        _score_pairs(
            parts["quotes"],
            report.misses,
            a,
            "quotes",
            gold.quotes,
            analysis.quotes,
            quote_ok,
            const("quote"),
            const("quote"),
            lambda g: f"{g.speaker}: {g.text[:60]!r}",
            lambda p: f"{p.speaker.name or p.speaker.text}: {p.text[:60]!r}",
        )

    if gold.toponyms is not None:
        distinct = list({(t.text, t.geonameid, t.country_code): t for t in analysis.toponyms}.values())

        def toponym_ok(g: GoldToponym, p: Any) -> bool:
            if g.text != p.text:
                return False
            if g.geonameid is not None:
                return bool(p.geonameid == g.geonameid)
            return bool(p.country_code and p.country_code.upper() == g.country_code)

        _score_pairs(
            parts["toponyms"],
            report.misses,
            a,
            "toponyms",
            gold.toponyms,
            distinct,
            toponym_ok,
            const("toponym"),
            const("toponym"),
            lambda g: f"{g.text} ({g.geonameid or g.country_code})",
            lambda p: f"{p.text} ({p.geonameid}, {p.country_code})",
        )


def new_report(gold: GoldSet | None = None) -> GoldReport:
    return GoldReport(
        parts={name: PartScore() for name in PARTS},
        source=gold.source if gold else "<gold>",
        sha256=gold.sha256 if gold else None,
        articles=len(gold.articles) if gold else 0,
    )


def score_gold(gold: GoldSet, analyses: Mapping[str, Analysis | FrontlineError]) -> GoldReport:
    """Score analyses (by article id) against a gold set. A failed or missing article counts all its gold
    items as misses: an extractor that crashes must not score better than one that answers badly."""
    report = new_report(gold)
    for article in gold.articles:
        result = analyses.get(article.id)
        if not isinstance(result, Analysis):
            report.failed.append((article.id, str(result) if result is not None else "no analysis"))
            result = Analysis(article=ArticleInfo(id=article.id))
        score_article(article, result, report)
    return report


def evaluate_gold(path: str | Path, *, pipeline: Any = None) -> GoldReport:
    """``frontline eval gold``: run the pipeline on every gold article and score its output."""
    from ..article import Article

    gold = load_gold(path)
    if pipeline is None:
        from .. import get_pipeline

        pipeline = get_pipeline()
    articles = [Article(text=g.text, id=g.id, published=g.published) for g in gold.articles]
    return score_gold(gold, dict(zip((a.id for a in articles), analyse_all(pipeline, articles), strict=True)))
