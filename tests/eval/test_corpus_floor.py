"""The accuracy gate on the reading benchmark: every part on dev and test holds its floors in
``floors.json`` (section ``corpus``), measured on the splits whose sha256 is pinned there. And the
benchmark itself is what its README says: big enough, split by conflict, every split pinned."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from eval_builders import FLOORS

from frontline.bench.corpus import SPLITS, conflicts, corpus_dir, load_split, pinned, sha256
from frontline.eval.corpus import evaluate_corpus
from frontline.eval.report import check_floors

CASES = [(part, split) for part in ("reports", "sentences", "notes") for split in ("dev", "test")]


@pytest.mark.parametrize(("part", "split"), CASES)
def test_each_part_holds_its_floors(part: str, split: str, pipeline) -> None:
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["corpus"][part][split]
    result = evaluate_corpus(part, split, pipeline=pipeline)
    failures = check_floors(result.to_dict(), floors)
    assert failures == [], "\n".join(failures)


def test_the_benchmark_is_as_big_and_varied_as_its_readme_says() -> None:
    reports = [r for s in SPLITS for r in load_split("reports", s).records]
    assert len(reports) >= 300
    assert sum(len(r.control_changes) for r in reports) >= 600  # type: ignore[attr-defined]
    assert sum(len(r.not_changes) for r in reports) >= 300  # type: ignore[attr-defined]
    assert len({r.conflict for r in reports}) >= 15  # type: ignore[attr-defined]
    genres = Counter(r.genre for r in reports)  # type: ignore[attr-defined]
    assert all(
        genres[g] >= 10
        for g in ("wire", "live-blog", "timeline", "encyclopedia", "denial", "analysis", "no-change")
    )
    assert all(r.provenance.checked_by for r in reports), "every report is checked by a second annotator"  # type: ignore[attr-defined]


def test_no_conflict_is_in_two_splits_and_every_split_is_pinned() -> None:
    assign = conflicts()
    for split in SPLITS:
        for r in load_split("reports", split).records:
            assert assign[r.conflict] == split  # type: ignore[attr-defined]
    pins = pinned()
    for folder in ("reports", "event-location", "acled-notes"):
        for split in SPLITS:
            path = corpus_dir() / folder / f"{split}.jsonl"
            assert pins[f"{folder}/{split}.jsonl"] == sha256(path)
