"""Counts, tables and the floor gate."""

from __future__ import annotations

import pytest

from frontline.eval.report import Counts, check_floors, flatten, table


def test_counts_precision_recall_f1() -> None:
    c = Counts(tp=3, fp=1, fn=2)
    assert c.precision == pytest.approx(0.75)
    assert c.recall == pytest.approx(0.6)
    assert c.f1 == pytest.approx(2 * 0.75 * 0.6 / (0.75 + 0.6))
    assert Counts().precision is None and Counts().f1 is None
    assert Counts(fp=2).f1 == 0.0 and Counts(fp=2).recall is None


def test_table_aligns_columns() -> None:
    lines = table(("name", "n"), [["a", 1], ["longer", 100]]).splitlines()
    assert len({len(line) for line in lines}) == 1
    assert lines[2].startswith("a ") and lines[2].endswith("  1")


def test_floors_pass_fail_and_missing() -> None:
    result = {"sha256": "abc", "accuracy": 0.42, "parts": {"events": {"f1": 0.5}, "quotes": {"f1": None}}}
    assert check_floors(result, {"sha256": "abc", "accuracy": 0.41, "parts": {"events": {"f1": 0.5}}}) == []
    failures = check_floors(result, {"accuracy": 0.43, "parts": {"quotes": {"f1": 0.1}}})
    assert len(failures) == 2
    assert "accuracy" in failures[0] and "below the floor 0.43" in failures[0]
    assert "parts.quotes.f1: no value" in failures[1]


def test_floors_measured_on_another_corpus_fail_whatever_the_figures() -> None:
    failures = check_floors({"sha256": "new", "accuracy": 1.0}, {"sha256": "old", "accuracy": 0.1})
    assert len(failures) == 1 and "corpus changed" in failures[0]


def test_floor_metadata_is_not_a_floor() -> None:
    floors = {"records": 322, "measured": {"accuracy": 0.5}, "note": "x", "accuracy": 0.1}
    assert check_floors({"accuracy": 0.2}, floors) == []


def test_flatten() -> None:
    assert flatten({"a": {"b": 1, "c": {"d": 2}}, "e": 3}) == {"a.b": 1, "a.c.d": 2, "e": 3}
