"""PLOVER event type accuracy on the PLOVER gold-standard records (``shared/data/plover-gsr``).

Each record is one news sentence with one gold PLOVER event. We run the whole extractor on the sentence
(published on the record's ``date``) and take as the prediction the PLOVER event of the most confident event
in the output, whatever its modality, since the records code threats, demands and denials as events too;
no event at all predicts ``NONE``. Reported: accuracy, macro-F1 over the gold types, per-type P/R/F1, the
confusion pairs, and the gold file's sha256 so that floors stay tied to the corpus they were measured on.

The file follows an older PLOVER draft (0.5b1). Its labels are mapped to the 16 PLOVER types as the data
README says: DEMAND -> REQUEST, FIGHT -> ASSAULT, DISAPPROVE -> ACCUSE (mode ``disapprove``),
INVESTIGATE -> ACCUSE (mode ``investigate``). The ``DOCUMENT`` record documents the file and is skipped.
Any other label outside the 16 is an error, not a guess: a new version of the file must be looked at
before it is scored. Two records share the id ``PLOVER-GSR01-COERCE-0004`` with different sentences;
both are kept, the second as ``...-0004#2``. Six sentences occur in two records each, four of them with
two different gold events; one prediction per sentence matches one of them at most (``docs/eval.md``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import FrontlineError, InputError
from ..schema import PLOVER_EVENTS, Analysis
from .report import COUNTS_HEADERS, Counts, counts_rows, fmt, table

# Old draft label -> (PLOVER type, mode it implies, or None to keep the record's own mode).
OLD_LABELS: dict[str, tuple[str, str | None]] = {
    "DEMAND": ("REQUEST", None),
    "FIGHT": ("ASSAULT", None),
    "DISAPPROVE": ("ACCUSE", "disapprove"),
    "INVESTIGATE": ("ACCUSE", "investigate"),
}
SKIPPED_LABELS = ("DOCUMENT",)
NONE = "NONE"


@dataclass(frozen=True)
class PloverRecord:
    key: str  # unique within the file (the record id, suffixed where the file repeats one)
    id: str
    text: str
    date: dt.date | None
    event: str  # one of the 16 PLOVER types
    original: str  # the label as the file writes it
    mode: str | None = None


@dataclass
class PloverSet:
    records: list[PloverRecord]
    source: str
    sha256: str
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def distribution(self) -> dict[str, int]:
        return dict(Counter(r.event for r in self.records).most_common())


def map_label(label: str, mode: str | None = None) -> tuple[str, str | None]:
    """An old-draft or current label to (PLOVER type, mode); ValueError for anything else."""
    if label in PLOVER_EVENTS:
        return label, mode or None
    if label in OLD_LABELS:
        event, implied = OLD_LABELS[label]
        return event, implied or mode or None
    raise ValueError(label)


def load_plover(path: str | Path) -> PloverSet:
    from .gold import file_sha256

    p = Path(path)
    if not p.is_file():
        raise InputError("no such PLOVER gold file", source=str(p))
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON ({exc.msg} at line {exc.lineno})", source=str(p)) from None
    if not isinstance(data, list):
        raise InputError("expected a JSON list of records", source=str(p))
    return parse_plover(data, source=str(p), sha256=file_sha256(p))


def parse_plover(data: Sequence[Any], *, source: str = "<plover>", sha256: str = "") -> PloverSet:
    records: list[PloverRecord] = []
    skipped: list[tuple[str, str]] = []
    seen: Counter[str] = Counter()
    for index, raw in enumerate(data):
        where = f"record {index}"
        if not isinstance(raw, Mapping):
            raise InputError("a record is a JSON object", source=source, field=where)
        ident = str(raw.get("id") or f"record-{index}")
        label = raw.get("event")
        if label in SKIPPED_LABELS:
            skipped.append((ident, f"{label} record (file documentation, no event)"))
            continue
        text = raw.get("text")
        if not isinstance(text, str) or not text.strip():
            raise InputError("record has no text", source=source, field=f"{ident}.text")
        mode = raw.get("mode")
        try:
            event, mapped_mode = map_label(str(label), mode if isinstance(mode, str) else None)
        except ValueError:
            raise InputError(
                f"label {label!r} is neither a PLOVER type nor an old-draft label we map "
                f"({', '.join(OLD_LABELS)}); decide its mapping before scoring",
                source=source,
                field=f"{ident}.event",
            ) from None
        seen[ident] += 1
        key = ident if seen[ident] == 1 else f"{ident}#{seen[ident]}"
        date = raw.get("date")
        try:
            published = dt.date.fromisoformat(date) if isinstance(date, str) and date else None
        except ValueError:
            raise InputError(
                f"date {date!r} is not YYYY-MM-DD", source=source, field=f"{ident}.date"
            ) from None
        records.append(
            PloverRecord(
                key=key,
                id=ident,
                text=text,
                date=published,
                event=event,
                original=str(label),
                mode=mapped_mode,
            )
        )
    return PloverSet(records=records, source=source, sha256=sha256, skipped=skipped)


def predict(analysis: Analysis) -> str:
    """The PLOVER event of the most confident event (the first among equals), or NONE."""
    if not analysis.events:
        return NONE
    best = max(analysis.events, key=lambda e: e.confidence)
    return best.plover.event


@dataclass
class PloverRow:
    record: PloverRecord
    predicted: str
    events: list[dict[str, Any]] = field(default_factory=list)  # what the extractor output, for error lists
    error: str | None = None


@dataclass
class PloverReport:
    rows: list[PloverRow]
    source: str
    sha256: str
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def gold_labels(self) -> list[str]:
        return sorted({r.record.event for r in self.rows})

    def labels(self) -> dict[str, Counts]:
        per: dict[str, Counts] = {}
        for row in self.rows:
            gold, pred = row.record.event, row.predicted
            if gold == pred:
                per.setdefault(gold, Counts()).tp += 1
            else:
                per.setdefault(gold, Counts()).fn += 1
                per.setdefault(pred, Counts()).fp += 1
        return per

    @property
    def accuracy(self) -> float:
        return sum(r.record.event == r.predicted for r in self.rows) / len(self.rows) if self.rows else 0.0

    @property
    def macro_f1(self) -> float:
        """Mean F1 over the types the gold has; NONE and types only ever predicted are not averaged."""
        per = self.labels()
        gold = self.gold_labels
        return sum(per[label].f1 or 0.0 for label in gold) / len(gold) if gold else 0.0

    def confusions(self) -> list[tuple[str, str, int]]:
        pairs = Counter((r.record.event, r.predicted) for r in self.rows if r.record.event != r.predicted)
        return [(g, p, n) for (g, p), n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))]

    def distribution(self) -> dict[str, int]:
        return dict(Counter(r.record.event for r in self.rows).most_common())

    def predicted_distribution(self) -> dict[str, int]:
        return dict(Counter(r.predicted for r in self.rows).most_common())

    def to_dict(self) -> dict[str, Any]:
        per = self.labels()
        return {
            "corpus": self.source,
            "sha256": self.sha256,
            "records": len(self.rows),
            "skipped": [{"id": i, "why": w} for i, w in self.skipped],
            "failed": sum(r.error is not None for r in self.rows),
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "distribution": self.distribution(),
            "predicted": self.predicted_distribution(),
            "labels": {k: {**v.to_dict(), "support": v.support} for k, v in sorted(per.items())},
            "confusions": [{"gold": g, "predicted": p, "count": n} for g, p, n in self.confusions()],
        }

    def to_table(self, *, top: int = 15) -> str:
        per = self.labels()
        rows = counts_rows(sorted(per.items()))
        for row in rows:
            row.append(per[row[0]].support)
        failed = sum(r.error is not None for r in self.rows)
        head = (
            f"PLOVER GSR: {self.source}\nsha256 {self.sha256}\n{len(self.rows)} records"
            f" ({len(self.skipped)} skipped, {failed} failed to extract)\n"
            f"accuracy {fmt(self.accuracy)}   macro-F1 {fmt(self.macro_f1)} (over {len(self.gold_labels)} "
            "gold types)"
        )
        conf = table(("gold", "predicted", "n"), [[g, p, n] for g, p, n in self.confusions()[:top]])
        return f"{head}\n\n{table((*COUNTS_HEADERS, 'support'), rows)}\n\ntop confusions\n{conf}"

    def errors(self) -> Iterable[dict[str, Any]]:
        """One JSON-ready line per misclassified record, with what the extractor produced."""
        for row in self.rows:
            if row.record.event != row.predicted:
                yield {
                    "id": row.record.key,
                    "gold": row.record.event,
                    "original": row.record.original,
                    "gold_mode": row.record.mode,
                    "predicted": row.predicted,
                    "error": row.error,
                    "text": row.record.text,
                    "events": row.events,
                }


def _event_summary(analysis: Analysis, text: str) -> list[dict[str, Any]]:
    return [
        {
            "plover": e.plover.event,
            "mode": e.plover.mode,
            "sub_event_type": e.sub_event_type,
            "modality": e.modality,
            "confidence": e.confidence,
            "trigger": text[e.span[0] : e.span[1]],
            "span": list(e.span),
        }
        for e in analysis.events
    ]


def score_plover(plover: PloverSet, analyses: Sequence[Analysis | FrontlineError]) -> PloverReport:
    """Score analyses, in record order; a failed extraction predicts NONE and keeps its error."""
    if len(analyses) != len(plover.records):
        raise ValueError(f"{len(analyses)} analyses for {len(plover.records)} records")
    rows = []
    for record, result in zip(plover.records, analyses, strict=True):
        if isinstance(result, Analysis):
            rows.append(PloverRow(record, predict(result), _event_summary(result, record.text)))
        else:
            rows.append(PloverRow(record, NONE, error=str(result)))
    return PloverReport(rows=rows, source=plover.source, sha256=plover.sha256, skipped=plover.skipped)


def evaluate_plover(
    path: str | Path | None = None,
    *,
    pipeline: Any = None,
    shared: str | Path | None = None,
    limit: int | None = None,
) -> PloverReport:
    """``frontline eval plover``: extract every record's sentence and score the PLOVER types."""
    from ..article import Article
    from . import PLOVER_GSR, analyse_all, shared_file

    plover = load_plover(path or shared_file(PLOVER_GSR, shared))
    if limit is not None:
        plover.records = plover.records[:limit]
    if pipeline is None:
        from .. import get_pipeline

        pipeline = get_pipeline()
    articles = [Article(text=r.text, id=r.key, published=r.date) for r in plover.records]
    return score_plover(plover, list(analyse_all(pipeline, articles)))


def write_errors(report: PloverReport, path: str | Path) -> int:
    """Write the misclassified records as JSONL; returns how many."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(e, ensure_ascii=False) for e in report.errors()]
    p.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)
