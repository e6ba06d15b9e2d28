"""The accuracy gate on the small hand-written gold set (tests/data/eval/gold.jsonl): each part's F1 may not
fall below its floor in ``floors.json``, tied to the gold file's sha256."""

from __future__ import annotations

import json

from eval_builders import FLOORS, GOLD

from frontline.eval.gold import evaluate_gold
from frontline.eval.report import check_floors


def test_gold_parts_hold_their_floors(pipeline) -> None:
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["gold"]
    report = evaluate_gold(GOLD, pipeline=pipeline)
    failures = check_floors(report.to_dict(), floors)
    assert failures == [], "\n".join(failures) + "\n\n" + report.to_table()
