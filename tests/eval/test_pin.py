"""``benchmarks/accuracy.py --pin``: floors 0.01 under the measurement, never lowered unless asked, and
measured afresh when the data changed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "accuracy.py"
KEYS = ("control_strict.f1", "events.f1")


@pytest.fixture(scope="module")
def accuracy():
    spec = importlib.util.spec_from_file_location("frontline_benchmark_accuracy", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measured(strict: float, events: float, sha: str = "a") -> dict:
    return {"sha256": sha, "reports": 3, "control_strict": {"f1": strict}, "events": {"f1": events}}


def test_floor_is_a_hundredth_under_rounded_down(accuracy) -> None:
    assert accuracy.floor_of(0.8106) == 0.80
    assert accuracy.floor_of(0.7969) == 0.78
    assert accuracy.floor_of(None) == 0.0


def test_pinning_raises_but_never_lowers_unless_told(accuracy) -> None:
    lowered: list[str] = []
    first = accuracy.pin_section({}, measured(0.50, 0.40), KEYS, allow_lower=False, name="x", lowered=lowered)
    assert first["control_strict"]["f1"] == 0.49 and first["events"]["f1"] == 0.39 and first["reports"] == 3
    worse = accuracy.pin_section(
        first, measured(0.45, 0.60), KEYS, allow_lower=False, name="x", lowered=lowered
    )
    assert worse["control_strict"]["f1"] == 0.49  # kept
    assert worse["events"]["f1"] == 0.59  # raised
    assert lowered and "control_strict.f1" in lowered[0]
    told = accuracy.pin_section(first, measured(0.45, 0.60), KEYS, allow_lower=True, name="x", lowered=[])
    assert told["control_strict"]["f1"] == 0.44


def test_a_new_corpus_starts_afresh(accuracy) -> None:
    first = accuracy.pin_section(
        {}, measured(0.50, 0.40, sha="a"), KEYS, allow_lower=False, name="x", lowered=[]
    )
    lowered: list[str] = []
    other = accuracy.pin_section(
        first, measured(0.30, 0.30, sha="b"), KEYS, allow_lower=False, name="x", lowered=lowered
    )
    assert other["control_strict"]["f1"] == 0.29 and other["sha256"] == "b" and not lowered
