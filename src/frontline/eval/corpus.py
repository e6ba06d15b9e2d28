"""Scoring Frontline on the reading benchmark (``frontline eval corpus``).

Three parts, each with train/dev/test splits (``frontline.bench.corpus``):

reports
    Control changes, strict (place, new controller and date all right) and place-only, one to one;
    **fake captures**: predicted changes that match none of the gold changes but a place the gold lists in
    ``not_changes`` (a threat, a denial, an advance ... turned into a capture); ACLED events in ACLED's unit
    (one per happening: same event type, place within 50 km, date within the gold's tolerance), one to one,
    with predicted events per gold event; ACLED sub-event weighted F1, PLOVER event macro-F1, modality
    accuracy and date accuracy over events aligned by their evidence sentences; quotes. Each per genre and
    per conflict.
sentences
    The relabelled event-location sentences: is a change of control read where there is one (P/R/F1), with
    the right place and captor.
notes
    ACLED-style notes: the sub-event type of the note's main event (accuracy, weighted F1).

Predictions with status ``denied`` do not claim a change and are not scored as changes. A prediction at a
place the gold lists as ``historical`` or ``state`` (an old capture recalled, "held since 2016") is neither
right nor wrong when it is dated as history (more than ``HISTORY_DAYS`` before publication): listing an
old change with its old date is what the output contract asks.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..article import Article
from ..bench.records import AcledNote, GoldActor, GoldEvent, GoldPlace, RelabelledSentence, Report, fold
from ..errors import FrontlineError
from ..schema import Actor, Analysis, ArticleInfo, Event, Location
from . import analyse_all
from .gold import max_matching
from .report import Counts, fmt, table

HISTORY_DAYS = 180
EVENT_KM = 50.0
# How far a predicted point may be from the gold's and still be the same place, by the gold's kind.
PLACE_KM = {
    "facility": 10.0,
    "neighbourhood": 10.0,
    "village": 15.0,
    "town": 25.0,
    "city": 30.0,
    "admin2": 60.0,
    "other": 30.0,
    "admin1": 150.0,
    "region": 200.0,
    "country": 600.0,
}
_WORD = re.compile(r"[\w'-]+")
_ARTICLES = ("the ", "a ", "an ")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _key(text: str | None) -> str:
    s = fold(text or "").strip(" \"'.,;:")
    for a in _ARTICLES:
        if s.startswith(a):
            s = s[len(a) :]
    return s.removesuffix("'s")


def _contains_words(hay: str, needle: str) -> bool:
    """``needle`` occurs in ``hay`` as whole words ("m23" in "m23 rebels", not "russia" in "russian")."""
    if not needle or not hay:
        return False
    return re.search(rf"(?<![\w-]){re.escape(needle)}(?![\w-])", hay) is not None


def names_match(pred: Iterable[str | None], gold: Iterable[str]) -> bool:
    ps = [k for k in (_key(p) for p in pred) if k]
    gs = [k for k in (_key(g) for g in gold) if k]
    return any(p == g or _contains_words(p, g) or _contains_words(g, p) for p in ps for g in gs)


def place_matches(loc: Location | None, gold: GoldPlace | None, *, km: float | None = None) -> bool:
    """Same place: the same GeoNames id, the same name (or one of the gold's aliases), or a point close
    enough for the gold's kind of place."""
    if loc is None or gold is None:
        return False
    if gold.geonameid is not None and loc.geonameid is not None:
        return gold.geonameid == loc.geonameid
    if names_match([loc.name], gold.names()):
        return True
    if None in (loc.lat, loc.lon, gold.lat, gold.lon):
        return False
    radius = km if km is not None else PLACE_KM.get(gold.kind, 30.0)
    assert loc.lat is not None and loc.lon is not None and gold.lat is not None and gold.lon is not None
    return distance_km(loc.lat, loc.lon, gold.lat, gold.lon) <= radius


def actor_matches(actor: Actor | None, gold: GoldActor | None) -> bool:
    if actor is None or gold is None:
        return False
    return names_match([actor.name, actor.text], gold.names())


def date_ok(pred: dt.date | None, gold: dt.date | None, tolerance: int) -> bool:
    if gold is None:
        return True
    return pred is not None and abs((pred - gold).days) <= tolerance


def event_sentences(e: Event) -> list[str]:
    """The sentences an event was read from: its own, and those of every mention merged into it."""
    out = [e.sentence]
    for m in getattr(e, "mentions", None) or ():
        s = getattr(m, "sentence", None)
        if s:
            out.append(s)
    return out


def _overlaps(a: str, b: str) -> bool:
    fa, fb = fold(a), fold(b)
    return bool(fa and fb) and (fa in fb or fb in fa)


def aligned(pred: Event, gold: GoldEvent) -> bool:
    """The prediction was read from one of the gold event's evidence sentences, at a compatible place."""
    if not any(_overlaps(s, ev) for s in event_sentences(pred) for ev in gold.evidence):
        return False
    if gold.place is not None and pred.location is not None and pred.location.lat is not None:
        return place_matches(pred.location, gold.place, km=EVENT_KM)
    return True


def acled_row(e: Event) -> bool:
    return e.sub_event_type is not None and e.modality in ("asserted", "claimed")


# --- label metrics -------------------------------------------------------------------------------------


@dataclass
class Labels:
    """(gold, predicted) label pairs: weighted and macro F1 over the gold's classes, and accuracy."""

    pairs: list[tuple[str, str | None]] = field(default_factory=list)

    def add(self, gold: str, pred: str | None) -> None:
        self.pairs.append((gold, pred))

    def per_class(self) -> dict[str, Counts]:
        out: dict[str, Counts] = defaultdict(Counts)
        for g, p in self.pairs:
            if p == g:
                out[g].tp += 1
            else:
                out[g].fn += 1
                if p is not None:
                    out[p].fp += 1
        return dict(out)

    @property
    def accuracy(self) -> float | None:
        return sum(g == p for g, p in self.pairs) / len(self.pairs) if self.pairs else None

    @property
    def weighted_f1(self) -> float | None:
        classes = self.per_class()
        support = {k: c.support for k, c in classes.items() if c.support}
        total = sum(support.values())
        if not total:
            return None
        return sum((classes[k].f1 or 0.0) * n for k, n in support.items()) / total

    @property
    def macro_f1(self) -> float | None:
        scores = [c.f1 or 0.0 for c in self.per_class().values() if c.support]
        return sum(scores) / len(scores) if scores else None

    @property
    def untyped(self) -> int:
        return sum(p is None for _, p in self.pairs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": len(self.pairs),
            "accuracy": _r(self.accuracy),
            "weighted_f1": _r(self.weighted_f1),
            "macro_f1": _r(self.macro_f1),
            "untyped": self.untyped,
            "labels": {k: v.to_dict() for k, v in sorted(self.per_class().items())},
        }


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 4)


@dataclass
class Ratio:
    hit: int = 0
    n: int = 0

    def add(self, ok: bool) -> None:
        self.n += 1
        self.hit += bool(ok)

    def merge(self, other: Ratio) -> None:
        self.hit += other.hit
        self.n += other.n

    @property
    def value(self) -> float | None:
        return self.hit / self.n if self.n else None


# --- reports -------------------------------------------------------------------------------------------


@dataclass
class ReportScore:
    """One report's counts (they add up into groups: the split, a genre, a conflict)."""

    strict: Counts = field(default_factory=Counts)
    place: Counts = field(default_factory=Counts)
    predicted_changes: int = 0
    fake: int = 0
    neutral: int = 0
    events: Counts = field(default_factory=Counts)
    gold_events: int = 0
    predicted_events: int = 0
    dates: Ratio = field(default_factory=Ratio)
    controller: Ratio = field(default_factory=Ratio)
    previous: Ratio = field(default_factory=Ratio)
    status: Ratio = field(default_factory=Ratio)
    modality: Ratio = field(default_factory=Ratio)
    # PLOVER mode, over events matched with the gold's own PLOVER event (no mode is a value too)
    modes: Ratio = field(default_factory=Ratio)
    quotes: Counts = field(default_factory=Counts)
    acled: Labels = field(default_factory=Labels)
    plover: Labels = field(default_factory=Labels)
    failed: int = 0
    reports: int = 1
    misses: list[str] = field(default_factory=list)

    def merge(self, o: ReportScore) -> None:
        for name in ("strict", "place", "events", "quotes"):
            getattr(self, name).add(getattr(o, name))
        for name in ("dates", "controller", "previous", "status", "modality", "modes"):
            getattr(self, name).merge(getattr(o, name))
        for name in (
            "predicted_changes",
            "fake",
            "neutral",
            "gold_events",
            "predicted_events",
            "failed",
            "reports",
        ):
            setattr(self, name, getattr(self, name) + getattr(o, name))
        self.acled.pairs.extend(o.acled.pairs)
        self.plover.pairs.extend(o.plover.pairs)

    @property
    def errors(self) -> int:
        return self.strict.fp + self.strict.fn + self.events.fp + self.events.fn + 2 * self.fake

    def to_dict(self) -> dict[str, Any]:
        return {
            "reports": self.reports,
            "failed": self.failed,
            "control_strict": self.strict.to_dict(),
            "control_place": self.place.to_dict(),
            "predicted_changes": self.predicted_changes,
            "fake_captures": self.fake,
            "fake_capture_rate": _r(self.fake / self.predicted_changes if self.predicted_changes else 0.0),
            # the same, as a share that floors can hold up (floors are minimums)
            "genuine_capture_share": _r(
                1 - self.fake / self.predicted_changes if self.predicted_changes else 1.0
            ),
            "historical_neutral": self.neutral,
            "controller_accuracy": _r(self.controller.value),
            "previous_controller_accuracy": _r(self.previous.value),
            "status_accuracy": _r(self.status.value),
            "events": self.events.to_dict(),
            "events_per_gold": _r(self.predicted_events / self.gold_events if self.gold_events else None),
            "acled_sub_event": self.acled.to_dict(),
            "plover_event": self.plover.to_dict(),
            "modality_accuracy": _r(self.modality.value),
            "plover_mode_accuracy": _r(self.modes.value),
            "date_accuracy": _r(self.dates.value),
            "quotes": self.quotes.to_dict(),
        }


def _predicted_changes(analysis: Analysis) -> list[Any]:
    return [c for c in analysis.control_changes if c.status != "denied"]


def score_report(report: Report, analysis: Analysis) -> ReportScore:
    s = ReportScore()
    gold = report.control_changes
    preds = _predicted_changes(analysis)
    s.predicted_changes = len(preds)
    _score_control(report, gold, preds, s)
    _score_events(report, analysis.events, s)
    _score_quotes(report, analysis, s)
    return s


def _score_control(report: Report, gold: Sequence[Any], preds: Sequence[Any], s: ReportScore) -> None:
    def place_ok(i: int, j: int) -> bool:
        return place_matches(preds[j].place, gold[i].place)

    def strict_ok(i: int, j: int) -> bool:
        g, p = gold[i], preds[j]
        return place_ok(i, j) and actor_matches(p.to, g.to) and date_ok(p.date, g.date, g.date_tolerance_days)

    strict = max_matching(len(gold), len(preds), strict_ok)
    s.strict = Counts(tp=len(strict), fp=len(preds) - len(strict), fn=len(gold) - len(strict))
    placed = max_matching(len(gold), len(preds), place_ok)
    s.place = Counts(tp=len(placed), fp=len(preds) - len(placed), fn=len(gold) - len(placed))
    for i, j in placed:
        g, p = gold[i], preds[j]
        s.controller.add(actor_matches(p.to, g.to))
        if g.from_ is not None:
            s.previous.add(actor_matches(p.from_, g.from_))
        s.status.add(p.status == g.status)
        if g.date is not None:
            s.dates.add(date_ok(p.date, g.date, g.date_tolerance_days))
    matched = {j for _, j in placed}
    strict_gold = {i for i, _ in strict}
    for i, g in enumerate(gold):
        if i not in strict_gold:
            s.misses.append(
                f"missed change: {g.place.name} -> {g.to.name} {g.date or ''} ({g.evidence[:80]})"
            )
    for j, p in enumerate(preds):
        if j in matched:
            if not any(j == jj for _, jj in strict):
                s.misses.append(
                    f"wrong change: {p.place.name} -> {p.to.name or p.to.text} {p.date or ''} [{p.status}]"
                )
            continue
        nots = [n for n in report.not_changes if place_matches(p.place, n.place)]
        if not nots:
            s.misses.append(f"extra change: {p.place.name} -> {p.to.name or p.to.text} {p.date or ''}")
            continue
        old = p.date is not None and (report.published - p.date).days > HISTORY_DAYS
        if old and any(n.reason in ("historical", "state") for n in nots):
            s.neutral += 1
            s.strict.fp -= 1
            s.place.fp -= 1
            s.predicted_changes -= 1
            continue
        s.fake += 1
        s.misses.append(f"FAKE capture ({nots[0].reason}): {p.place.name} -> {p.to.name or p.to.text}")


def _score_events(report: Report, predicted: Sequence[Event], s: ReportScore) -> None:
    gold_rows = [e for e in report.events if e.acled_row]
    pred_rows = [e for e in predicted if acled_row(e)]
    s.gold_events, s.predicted_events = len(gold_rows), len(pred_rows)

    def same_happening(i: int, j: int) -> bool:
        g, p = gold_rows[i], pred_rows[j]
        if g.event_type != p.event_type:
            return False
        if g.place is not None:
            if p.location is None:
                return False
            if p.location.lat is not None and g.place.lat is not None:
                if not place_matches(p.location, g.place, km=EVENT_KM):
                    return False
            elif not names_match([p.location.name], g.place.names()):
                return False
        return date_ok(p.date, g.date, g.date_tolerance_days)

    pairs = max_matching(len(gold_rows), len(pred_rows), same_happening)
    s.events = Counts(tp=len(pairs), fp=len(pred_rows) - len(pairs), fn=len(gold_rows) - len(pairs))
    hit = {i for i, _ in pairs}
    for i, g in enumerate(gold_rows):
        if i not in hit:
            where = g.place.name if g.place else "?"
            s.misses.append(
                f"missed event: {g.sub_event_type} at {where} {g.date or ''} ({g.evidence[0][:70]})"
            )
    got = {j for _, j in pairs}
    for j, p in enumerate(pred_rows):
        if j not in got:
            where = p.location.name if p.location else "?"
            s.misses.append(f"extra event: {p.sub_event_type} at {where} {p.date or ''} ({p.sentence[:70]})")

    # Typing: each gold event against the predictions read from its evidence. Pairs with the same label
    # are matched first, so that two events in one sentence each find their own.
    everything = list(report.events)
    _typing(
        [g for g in everything if g.sub_event_type is not None],
        predicted,
        lambda e: e.sub_event_type,
        lambda g: g.sub_event_type,
        s.acled,
    )
    ploverable = list(everything)
    pairs_p = _typing(ploverable, predicted, lambda e: e.plover.event, lambda g: g.plover.event, s.plover)
    for i, j in pairs_p:
        g, p = ploverable[i], predicted[j]
        s.modality.add(p.modality == g.modality)
        if p.plover.event == g.plover.event:
            s.modes.add(p.plover.mode == g.plover.mode)
        if g.date is not None and g.modality not in ("threatened", "planned", "hypothetical"):
            s.dates.add(date_ok(p.date, g.date, g.date_tolerance_days))


def _typing(
    gold: Sequence[GoldEvent],
    predicted: Sequence[Event],
    pred_label: Callable[[Event], str | None],
    gold_label: Callable[[GoldEvent], str | None],
    labels: Labels,
) -> list[tuple[int, int]]:
    def same(i: int, j: int) -> bool:
        return aligned(predicted[j], gold[i]) and pred_label(predicted[j]) == gold_label(gold[i])

    first = max_matching(len(gold), len(predicted), same)
    used_g, used_p = {i for i, _ in first}, {j for _, j in first}
    rest_g = [i for i in range(len(gold)) if i not in used_g]
    rest_p = [j for j in range(len(predicted)) if j not in used_p]
    second = max_matching(
        len(rest_g), len(rest_p), lambda a, b: aligned(predicted[rest_p[b]], gold[rest_g[a]])
    )
    pairs = first + [(rest_g[a], rest_p[b]) for a, b in second]
    paired = dict(pairs)
    for i, g in enumerate(gold):
        label = gold_label(g)
        assert label is not None
        labels.add(label, pred_label(predicted[paired[i]]) if i in paired else None)
    return pairs


def _score_quotes(report: Report, analysis: Analysis, s: ReportScore) -> None:
    gold, preds = report.quotes, analysis.quotes

    def ok(i: int, j: int) -> bool:
        g, p = gold[i], preds[j]
        return _overlaps(g.text, p.text) and names_match([p.speaker.name, p.speaker.text], g.speaker.names())

    pairs = max_matching(len(gold), len(preds), ok)
    s.quotes = Counts(tp=len(pairs), fp=len(preds) - len(pairs), fn=len(gold) - len(pairs))


def report_article(report: Report) -> Article:
    return Article(
        text=report.text,
        id=report.id,
        title=report.title,
        published=report.published,
        source=report.outlet,
    )


@dataclass
class CorpusResult:
    split: str
    sha256: str
    total: ReportScore
    genres: dict[str, ReportScore]
    conflicts: dict[str, ReportScore]
    worst: list[tuple[str, int, list[str]]]  # (id, errors, what went wrong); empty for the test split

    def to_dict(self) -> dict[str, Any]:
        return {
            "part": "reports",
            "split": self.split,
            "sha256": self.sha256,
            **self.total.to_dict(),
            "genres": {k: _brief(v) for k, v in sorted(self.genres.items())},
            "conflicts": {k: _brief(v) for k, v in sorted(self.conflicts.items())},
            "worst": [{"id": i, "errors": n, "misses": m} for i, n, m in self.worst],
        }

    def to_table(self) -> str:
        t = self.total
        head = [
            f"reading benchmark, reports, split {self.split} "
            f"({t.reports} reports, sha256 {self.sha256[:12]}…)",
            "",
        ]
        rows = [
            ["control changes, strict", *_prf(t.strict)],
            ["control changes, place only", *_prf(t.place)],
            ["ACLED events (one per happening)", *_prf(t.events)],
            ["quotes", *_prf(t.quotes)],
        ]
        out = [*head, table(["measure", "P", "R", "F1", "tp/fp/fn"], rows)]
        fake_rate = t.fake / t.predicted_changes if t.predicted_changes else 0.0
        out += [
            "",
            f"fake captures: {t.fake} of {t.predicted_changes} predicted changes ({fake_rate:.1%}); "
            f"old changes listed with their old dates: {t.neutral}",
            f"predicted ACLED events per gold event: {fmt(_ratio(t.predicted_events, t.gold_events))}",
            f"ACLED sub-event weighted F1 {fmt(t.acled.weighted_f1)} (accuracy {fmt(t.acled.accuracy)}, "
            f"{t.acled.untyped} of {len(t.acled.pairs)} untyped); PLOVER macro-F1 {fmt(t.plover.macro_f1)}, "
            f"mode accuracy {fmt(t.modes.value)}",
            f"modality accuracy {fmt(t.modality.value)}; date accuracy {fmt(t.dates.value)}; "
            f"controller {fmt(t.controller.value)}, previous controller {fmt(t.previous.value)}, "
            f"status {fmt(t.status.value)} (over place-matched changes)",
        ]
        if t.failed:
            out.append(f"{t.failed} reports failed to extract")
        for title, groups in (("genre", self.genres), ("conflict", self.conflicts)):
            rows = [
                [
                    k,
                    v.reports,
                    fmt(v.strict.f1),
                    fmt(v.place.f1),
                    v.fake,
                    fmt(v.events.f1),
                    fmt(v.acled.weighted_f1),
                ]
                for k, v in sorted(groups.items())
            ]
            out += [
                "",
                table(
                    [title, "reports", "strict F1", "place F1", "fakes", "events F1", "sub-type wF1"], rows
                ),
            ]
        if self.worst:
            out += ["", "worst ten records (dev and train only):"]
            for rid, n, misses in self.worst:
                out.append(f"  {rid}: {n} errors")
                out += [f"    - {m}" for m in misses[:8]]
        return "\n".join(out)


def _prf(c: Counts) -> list[Any]:
    return [fmt(c.precision), fmt(c.recall), fmt(c.f1), f"{c.tp}/{c.fp}/{c.fn}"]


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def _brief(s: ReportScore) -> dict[str, Any]:
    return {
        "reports": s.reports,
        "control_strict_f1": _r(s.strict.f1),
        "control_place_f1": _r(s.place.f1),
        "fake_captures": s.fake,
        "events_f1": _r(s.events.f1),
        "acled_weighted_f1": _r(s.acled.weighted_f1),
    }


def score_reports(
    reports: Sequence[Report],
    analyses: Sequence[Analysis | FrontlineError],
    *,
    split: str,
    sha256: str,
    show_worst: bool,
) -> CorpusResult:
    total = ReportScore(reports=0)
    genres: dict[str, ReportScore] = defaultdict(lambda: ReportScore(reports=0))
    conflicts: dict[str, ReportScore] = defaultdict(lambda: ReportScore(reports=0))
    scored: list[tuple[str, int, list[str]]] = []
    for report, analysis in zip(reports, analyses, strict=True):
        if isinstance(analysis, FrontlineError):
            one = score_report(report, Analysis(article=ArticleInfo(id=report.id)))
            one.failed = 1
        else:
            one = score_report(report, analysis)
        total.merge(one)
        genres[report.genre].merge(one)
        conflicts[report.conflict].merge(one)
        scored.append((report.id, one.errors, one.misses))
    worst = sorted(scored, key=lambda x: -x[1])[:10] if show_worst else []
    return CorpusResult(split, sha256, total, dict(genres), dict(conflicts), [w for w in worst if w[1]])


# --- relabelled sentences --------------------------------------------------------------------------------


@dataclass
class SentenceResult:
    split: str
    sha256: str
    detection: Counts
    place: Ratio
    captor: Ratio
    reasons: Counter  # false positives by the gold's reason
    failed: int
    negatives: int = 0  # no change, and none predicted

    def to_dict(self) -> dict[str, Any]:
        return {
            "part": "sentences",
            "split": self.split,
            "sha256": self.sha256,
            "sentences": self.detection.tp + self.detection.fn + self.detection.fp + self.negatives,
            "change_detection": self.detection.to_dict(),
            "place_accuracy": _r(self.place.value),
            "captor_accuracy": _r(self.captor.value),
            "false_positives_by_reason": dict(self.reasons.most_common()),
            "failed": self.failed,
        }

    def to_table(self) -> str:
        d = self.detection
        return "\n".join(
            [
                f"reading benchmark, relabelled real sentences, split {self.split} "
                f"(sha256 {self.sha256[:12]}…)",
                "",
                table(["measure", "P", "R", "F1", "tp/fp/fn"], [["a place changes hands", *_prf(d)]]),
                "",
                f"right place {fmt(self.place.value)}, right captor {fmt(self.captor.value)} "
                "(over true positives)",
                "false positives by reason: "
                + (", ".join(f"{k} {v}" for k, v in self.reasons.most_common()) or "none"),
            ]
        )


def score_sentences(
    items: Sequence[RelabelledSentence],
    analyses: Sequence[Analysis | FrontlineError],
    *,
    split: str,
    sha256: str,
) -> SentenceResult:
    res = SentenceResult(split, sha256, Counts(), Ratio(), Ratio(), Counter(), 0)
    for item, analysis in zip(items, analyses, strict=True):
        if isinstance(analysis, FrontlineError):
            res.failed += 1
            changes: list[Any] = []
        else:
            changes = _predicted_changes(analysis)
        if item.label == "change":
            if changes:
                res.detection.tp += 1
                assert item.place is not None
                res.place.add(any(names_match([c.place.name], [item.place]) for c in changes))
                if item.captor is not None:
                    res.captor.add(any(names_match([c.to.name, c.to.text], [item.captor]) for c in changes))
            else:
                res.detection.fn += 1
        elif changes:
            res.detection.fp += 1
            res.reasons[item.reason or "other"] += 1
        else:
            res.negatives += 1
    return res


def sentence_article(item: RelabelledSentence) -> Article:
    return Article(text=item.text, id=item.id.strip() or "sentence")


# --- ACLED-style notes ------------------------------------------------------------------------------------


@dataclass
class NoteResult:
    split: str
    sha256: str
    labels: Labels
    failed: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "part": "notes",
            "split": self.split,
            "sha256": self.sha256,
            "sub_event": self.labels.to_dict(),
            "failed": self.failed,
        }

    def to_table(self) -> str:
        lab = self.labels
        rows = [[k, c.support, *_prf(c)[:3]] for k, c in sorted(lab.per_class().items()) if c.support]
        return "\n".join(
            [
                f"reading benchmark, ACLED-style notes, split {self.split} "
                f"({len(lab.pairs)} notes, sha256 {self.sha256[:12]}…)",
                f"sub-event type: weighted F1 {fmt(lab.weighted_f1)}, accuracy {fmt(lab.accuracy)}, "
                f"macro-F1 {fmt(lab.macro_f1)}, untyped {lab.untyped}",
                "",
                table(["sub-event type", "n", "P", "R", "F1"], rows),
            ]
        )


def main_event(analysis: Analysis) -> Event | None:
    """A note's event: the first ACLED-typed event reported as happening, by confidence."""
    typed = [e for e in analysis.events if e.sub_event_type is not None]
    if not typed:
        return None
    rows = [e for e in typed if e.modality in ("asserted", "claimed")] or typed
    return max(rows, key=lambda e: (e.confidence, -e.span[0]))


def score_notes(
    items: Sequence[AcledNote], analyses: Sequence[Analysis | FrontlineError], *, split: str, sha256: str
) -> NoteResult:
    res = NoteResult(split, sha256, Labels(), 0)
    for item, analysis in zip(items, analyses, strict=True):
        if isinstance(analysis, FrontlineError):
            res.failed += 1
            res.labels.add(item.sub_event_type, None)
            continue
        e = main_event(analysis)
        res.labels.add(item.sub_event_type, e.sub_event_type if e is not None else None)
    return res


def note_article(item: AcledNote) -> Article:
    return Article(text=item.note, id=item.id, published=item.date)


# --- running -------------------------------------------------------------------------------------------


def evaluate_corpus(
    part: str = "reports",
    split: str = "dev",
    *,
    pipeline: Any = None,
    root: Any = None,
    show_worst: bool | None = None,
) -> CorpusResult | SentenceResult | NoteResult:
    """Extract every record of one split and score it. The test split never lists per-record errors."""
    from ..bench.corpus import load_split

    if pipeline is None:
        from .. import get_pipeline

        pipeline = get_pipeline()
    data = load_split(part, split, root)
    if part == "reports":
        reps = [r for r in data.records if isinstance(r, Report)]
        analyses = list(analyse_all(pipeline, (report_article(r) for r in reps)))
        worst = (split != "test") if show_worst is None else (show_worst and split != "test")
        return score_reports(reps, analyses, split=split, sha256=data.sha256, show_worst=worst)
    if part == "sentences":
        items = [r for r in data.records if isinstance(r, RelabelledSentence)]
        analyses = list(analyse_all(pipeline, (sentence_article(i) for i in items)))
        return score_sentences(items, analyses, split=split, sha256=data.sha256)
    notes = [r for r in data.records if isinstance(r, AcledNote)]
    analyses = list(analyse_all(pipeline, (note_article(n) for n in notes)))
    return score_notes(notes, analyses, split=split, sha256=data.sha256)
