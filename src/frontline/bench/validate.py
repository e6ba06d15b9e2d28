"""Check a benchmark file record by record: ``frontline eval validate FILE`` (or
``python -m frontline.bench.validate FILE``). Every problem names the file, the line, the record's id and
the field, so an annotator can fix it without guessing.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .records import AcledNote, RelabelledSentence, Report

KINDS: dict[str, type[BaseModel]] = {"report": Report, "sentence": RelabelledSentence, "note": AcledNote}


def kind_of(obj: dict[str, Any]) -> str:
    """Which record a JSON object is, by the keys only that kind has."""
    if "note" in obj and "sub_event_type" in obj:
        return "note"
    if "label" in obj:
        return "sentence"
    return "report"


@dataclass
class Problem:
    line: int
    id: str | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f" ({self.id})" if self.id else "")
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class Checked:
    path: Path
    records: list[BaseModel] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)


def iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                yield n, line


def find_conflicts(path: Path) -> dict[str, str] | None:
    """conflict -> split, from the ``conflicts.yaml`` of the corpus the file sits in (None outside one)."""
    for folder in (path.parent, *path.parent.parents[:2]):
        candidate = folder / "conflicts.yaml"
        if candidate.is_file():
            data = yaml.safe_load(candidate.read_text(encoding="utf-8")) or {}
            return {c: split for split, conflicts in data.items() for c in (conflicts or {})}
    return None


def report_problems(report: Report, conflicts: dict[str, str] | None) -> list[tuple[str, str]]:
    """What a single record's model cannot see: the conflict list, and dates against publication."""
    found: list[tuple[str, str]] = []
    if conflicts is not None and report.conflict not in conflicts:
        found.append(
            ("conflict", f"{report.conflict!r} is not in conflicts.yaml ({', '.join(sorted(conflicts))})")
        )
    dated = [(f"control_changes.{i}", c.date) for i, c in enumerate(report.control_changes)]
    dated += [
        (f"events.{i}", e.date)
        for i, e in enumerate(report.events)
        if e.modality not in ("planned", "threatened")
    ]
    for where, date in dated:
        if date is not None and date > report.published:
            found.append((f"{where}.date", f"{date} is after the report's publication ({report.published})"))
    return found


def check_file(path: str | Path) -> Checked:
    """Parse every line of a JSONL benchmark file; collect the valid records and every problem."""
    p = Path(path)
    out = Checked(p)
    conflicts = find_conflicts(p.resolve())
    seen: dict[str, int] = {}
    try:
        lines = list(iter_lines(p))
    except (OSError, UnicodeDecodeError) as exc:
        out.problems.append(Problem(0, None, "", f"cannot read the file: {exc}"))
        return out
    for n, line in lines:
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            out.problems.append(Problem(n, None, "", f"not JSON: {exc.msg} at column {exc.colno}"))
            continue
        if not isinstance(obj, dict):
            out.problems.append(Problem(n, None, "", "a record is a JSON object"))
            continue
        rid = obj.get("id") if isinstance(obj.get("id"), str) else None
        kind = kind_of(obj)
        try:
            record = KINDS[kind].model_validate(obj)
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(x) for x in err["loc"])
                out.problems.append(Problem(n, rid, loc, err["msg"]))
            continue
        if isinstance(record, Report):
            extra = report_problems(record, conflicts)
            if extra:
                out.problems.extend(Problem(n, rid, f, m) for f, m in extra)
                continue
        if rid is not None:
            if rid in seen:
                out.problems.append(Problem(n, rid, "id", f"duplicate of line {seen[rid]}"))
                continue
            seen[rid] = n
        out.records.append(record)
        out.kinds[kind] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m frontline.bench.validate FILE.jsonl [FILE ...]", file=sys.stderr)
        return 2
    bad = 0
    for name in args:
        checked = check_file(name)
        for problem in checked.problems:
            print(f"{name}: {problem}")
        counts = ", ".join(f"{v} {k}s" for k, v in sorted(checked.kinds.items())) or "no records"
        print(f"{name}: {counts} valid, {len(checked.problems)} problems")
        bad += bool(checked.problems)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
