"""The accuracy gate on PLOVER GSR: event type accuracy and macro-F1 of the real pipeline may not fall
below the floors pinned in ``floors.json``, which also pins the sha256 of the corpus they were measured on
(floors only go up; re-measure and re-pin when the extractor improves or the corpus changes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eval_builders import FLOORS

from frontline.eval import PLOVER_GSR
from frontline.eval.gold import file_sha256
from frontline.eval.plover import evaluate_plover
from frontline.eval.report import check_floors


@pytest.fixture(scope="module")
def floors() -> dict:
    return json.loads(FLOORS.read_text(encoding="utf-8"))["plover"]


def test_the_corpus_is_the_one_the_floors_were_measured_on(shared: Path, floors: dict) -> None:
    assert file_sha256(shared / PLOVER_GSR) == floors["sha256"], (
        "PLOVER_GSR_CAMEO.json changed: re-run `frontline eval plover` and re-pin tests/eval/floors.json"
    )


def test_plover_accuracy_and_macro_f1_hold_their_floors(shared: Path, pipeline, floors: dict) -> None:
    report = evaluate_plover(shared / PLOVER_GSR, pipeline=pipeline)
    result = report.to_dict()
    assert result["records"] == floors["records"]
    failures = check_floors(result, floors)
    assert failures == [], "\n".join(failures) + "\n\n" + report.to_table()
