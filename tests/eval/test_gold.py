"""The gold JSONL format and its scorer, on small hand-made gold lines and hand-built analyses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eval_builders import GOLD, HAMA, HOMS, actor, analysis, control, event, place, quote, toponym

from frontline.errors import ExtractionError, InputError
from frontline.eval.gold import GoldSet, load_gold, max_matching, parse_gold_article, score_gold

TEXT = (
    "Rebels seized Hama on Thursday. The army shelled Homs. “We will win,” said Abu Ali, a rebel "
    "commander. Talks were held in Geneva."
)
S1, S2 = "Rebels seized Hama on Thursday", "The army shelled Homs"


def gold(**parts) -> GoldSet:
    line = {"id": "a", "text": TEXT, "published": "2024-12-06", **parts}
    return GoldSet(articles=[parse_gold_article(line)], source="<test>", sha256="x")


def counts(report, part: str) -> tuple[int, int, int]:
    c = report.parts[part].counts
    return c.tp, c.fp, c.fn


SEIZE = {
    "sentence": S1,
    "sub_event_type": "Non-state actor overtakes territory",
    "plover": "ASSAULT",
    "date": "2024-12-05",
    "location": HAMA,
    "actor1": ["rebel"],
    "modality": "asserted",
}
SHELL = {
    "sentence": S2,
    "sub_event_type": "Shelling/artillery/missile attack",
    "plover": "ASSAULT",
    "location": HOMS,
    "actor1": "army",
    "modality": "asserted",
}


def seize(**changes):
    fields = dict(
        on="2024-12-05",
        at=place(HAMA, "Hama"),
        actor1=actor("Rebels", None, "rebels"),
        event_type="Battles",
        sub_event_type="Non-state actor overtakes territory",
    )
    fields.update(changes)
    return event("e1", S1 + ".", "ASSAULT", **fields)


def shell(**changes):
    fields = dict(
        at=place(HOMS, "Homs"),
        actor1=actor("The army"),
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
    )
    fields.update(changes)
    return event("e2", S2 + ".", "ASSAULT", **fields)


def test_a_perfect_reading_scores_one_everywhere() -> None:
    g = gold(
        events=[SEIZE, SHELL],
        control_changes=[{"place": HAMA, "to": "rebel", "date": "2024-12-05", "status": "confirmed"}],
        quotes=[{"speaker": "Abu Ali", "text": "We will win"}],
        toponyms=[
            {"text": "Hama", "geonameid": HAMA},
            {"text": "Homs", "geonameid": HOMS},
            {"text": "Geneva", "country_code": "CH"},
        ],
    )
    a = analysis(
        events=[seize(), shell()],
        control_changes=[control(place(HAMA), actor("Rebels"), on="2024-12-05")],
        quotes=[quote(actor("Abu Ali", "Abu Ali"), "We will win,")],
        toponyms=[
            toponym("Hama", HAMA),
            toponym("Homs", HOMS),
            toponym("Hama", HAMA),
            toponym("Geneva", 2660646, "CH"),
        ],
        id="a",
    )
    report = score_gold(g, {"a": a})
    expected = {
        "events": 2,
        "sub_events": 2,
        "plover": 2,
        "dates": 1,
        "modality": 2,
        "actors": 2,
        "control_changes": 1,
        "quotes": 1,
        "toponyms": 3,
    }
    for part, n in expected.items():
        assert counts(report, part) == (n, 0, 0), part
        assert report.parts[part].counts.f1 == 1.0
    assert report.failed == []


def test_the_wrong_type_is_a_false_positive_and_a_false_negative() -> None:
    wrong = shell(event_type="Battles", sub_event_type="Armed clash")
    report = score_gold(gold(events=[SHELL]), {"a": analysis(events=[wrong], id="a")})
    assert counts(report, "events") == (0, 1, 1)
    assert report.parts["events"].labels["Battles"].fp == 1
    assert report.parts["events"].labels["Explosions/Remote violence"].fn == 1
    # The PLOVER type was right: plover scores it as found.
    assert counts(report, "plover") == (1, 0, 0)


def test_an_event_in_another_sentence_or_place_does_not_align() -> None:
    elsewhere = shell(at=place(HAMA, "Hama"))
    other_sentence = event(
        "e3",
        "Talks were held in Geneva.",
        "ASSAULT",
        at=place(HOMS, "Homs"),
        event_type="Explosions/Remote violence",
    )
    report = score_gold(gold(events=[SHELL]), {"a": analysis(events=[elsewhere, other_sentence], id="a")})
    assert counts(report, "events") == (0, 2, 1)


def test_a_type_the_gold_does_not_judge_is_not_counted_but_an_explicit_null_is() -> None:
    unjudged = {"sentence": S2, "location": HOMS, "modality": "asserted"}
    out_of_scope = {"sentence": S2, "location": HOMS, "event_type": None, "plover": "ASSAULT"}
    a = analysis(events=[shell()], id="a")
    assert counts(score_gold(gold(events=[unjudged]), {"a": a}), "events") == (0, 0, 0)
    assert counts(score_gold(gold(events=[out_of_scope]), {"a": a}), "events") == (0, 1, 0)


def test_matching_is_one_to_one_and_maximal() -> None:
    # Gold 0 fits both predictions, gold 1 only the first: a greedy pairing in gold order would pair
    # (0, 0) and leave gold 1 out; the maximum matching pairs both.
    pairs = max_matching(2, 2, lambda i, j: (i, j) in {(0, 0), (0, 1), (1, 0)})
    assert pairs == [(0, 1), (1, 0)]
    # Two predictions of one gold event: one is a true positive, the other a false positive.
    report = score_gold(gold(events=[SHELL]), {"a": analysis(events=[shell(), shell()], id="a")})
    assert counts(report, "events") == (1, 1, 0)


def test_dates_within_the_tolerance_and_only_on_aligned_events() -> None:
    late = {**SEIZE, "date": "2024-12-03", "date_tolerance_days": 2}
    stray = shell(on="2024-12-05")  # a dated event where the gold gives no date: not a date prediction
    report = score_gold(gold(events=[late, SHELL]), {"a": analysis(events=[seize(), stray], id="a")})
    assert counts(report, "dates") == (1, 0, 0)
    strict = {**SEIZE, "date": "2024-12-03"}
    report = score_gold(gold(events=[strict]), {"a": analysis(events=[seize()], id="a")})
    assert counts(report, "dates") == (0, 1, 1)


def test_modality_is_scored_per_value() -> None:
    threat = {"sentence": S2, "location": HOMS, "modality": "threatened"}
    report = score_gold(gold(events=[threat]), {"a": analysis(events=[shell()], id="a")})
    assert counts(report, "modality") == (0, 1, 1)
    assert report.parts["modality"].labels["asserted"].fp == 1
    assert report.parts["modality"].labels["threatened"].fn == 1
    assert report.parts["modality"].macro_f1 == 0.0


def test_actors_are_scored_by_role() -> None:
    g = {**SHELL, "actor1": "army", "actor2": ["civilians"]}
    swapped = shell(actor1=actor("civilians"), actor2=actor("The army"))
    report = score_gold(gold(events=[g]), {"a": analysis(events=[swapped], id="a")})
    assert counts(report, "actors") == (0, 2, 2)


def test_control_changes_need_place_side_date_and_status_as_given() -> None:
    g = gold(
        control_changes=[{"place": HAMA, "to": ["rebel", "HTS"], "date": "2024-12-05", "status": "confirmed"}]
    )
    right = control(place(HAMA), actor("fighters", "Hayat Tahrir al-Sham (HTS)"), on="2024-12-05")
    report = score_gold(g, {"a": analysis(control_changes=[right], id="a")})
    assert counts(report, "control_changes") == (1, 0, 0)
    for wrong in (
        control(place(HOMS), actor("rebels"), on="2024-12-05"),
        control(place(HAMA), actor("the army"), on="2024-12-05"),
        control(place(HAMA), actor("rebels"), on="2024-12-06"),
        control(place(HAMA), actor("rebels"), on="2024-12-05", status="claimed"),
    ):
        report = score_gold(g, {"a": analysis(control_changes=[wrong], id="a")})
        assert counts(report, "control_changes") == (0, 1, 1)


def test_quotes_ignore_case_spacing_and_quote_marks_but_not_the_speaker() -> None:
    g = gold(quotes=[{"speaker": ["Abu Ali"], "text": "We will  WIN"}])
    typographic = quote(actor("Abu Ali"), "“we will win,”")
    assert counts(score_gold(g, {"a": analysis(quotes=[typographic], id="a")}), "quotes") == (1, 0, 0)
    wrong_speaker = quote(actor("a rebel commander"), "We will win")
    assert counts(score_gold(g, {"a": analysis(quotes=[wrong_speaker], id="a")}), "quotes") == (0, 1, 1)


def test_toponyms_are_distinct_text_and_place_pairs() -> None:
    g = gold(toponyms=[{"text": "Hama", "geonameid": HAMA}, {"text": "Syria", "country_code": "sy"}])
    a = analysis(
        toponyms=[
            toponym("Hama", HAMA),
            toponym("Hama", HAMA),
            toponym("Hama", 999),
            toponym("Syria", 163843, "SY"),
        ],
        id="a",
    )
    assert counts(score_gold(g, {"a": a}), "toponyms") == (2, 1, 0)


def test_a_part_left_out_is_not_scored_but_an_empty_list_is() -> None:
    a = analysis(quotes=[quote(actor("Abu Ali"), "We will win")], id="a")
    unannotated = score_gold(gold(events=[]), {"a": a})
    assert unannotated.parts["quotes"].articles == 0
    assert counts(unannotated, "quotes") == (0, 0, 0)
    assert "quotes" not in unannotated.to_table()
    none = score_gold(gold(quotes=[]), {"a": a})
    assert counts(none, "quotes") == (0, 1, 0)


def test_a_failed_article_counts_its_gold_as_missed() -> None:
    report = score_gold(gold(events=[SEIZE, SHELL]), {"a": ExtractionError("boom", source="a")})
    assert counts(report, "events") == (0, 0, 2)
    assert report.failed and report.failed[0][0] == "a" and "boom" in report.failed[0][1]


def test_misses_say_what_was_missed() -> None:
    report = score_gold(gold(events=[SHELL]), {"a": analysis(id="a")})
    missed = [m for m in report.misses if m.part == "events"]
    assert len(missed) == 1 and missed[0].kind == "fn" and "shelled Homs" in missed[0].what
    assert json.loads(json.dumps(report.to_dict(misses=True)))["misses"]


def test_the_test_gold_file_loads(tmp_path: Path) -> None:
    g = load_gold(GOLD)
    assert len(g.articles) == 10
    assert sum(len(a.events or []) for a in g.articles) == 20
    assert sum(len(a.control_changes or []) for a in g.articles) == 6
    assert len(g.sha256) == 64


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"text": "x"} | {"evnts": []}, "unknown key"),
        ({"text": ""}, "empty 'text'"),
        ({"text": TEXT, "events": [{"sentence": "Rebels took Damascus"}]}, "does not occur"),
        ({"text": TEXT, "events": [{"plover": "ASSAULT"}]}, "'sentence' or a 'location'"),
        ({"text": TEXT, "events": [{"sentence": S1, "plover": "FIGHT"}]}, "not one of"),
        (
            {
                "text": TEXT,
                "events": [{"sentence": S1, "event_type": "Protests", "sub_event_type": "Armed clash"}],
            },
            "belongs to 'Battles'",
        ),
        ({"text": TEXT, "events": [{"sentence": S1, "date": "5 Dec 2024"}]}, "YYYY-MM-DD"),
        ({"text": TEXT, "events": {"sentence": S1}}, "expected a list"),
        ({"text": TEXT, "control_changes": [{"to": "rebels"}]}, "needs its 'place'"),
        ({"text": TEXT, "toponyms": [{"text": "Hama"}]}, "'geonameid' or a 'country_code'"),
        ({"text": TEXT, "quotes": [{"speaker": [], "text": "x"}]}, "list of strings"),
    ],
)
def test_malformed_gold_lines_are_errors_with_their_field(line, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_gold_article(line, source="g.jsonl", line=3)


def test_malformed_gold_files_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text('{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"line 2.*duplicate"):
        load_gold(path)
    path.write_text('{"id": "a", "text": "x"}\nnot json\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"line 2.*malformed"):
        load_gold(path)
