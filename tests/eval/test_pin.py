"""``benchmarks/accuracy.py --pin``: floors 0.01 under the measurement, never lowered unless asked."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "accuracy.py"


@pytest.fixture(scope="module")
def accuracy():
    spec = importlib.util.spec_from_file_location("frontline_benchmark_accuracy", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measured(accuracy_value: float, f1: float, sha: str = "p") -> tuple[dict, dict]:
    plover = {"sha256": sha, "records": 3, "accuracy": accuracy_value, "macro_f1": accuracy_value}
    gold = {"sha256": "g", "parts": {"events": {"f1": f1}}}
    return plover, gold


def test_floor_is_a_hundredth_under_rounded_down(accuracy) -> None:
    assert accuracy.floor_of(0.8106) == 0.80
    assert accuracy.floor_of(0.7969) == 0.78
    assert accuracy.floor_of(0.8) == 0.79
    assert accuracy.floor_of(0.004) == 0.0
    assert accuracy.floor_of(None) == 0.0


def test_pinning_raises_but_never_lowers_unless_told(accuracy) -> None:
    floors: dict = {}
    assert accuracy.pin(floors, *measured(0.6, 0.5), allow_lower=False) == []
    assert floors["plover"]["accuracy"] == 0.59 and floors["gold"]["parts"]["events"]["f1"] == 0.49
    lowered = accuracy.pin(floors, *measured(0.4, 0.7), allow_lower=False)
    assert floors["plover"]["accuracy"] == 0.59 and floors["gold"]["parts"]["events"]["f1"] == 0.69
    assert [line.split(":")[0] for line in lowered] == ["plover.accuracy", "plover.macro_f1"]
    accuracy.pin(floors, *measured(0.4, 0.7), allow_lower=True)
    assert floors["plover"]["accuracy"] == 0.39


def test_a_new_corpus_starts_afresh(accuracy) -> None:
    floors: dict = {}
    accuracy.pin(floors, *measured(0.9, 0.5), allow_lower=False)
    assert accuracy.pin(floors, *measured(0.3, 0.5, sha="other"), allow_lower=False) == []
    assert floors["plover"]["accuracy"] == 0.29 and floors["plover"]["sha256"] == "other"
