"""The figures every scorer reports (``Counts``), their printing as a table or JSON, and floor checks.

Floors are the accuracy gate (as trafilatura's ``eval_gate``): a JSON object that mirrors a report's
``to_dict()`` with the lowest acceptable value at each numeric leaf, plus the sha256 of the corpus they were
measured on. A report below any floor, or measured on a different corpus, fails the gate.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass
class Counts:
    """True positives, false positives and false negatives of one part or one label."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float | None:
        # None, not 0 or 1, when nothing was predicted: "no output" is neither right nor wrong.
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        # 2TP / (2TP + FP + FN) is the harmonic mean of P and R, and is 0 (not undefined) when TP is 0 but
        # something was predicted or expected, which is what a macro average over labels needs.
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else None

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, left: int = 1) -> str:
    """A plain fixed-width table: the first ``left`` columns (names, text) left-aligned, the rest (figures)
    right-aligned."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()

    out = [line(cells[0]), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in cells[1:])
    return "\n".join(out)


def counts_rows(named: Iterable[tuple[str, Counts]]) -> list[list[Any]]:
    return [[name, c.tp, c.fp, c.fn, fmt(c.precision), fmt(c.recall), fmt(c.f1)] for name, c in named]


COUNTS_HEADERS = ("", "TP", "FP", "FN", "P", "R", "F1")


class Report(Protocol):
    def to_dict(self) -> dict[str, Any]: ...

    def to_table(self) -> str: ...


def render(report: Report, form: str = "table") -> str:
    """A report as ``table`` (for people) or ``json`` (for scripts and the CI)."""
    if form == "json":
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
    return report.to_table()


def render_any(result: Any, form: str = "table") -> str:
    """Print a result whose type this module does not know (the geoparser's): JSON, or key = value lines."""
    data = as_dict(result)
    if form == "json":
        return json.dumps(data, indent=2, ensure_ascii=False, default=str)
    if hasattr(result, "to_table"):
        return str(result.to_table())
    return "\n".join(f"{key} = {value}" for key, value in flatten(data).items())


def as_dict(result: Any) -> dict[str, Any]:
    if hasattr(result, "to_dict"):
        return dict(result.to_dict())
    if hasattr(result, "model_dump"):
        return dict(result.model_dump(mode="json"))
    if hasattr(result, "__dataclass_fields__"):
        from dataclasses import asdict

        return asdict(result)
    if isinstance(result, Mapping):
        return dict(result)
    return {"result": result}


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested mappings to dotted keys: {"a": {"b": 1}} -> {"a.b": 1}."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


# Floor-file keys that describe the measurement rather than set a floor.
FLOOR_META = ("sha256", "corpus", "records", "measured", "note", "measured_on", "why")


def check_floors(result: Mapping[str, Any], floors: Mapping[str, Any]) -> list[str]:
    """Every way ``result`` falls short of ``floors`` (empty when it passes).

    ``floors`` mirrors the result's nesting; each numeric leaf is a minimum. A ``sha256`` in the floors must
    equal the result's, so that floors measured on one corpus are never applied to another.
    """
    failures: list[str] = []
    expected_sha = floors.get("sha256")
    if expected_sha is not None and result.get("sha256") != expected_sha:
        failures.append(
            f"corpus changed: sha256 is {result.get('sha256')}, floors were measured on "
            f"{expected_sha}; re-measure and re-pin the floors"
        )
        return failures
    flat_result = flatten(result)
    for key, minimum in flatten({k: v for k, v in floors.items() if k not in FLOOR_META}).items():
        if (
            key.split(".")[-1] in FLOOR_META
            or isinstance(minimum, bool)
            or not isinstance(minimum, int | float)
        ):
            continue
        actual = flat_result.get(key)
        if actual is None:
            failures.append(f"{key}: no value (floor {minimum})")
        elif actual < minimum:
            failures.append(f"{key}: {actual:.4f} is below the floor {minimum}")
    return failures
