"""PLOVER GSR loading, label mapping and scoring, on the real file's labels and hand-built analyses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eval_builders import analysis, event

from frontline.errors import ExtractionError, InputError
from frontline.eval.plover import (
    NONE,
    load_plover,
    map_label,
    parse_plover,
    predict,
    score_plover,
    write_errors,
)


def record(ident: str, label: str, text: str = "Something happened.", **extra) -> dict:
    return {"id": ident, "event": label, "text": text, "date": "2000-01-01", **extra}


def test_old_draft_labels_map_to_the_16_types() -> None:
    assert map_label("DEMAND") == ("REQUEST", None)
    assert map_label("FIGHT", "heavy-weapons") == ("ASSAULT", "heavy-weapons")
    assert map_label("DISAPPROVE") == ("ACCUSE", "disapprove")
    assert map_label("INVESTIGATE", "") == ("ACCUSE", "investigate")
    assert map_label("COERCE", "") == ("COERCE", None)
    with pytest.raises(ValueError):
        map_label("DOCUMENT")


def test_document_records_are_skipped_and_unknown_labels_refused() -> None:
    data = [{"id": "doc", "event": "DOCUMENT", "eventText": "about the file"}, record("a", "AGREE")]
    plover = parse_plover(data)
    assert [r.key for r in plover.records] == ["a"]
    assert plover.skipped[0][0] == "doc"
    with pytest.raises(InputError, match="'YIELD'"):
        parse_plover([record("b", "YIELD")])
    with pytest.raises(InputError, match="no text"):
        parse_plover([record("c", "AGREE", text="")])


def test_repeated_ids_are_kept_apart() -> None:
    plover = parse_plover([record("x", "COERCE", "One."), record("x", "COERCE", "Two.")])
    assert [r.key for r in plover.records] == ["x", "x#2"]


def test_the_real_file_after_mapping(shared: Path) -> None:
    plover = load_plover(shared / "data/plover-gsr/PLOVER_GSR_CAMEO.json")
    # Counted from the file's raw labels: 323 records, one DOCUMENT; FIGHT (17) joins ASSAULT (15),
    # DISAPPROVE (16) and INVESTIGATE (9) make ACCUSE, DEMAND (34) becomes REQUEST.
    assert len(plover.records) == 322
    assert [s[0] for s in plover.skipped] == ["PLOVER-GSR01-DOCUMENT-0001"]
    assert plover.distribution() == {
        "AGREE": 40,
        "REQUEST": 34,
        "REJECT": 34,
        "ASSAULT": 32,
        "THREATEN": 29,
        "PROTEST": 27,
        "ACCUSE": 25,
        "COERCE": 18,
        "RETREAT": 14,
        "SANCTION": 14,
        "SUPPORT": 12,
        "CONCEDE": 12,
        "CONSULT": 11,
        "AID": 10,
        "MOBILIZE": 6,
        "COOPERATE": 4,
    }
    assert len({r.key for r in plover.records}) == 322
    assert all(r.date is not None and r.date.isoformat() == "2000-01-01" for r in plover.records)


def test_the_prediction_is_the_most_confident_event_whatever_its_modality() -> None:
    a = analysis(
        events=[
            event("e1", plover="AGREE", confidence=0.4),
            event("e2", plover="THREATEN", confidence=0.9, modality="threatened"),
            event("e3", plover="ASSAULT", confidence=0.9),
        ]
    )
    assert predict(a) == "THREATEN"  # the first of the most confident
    assert predict(analysis()) == NONE


def test_accuracy_macro_f1_and_confusions_by_hand() -> None:
    plover = parse_plover(
        [record("1", "AGREE"), record("2", "AGREE"), record("3", "FIGHT"), record("4", "DEMAND")],
        sha256="abc",
    )
    outputs = [
        analysis(events=[event(plover="AGREE")]),
        analysis(events=[event(plover="ASSAULT")]),
        analysis(events=[event(plover="ASSAULT")]),
        ExtractionError("crashed", source="4"),
    ]
    report = score_plover(plover, outputs)
    # AGREE: tp 1, fn 1 -> F1 2/3; ASSAULT: tp 1, fp 1 -> F1 2/3; REQUEST: fn 1 -> F1 0.
    assert report.accuracy == pytest.approx(2 / 4)
    assert report.macro_f1 == pytest.approx((2 / 3 + 2 / 3 + 0) / 3)
    assert report.confusions() == [("AGREE", "ASSAULT", 1), ("REQUEST", "NONE", 1)]
    data = json.loads(json.dumps(report.to_dict()))
    assert data["sha256"] == "abc" and data["failed"] == 1 and data["records"] == 4
    assert data["labels"]["NONE"]["fp"] == 1
    assert "macro-F1" in report.to_table()


def test_errors_are_written_one_a_line(tmp_path: Path) -> None:
    plover = parse_plover([record("1", "AGREE", "They agreed."), record("2", "REJECT", "They refused.")])
    report = score_plover(plover, [analysis(events=[event(plover="AGREE")]), analysis()])
    out = tmp_path / "out" / "errors.jsonl"
    assert write_errors(report, out) == 1
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert line["id"] == "2" and line["gold"] == "REJECT" and line["predicted"] == "NONE"
    assert line["text"] == "They refused." and line["events"] == []


def test_a_count_mismatch_is_a_bug_not_a_score() -> None:
    with pytest.raises(ValueError):
        score_plover(parse_plover([record("1", "AGREE")]), [])
