"""The merging and control-status rules of ``frontline.timeline``, on plain rows."""

from __future__ import annotations

import pytest

from frontline import timeline


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["claimed"], "claimed"),
        (["denied"], "denied"),
        (["confirmed"], "confirmed"),
        (["claimed", "claimed"], "claimed"),
        (["claimed", "confirmed"], "confirmed"),  # a later confirmation upgrades a claim
        (["denied", "confirmed"], "confirmed"),  # ... and overrides an earlier denial
        (["claimed", "denied"], "contested"),
        (["denied", "claimed"], "contested"),
        (["confirmed", "denied"], "contested"),  # a denial after the confirmation reopens it
        (["claimed", "contested"], "contested"),
        (["contested", "confirmed"], "confirmed"),
    ],
)
def test_control_status_rule(statuses: list[str], expected: str) -> None:
    claims = [{"status": s, "published": f"2024-12-0{i + 1}"} for i, s in enumerate(statuses)]
    assert timeline.resolve_status(claims) == expected
    # the rule follows publication dates, not the order reports arrive in
    assert timeline.resolve_status(list(reversed(claims))) == expected


def _row(**kw: object) -> dict:
    base = {
        "id": "x",
        "article_id": "a",
        "modality": "asserted",
        "sub_event_type": "Armed clash",
        "event_type": "Battles",
        "plover_event": "ASSAULT",
        "date": "2024-12-05",
        "time_precision": 1,
        "place_id": "gn:1",
        "lat": 35.0,
        "lon": 36.0,
        "geo_precision": 1,
        "actor1": "A",
        "actor2": None,
    }
    base.update(kw)
    return base


def test_compatible_rules() -> None:
    assert timeline.compatible(_row(), _row())
    assert timeline.compatible(_row(date="2024-12-06"), _row())  # a day apart at day precision
    assert not timeline.compatible(_row(date="2024-12-08"), _row())
    assert timeline.compatible(_row(date="2024-12-08", time_precision=2), _row())  # within the week
    assert timeline.compatible(_row(place_id="gn:2", lat=35.03, lon=36.0), _row())  # ~3 km away
    assert not timeline.compatible(_row(place_id="gn:2", lat=35.2, lon=36.0), _row())  # ~22 km away
    assert timeline.compatible(_row(place_id="gn:2", lat=35.2, lon=36.0, geo_precision=2), _row())
    assert timeline.compatible(_row(modality="claimed"), _row())
    assert not timeline.compatible(_row(modality="threatened"), _row())
    assert not timeline.compatible(_row(modality="hypothetical"), _row(modality="hypothetical"))
    assert timeline.compatible(_row(actor1=None), _row())
    assert timeline.compatible(_row(actor1="B", actor1_side="rebels"), _row(actor1_side="rebels"))
    assert not timeline.compatible(_row(actor1="B"), _row())
    # undated reports stand at their publication date
    assert timeline.compatible(_row(date=None, published="2024-12-06"), _row())


def test_aggregate_resolves_conflicts_by_stated_rules() -> None:
    reports = [
        _row(article_id="a", outlet="Reuters", fatalities=12, date="2024-12-05", sentence="first"),
        _row(article_id="b", outlet="AFP", fatalities=9, date="2024-12-06", time_precision=1),
        _row(article_id="c", outlet="AFP", fatalities=None, date="2024-12-06", modality="claimed"),
    ]
    agg = timeline.aggregate(reports)
    assert agg["fatalities"] == 9 and agg["fatalities_reported"] == [9, 12]
    assert agg["date"] == "2024-12-06"  # two reports against one
    assert agg["dates_reported"] == ["2024-12-05", "2024-12-06"]
    assert agg["modality"] == "asserted"
    assert (agg["n_reports"], agg["n_articles"], agg["n_outlets"]) == (3, 3, 2)
    assert agg["notes"] == "first"
