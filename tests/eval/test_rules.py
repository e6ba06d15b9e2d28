"""The expected.json rule checker, on hand-built analyses: rules that must hold, and rules that must FAIL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eval_builders import (
    ALEPPO,
    DAMASCUS,
    HAMA,
    HOMS,
    actor,
    analysis,
    control,
    event,
    hama_as_read,
    place,
    quote,
    toponym,
)

from frontline.errors import InputError
from frontline.eval.rules import check_rules, compile_rules, load_rules


@pytest.fixture(scope="module")
def hama_rules(shared: Path):
    return load_rules(shared / "examples/hama-2024-12/expected.json")


def result(report, label: str):
    (found,) = [r for r in report.results if r.rule.label == label]
    return found


def test_the_analysts_reading_of_hama_satisfies_every_rule(hama_rules) -> None:
    report = check_rules(hama_rules, hama_as_read())
    assert report.failures() == []
    assert report.ok
    # expected.json has 2 control-change, 4 event, 4 quote and 9 toponym must rules, and 5 must_not.
    summary = report.summary()
    assert summary["must"] == {"passed": 19, "total": 19}
    assert summary["must_not"] == {"passed": 5, "total": 5}


def test_an_empty_output_fails_every_must_and_violates_no_must_not(hama_rules) -> None:
    report = check_rules(hama_rules, analysis())
    musts = [r for r in report.results if r.rule.kind == "must"]
    assert musts and not any(r.passed for r in musts)
    assert all(r.passed for r in report.results if r.rule.kind == "must_not")
    assert "has no control changes" in result(report, "control_changes.must[0]").reason
    assert not report.ok


def test_a_date_one_day_off_fails_a_zero_tolerance_rule(hama_rules) -> None:
    a = hama_as_read()
    a.control_changes[0].date = a.control_changes[0].date.replace(day=6)
    r = result(check_rules(hama_rules, a), "control_changes.must[0]")
    assert not r.passed
    assert "1 d from 2024-12-05" in r.reason


def test_date_tolerance_days_is_inclusive(hama_rules) -> None:
    a = hama_as_read()
    # Aleppo: 2024-11-30 within 4 days.
    for day, ok in ((26, True), (25, False)):
        a.control_changes[1].date = a.control_changes[1].date.replace(day=day)
        assert result(check_rules(hama_rules, a), "control_changes.must[1]").passed is ok


def test_the_wrong_status_fails(hama_rules) -> None:
    a = hama_as_read()
    a.control_changes[0].status = "claimed"
    r = result(check_rules(hama_rules, a), "control_changes.must[0]")
    assert not r.passed and "status is 'claimed'" in r.reason


def test_matches_look_in_name_text_and_side_case_insensitively() -> None:
    rules = {"control_changes": {"must": [{"place_geonameid": HAMA, "to_matches": ["REBEL"]}]}}
    by_side = analysis(control_changes=[control(place(HAMA), actor("the fighters", None, "rebels"))])
    by_text = analysis(control_changes=[control(place(HAMA), actor("Rebel forces"))])
    by_nothing = analysis(control_changes=[control(place(HAMA), actor("the fighters", "HTS", "opposition"))])
    assert check_rules(rules, by_side).ok
    assert check_rules(rules, by_text).ok
    assert not check_rules(rules, by_nothing).ok


def test_every_key_must_hold_on_the_same_item() -> None:
    # One change has the place, another the side: no single item satisfies the rule.
    rules = {"control_changes": {"must": [{"place_geonameid": HAMA, "to_matches": "rebel"}]}}
    split = analysis(
        control_changes=[control(place(HAMA), actor("the army")), control(place(ALEPPO), actor("rebels"))]
    )
    report = check_rules(rules, split)
    assert not report.ok
    assert "nearest" in report.results[0].reason


def test_must_not_is_violated_by_a_capture_of_homs(hama_rules) -> None:
    a = hama_as_read()
    a.control_changes.append(control(place(HOMS, "Homs"), actor("rebels")))
    r = result(check_rules(hama_rules, a), "control_changes.must_not[0]")
    assert not r.passed and "Homs" in r.reason


def test_must_not_on_history_needs_the_old_date(hama_rules) -> None:
    a = hama_as_read()
    a.control_changes.append(control(place(HAMA, "Hama"), actor("government"), on="1982-02-28"))
    assert not result(check_rules(hama_rules, a), "control_changes.must_not[2]").passed
    # An undated Hama change is not "before 2024": that rule is not violated by it.
    a.control_changes[-1].date = None
    assert result(check_rules(hama_rules, a), "control_changes.must_not[2]").passed


def test_must_not_on_events_requires_the_modality_too(hama_rules) -> None:
    a = hama_as_read()
    fall = event(
        "x",
        "Damascus is going to fall",
        "ASSAULT",
        at=place(DAMASCUS, "Damascus"),
        sub_event_type="Non-state actor overtakes territory",
        event_type="Battles",
        modality="hypothetical",
    )
    a.events.append(fall)
    assert result(check_rules(hama_rules, a), "events.must_not[0]").passed
    fall.modality = "asserted"
    assert not result(check_rules(hama_rules, a), "events.must_not[0]").passed


def test_the_threat_on_homs_must_be_a_threat(hama_rules) -> None:
    a = hama_as_read()
    a.events[3].modality = "asserted"
    r = result(check_rules(hama_rules, a), "events.must[2]")
    assert not r.passed and "modality is 'asserted'" in r.reason


def test_history_needs_the_year(hama_rules) -> None:
    a = hama_as_read()
    a.events[4].date = None
    r = result(check_rules(hama_rules, a), "events.must[3]")
    assert not r.passed and "not in 1982" in r.reason


def test_sentence_contains_is_a_substring_of_the_sentence(hama_rules) -> None:
    a = hama_as_read()
    a.events[2].sentence = "Fighters stormed the city's central jail."
    assert not result(check_rules(hama_rules, a), "events.must[1]").passed


def test_affiliation_is_matched_in_the_affiliation_only(hama_rules) -> None:
    a = hama_as_read()
    a.quotes[0].affiliation = None
    a.quotes[0].speaker = actor("Samuel Ramani of RUSI", "Samuel Ramani")
    r = result(check_rules(hama_rules, a), "quotes.must[0]")
    assert not r.passed and "affiliation" in r.reason


def test_toponyms_need_the_exact_text_and_the_place(hama_rules) -> None:
    a = hama_as_read()
    a.toponyms[0] = toponym("Hama", 12345, "SY")  # the wrong Hama
    a.toponyms[5] = toponym("Syria", None, "LB")  # a country by its code
    report = check_rules(hama_rules, a)
    assert not result(report, "toponyms.must[0]").passed
    assert not result(report, "toponyms.must[5]").passed
    a.toponyms[0] = toponym("HAMA", 170017, "SY")
    assert not result(check_rules(hama_rules, a), "toponyms.must[0]").passed


def test_a_failed_should_is_reported_but_does_not_fail_the_report(hama_rules) -> None:
    report = check_rules(hama_rules, hama_as_read())
    should = result(report, "events.should[0]")
    assert not should.passed
    assert report.ok
    assert "miss" in report.to_table()


def test_report_json_and_table_name_the_failed_rule(hama_rules) -> None:
    a = hama_as_read()
    a.quotes = [q for q in a.quotes if "Jolani" not in (q.speaker.name or "")]
    report = check_rules(hama_rules, a)
    data = json.loads(json.dumps(report.to_dict()))
    failed = [r for r in data["results"] if not r["passed"] and r["kind"] != "should"]
    assert [r["rule"] for r in failed] == ["quotes.must[2]"]
    assert failed[0]["keys"] == {"speaker_matches": ["Jolani"], "text_contains": "40-year-old wound"}
    assert "FAIL" in report.to_table() and "quotes.must[2]" in report.to_table()


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"events": {"must": [{"location_geonameid": 1, "plover_evnt": "ASSAULT"}]}}, "unknown rule key"),
        ({"event": {"must": [{"location_geonameid": 1}]}}, "unknown part"),
        ({"events": {"may": [{"location_geonameid": 1}]}}, "unknown rule kind"),
        ({"events": {"must": [{"why": "nothing to check"}]}}, "at least one key"),
        ({"events": {"must": [{"date_tolerance_days": 2, "location_geonameid": 1}]}}, "needs a date"),
        ({"events": {"must": [{"date": "2024-13-01"}]}}, "not a YYYY-MM-DD date"),
        ({"quotes": {"must": [{"date": "2024-01-01"}]}}, "have no date"),
        ({"quotes": {"must": [{"place_geonameid": 1}]}}, "unknown place"),
        ({"events": {"must": [{"location_geonameid": "170017"}]}}, "integer"),
        ({"events": {"must": [{"actor1_matches": []}]}}, "non-empty"),
        ({"toponyms": {"must": [{"sentence_contains": "x"}]}}, "no 'sentence' text"),
    ],
)
def test_malformed_rules_are_errors_not_vacuous_passes(rules, message: str) -> None:
    with pytest.raises(InputError, match=message):
        compile_rules(rules)


def test_every_key_of_the_hama_readme_is_understood(shared: Path) -> None:
    # Compiling the real file is the check: an unknown key raises.
    ruleset = load_rules(shared / "examples/hama-2024-12/expected.json")
    keys = {k for rule in ruleset.rules for k in rule.entry}
    assert {
        "place_geonameid",
        "to_matches",
        "from_matches",
        "date_tolerance_days",
        "date_before",
        "date_year",
        "modality_in",
        "sub_event_type_in",
        "sub_event_type",
        "plover_event",
        "sentence_contains",
        "text_contains",
        "affiliation_matches",
        "speaker_matches",
        "status",
    } <= keys


def test_other_keys_documented_in_the_module_work() -> None:
    rules = {
        "events": {
            "must": [
                {
                    "plover_event_in": ["ASSAULT", "COERCE"],
                    "date_after": "2024-01-01",
                    "location_country_code": "sy",
                    "location_matches": "ham",
                    "event_type": "Battles",
                }
            ]
        },
        "quotes": {"must": [{"speaker_matches": "ramani", "text_contains": "HUMILIATION"}]},
    }
    good = analysis(
        events=[event(plover="ASSAULT", on="2024-12-05", at=place(HAMA, "Hama", "SY"), event_type="Battles")],
        quotes=[quote(actor("Ramani"), "a huge humiliation")],
    )
    assert check_rules(rules, good).ok
    good.events[0].date = good.events[0].date.replace(year=2023)
    assert not check_rules(rules, good).ok
