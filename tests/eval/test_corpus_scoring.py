"""The reading benchmark's format, loading and scoring, on small records written here (no pipeline run):
what counts as one change, a fake capture, an old change listed with its old date, one happening."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from frontline.bench.corpus import load_split, pin
from frontline.bench.records import Report
from frontline.bench.validate import check_file
from frontline.errors import ConfigError, InputError
from frontline.eval.corpus import (
    Labels,
    actor_matches,
    names_match,
    place_matches,
    score_report,
    score_reports,
)
from frontline.schema import Actor, Analysis, ArticleInfo, ControlChange, Event, Location, Plover

TEXT = (
    "Rebels seized Hama on Thursday after government forces withdrew. "
    "The group has now set its sights on Homs. Rebels took Aleppo in 2016, residents recall."
)
HAMA = {"name": "Hama", "country": "SY", "lat": 35.13, "lon": 36.75, "kind": "city"}
HOMS = {"name": "Homs", "country": "SY", "lat": 34.73, "lon": 36.71, "kind": "city"}
ALEPPO = {"name": "Aleppo", "country": "SY", "lat": 36.20, "lon": 37.16, "kind": "city"}
HTS = {"name": "Hayat Tahrir al-Sham", "aliases": ["Rebels", "the group"], "side": "rebels"}


def record(**over) -> dict:
    base = {
        "id": "syria-hama-brief-01",
        "conflict": "syria",
        "genre": "brief",
        "title": None,
        "published": "2024-12-06",
        "outlet": "test",
        "text": TEXT,
        "control_changes": [
            {
                "place": HAMA,
                "to": HTS,
                "date": "2024-12-05",
                "status": "confirmed",
                "evidence": "Rebels seized Hama on Thursday after government forces withdrew.",
            }
        ],
        "not_changes": [
            {"place": HOMS, "reason": "threatened", "evidence": "The group has now set its sights on Homs."},
            {"place": ALEPPO, "reason": "historical", "evidence": "Rebels took Aleppo in 2016"},
        ],
        "events": [
            {
                "event_type": "Battles",
                "sub_event_type": "Non-state actor overtakes territory",
                "plover": {"event": "COERCE", "mode": "seize"},
                "actor1": HTS,
                "place": HAMA,
                "date": "2024-12-05",
                "modality": "asserted",
                "evidence": ["Rebels seized Hama on Thursday"],
            },
            {
                "plover": {"event": "THREATEN", "mode": "territory"},
                "place": HOMS,
                "modality": "threatened",
                "evidence": ["set its sights on Homs"],
            },
        ],
        "quotes": [],
        "provenance": {"written_by": "tests"},
    }
    base.update(over)
    return base


def loc(name: str, lat: float, lon: float) -> Location:
    return Location(name=name, lat=lat, lon=lon, country_code="SY")


def change(place: Location, to: str, date: str, status: str = "confirmed") -> ControlChange:
    return ControlChange(
        place=place, to=Actor(text=to, name=to), date=dt.date.fromisoformat(date), status=status
    )


def event(
    sentence: str, sub: str | None, place: Location | None, date: str, modality: str = "asserted"
) -> Event:
    from frontline.schema import ACLED_SUB_TO_TYPE

    return Event(
        id=f"ev-{abs(hash((sentence, sub))) % 10**8}",
        sentence=sentence,
        span=(0, 5),
        event_type=ACLED_SUB_TO_TYPE.get(sub or ""),
        sub_event_type=sub,
        plover=Plover(event="COERCE"),
        modality=modality,
        date=dt.date.fromisoformat(date),
        location=place,
    )


def analysis(changes=(), events=()) -> Analysis:
    return Analysis(article=ArticleInfo(id="x"), control_changes=list(changes), events=list(events))


def test_a_record_validates_and_evidence_must_be_in_the_text() -> None:
    Report.model_validate(record())
    bad = record()
    bad["control_changes"][0]["evidence"] = "Rebels took Hama."
    with pytest.raises(ValueError, match="not found in the text"):
        Report.model_validate(bad)


def test_the_validator_names_line_id_and_field(tmp_path: Path) -> None:
    good, wrong = record(), record(id="syria-two", genre="blog")
    (tmp_path / "conflicts.yaml").write_text("train:\n  syria: Syria\n", encoding="utf-8")
    path = tmp_path / "train.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(wrong) + "\n{not json\n", encoding="utf-8")
    checked = check_file(path)
    assert len(checked.records) == 1
    problems = [str(p) for p in checked.problems]
    assert any("line 2 (syria-two): genre" in p for p in problems), problems
    assert any(p.startswith("line 3: not JSON") for p in problems), problems


def test_a_date_after_publication_is_a_problem(tmp_path: Path) -> None:
    r = record()
    r["control_changes"][0]["date"] = "2024-12-09"
    (tmp_path / "conflicts.yaml").write_text("train:\n  syria: Syria\n", encoding="utf-8")
    path = tmp_path / "train.jsonl"
    path.write_text(json.dumps(r) + "\n", encoding="utf-8")
    assert any("after the report's publication" in p.message for p in check_file(path).problems)


def corpus(tmp_path: Path, split: str = "train", conflict_split: str = "train") -> Path:
    (tmp_path / "reports").mkdir()
    (tmp_path / "conflicts.yaml").write_text(f"{conflict_split}:\n  syria: Syria\n", encoding="utf-8")
    (tmp_path / "reports" / f"{split}.jsonl").write_text(json.dumps(record()) + "\n", encoding="utf-8")
    return tmp_path


def test_splits_are_pinned_and_a_changed_file_is_refused(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    with pytest.raises(ConfigError, match="not pinned"):
        load_split("reports", "train", root)
    pin(root)
    assert len(load_split("reports", "train", root).records) == 1
    with (root / "reports" / "train.jsonl").open("a", encoding="utf-8") as f:
        f.write("\n")
    with pytest.raises(ConfigError, match="differs from the pinned"):
        load_split("reports", "train", root)


def test_a_record_in_the_wrong_split_for_its_conflict_is_refused(tmp_path: Path) -> None:
    root = corpus(tmp_path, split="test", conflict_split="train")
    pin(root)
    with pytest.raises(InputError, match=r"conflicts\.yaml puts in 'train', not 'test'"):
        load_split("reports", "test", root)


def test_place_and_actor_matching() -> None:
    gold = Report.model_validate(record()).control_changes[0]
    assert place_matches(loc("Hamah", 35.14, 36.76), gold.place)  # a spelling, by the point
    assert place_matches(Location(name="Hama"), gold.place)  # by name alone
    assert not place_matches(loc("Homs", 34.73, 36.71), gold.place)
    assert actor_matches(Actor(text="the rebels"), gold.to)  # an alias the text uses
    assert not actor_matches(Actor(text="government forces"), gold.to)
    assert names_match(["M23 rebels"], ["M23"]) and not names_match(["Russian forces"], ["Russia"])


def test_one_change_scored_strict_and_by_place() -> None:
    r = Report.model_validate(record())
    hama = loc("Hama", 35.13, 36.75)
    right = score_report(r, analysis([change(hama, "Hayat Tahrir al-Sham", "2024-12-05")]))
    assert (right.strict.tp, right.strict.fp, right.strict.fn) == (1, 0, 0) and right.fake == 0
    late = score_report(r, analysis([change(hama, "Hayat Tahrir al-Sham", "2024-12-06")]))
    assert late.strict.tp == 0 and late.place.tp == 1  # a day off, with tolerance 0
    wrong_side = score_report(r, analysis([change(hama, "Syrian army", "2024-12-05")]))
    assert wrong_side.strict.tp == 0 and wrong_side.place.tp == 1


def test_a_threat_turned_capture_is_a_fake_and_an_old_change_with_its_old_date_is_not() -> None:
    r = Report.model_validate(record())
    homs = score_report(
        r, analysis([change(loc("Homs", 34.73, 36.71), "Hayat Tahrir al-Sham", "2024-12-05")])
    )
    assert homs.fake == 1 and homs.strict.fp == 1
    old = score_report(
        r, analysis([change(loc("Aleppo", 36.2, 37.16), "Hayat Tahrir al-Sham", "2016-07-01")])
    )
    assert old.fake == 0 and old.neutral == 1 and old.strict.fp == 0
    now = score_report(
        r, analysis([change(loc("Aleppo", 36.2, 37.16), "Hayat Tahrir al-Sham", "2024-12-05")])
    )
    assert now.fake == 1  # the same place dated as news is an invented capture


def test_denied_predictions_claim_nothing() -> None:
    r = Report.model_validate(record())
    s = score_report(r, analysis([change(loc("Homs", 34.73, 36.71), "HTS", "2024-12-05", status="denied")]))
    assert s.predicted_changes == 0 and s.fake == 0


def test_events_count_one_per_happening() -> None:
    r = Report.model_validate(record())
    hama = loc("Hama", 35.13, 36.75)
    sentence = "Rebels seized Hama on Thursday after government forces withdrew."
    one = score_report(
        r, analysis(events=[event(sentence, "Non-state actor overtakes territory", hama, "2024-12-05")])
    )
    assert (one.events.tp, one.events.fp, one.events.fn) == (1, 0, 0)
    twice = [event(sentence, "Non-state actor overtakes territory", hama, "2024-12-05")] * 2
    s = score_report(r, analysis(events=twice))
    assert (s.events.tp, s.events.fp) == (1, 1)  # the second report of one happening is a false positive
    threat = score_report(
        r,
        analysis(
            events=[
                event("set its sights on Homs", None, loc("Homs", 34.73, 36.71), "2024-12-05", "threatened")
            ]
        ),
    )
    assert (
        threat.events.fp == 0 and threat.modality.hit == 1
    )  # a threat is no ACLED row; its modality is right


def test_weighted_f1_counts_untyped_predictions_as_misses() -> None:
    labels = Labels()
    for gold, pred in [("Armed clash", "Armed clash"), ("Armed clash", None), ("Attack", "Armed clash")]:
        labels.add(gold, pred)
    assert labels.accuracy == pytest.approx(1 / 3)
    assert labels.untyped == 1
    # Armed clash: P 1/2, R 1/2 -> F1 0.5 (support 2); Attack: F1 0 (support 1)
    assert labels.weighted_f1 == pytest.approx((0.5 * 2 + 0.0) / 3)


def test_the_test_split_never_lists_records() -> None:
    r = Report.model_validate(record())
    res = score_reports([r], [analysis()], split="test", sha256="x", show_worst=False)
    assert res.worst == [] and "worst" not in res.to_table()
    dev = score_reports([r], [analysis()], split="dev", sha256="x", show_worst=True)
    assert dev.worst and dev.worst[0][0] == r.id
