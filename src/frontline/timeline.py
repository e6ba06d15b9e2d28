"""Many reports, one event: the rules that merge reports across articles, and control of places over time.

The store calls these functions inside its write transaction; they are pure (rows in, decisions out), so
the rules can be read, tested and changed here without touching SQL.

Merging (``compatible``): a new report joins an existing merged event when all of these hold:

- **type**: the same ACLED sub-event type when both have one; else the same ACLED event type; else the
  same PLOVER event. A report with no ACLED type matches on PLOVER alone.
- **modality class**: things that happened (asserted, claimed, denied) merge only with each other;
  history only with history; threats and plans only with threats and plans; hypothetical and negated
  events never merge (each stays its own record, as the extractor reported it).
- **place**: the same place (GeoNames id, else country and name), or within a distance that grows with
  ACLED's geo precision (5 km both precise, 25 km if either is "near", 50 km if either is a region).
  Two reports without a place merge only when their dates and both actors agree exactly.
- **date**: within the looser of the two time precisions (1 day for a day, 7 for a week, 31 for a
  month); an undated report stands at its article's publication date, give or take 3 days.
- **actors**: for each of actor1 and actor2, either side unknown, or the same canonical name, or the same
  side ("rebels", "government").

Among several matching events the closest wins (same place, then nearest date, then most reports).

Conflicting details are all kept (``dates_reported``, ``fatalities_reported``) and resolved by stated
rules (``aggregate``): fatalities take the lowest figure reported, as ACLED does; the date is the one
most reports give (ties: the most precise, then the earliest); the place is the most precise one most
reports name; the modality is the most certain one any report gives (asserted > claimed > denied).

Control status (``resolve_status``), over the reports of one change of control, in publication order:

- only claims: ``claimed``; only denials: ``denied``;
- any confirmation (or a plain statement of fact) and no later denial: ``confirmed`` (a later
  confirmation upgrades an earlier claim, and overrides an earlier denial);
- claims and denials without a confirmation, or a denial published after the last confirmation, or a
  report that calls it contested: ``contested``.

Denied changes do not move control; confirmed, claimed and contested ones do (``control_at`` shows the
status, so a reader sees how sure the answer is).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .schema import ACLED_SUB_TO_TYPE, Actor, Location

FACTUAL = ("asserted", "claimed", "denied")
MODALITY_CLASS = {
    "asserted": "factual",
    "claimed": "factual",
    "denied": "factual",
    "historical": "historical",
    "threatened": "future",
    "planned": "future",
    "hypothetical": None,
    "negated": None,
}
MODALITY_RANK = {
    "asserted": 0,
    "claimed": 1,
    "denied": 2,
    "historical": 3,
    "threatened": 4,
    "planned": 5,
    "hypothetical": 6,
    "negated": 7,
}
STATUS_RANK = {"confirmed": 0, "contested": 1, "claimed": 2, "denied": 3}
UNDATED_TOLERANCE_DAYS = 3


def short_hash(*parts: object, length: int = 20) -> str:
    h = hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:length]


# --- keys ------------------------------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.strip().lower()).strip("-")


def place_id(location: Location | None) -> str | None:
    """``gn:<geonameid>`` for gazetteer places; ``nm:<cc>:<name>`` for the rest; None without a place."""
    if location is None:
        return None
    if location.geonameid is not None:
        return f"gn:{location.geonameid}"
    name = _slug(location.name)
    if not name:
        return None
    return f"nm:{(location.country_code or 'xx').lower()}:{name}"


def actor_label(actor: Actor | None) -> str | None:
    """The name to file an actor under: the canonical name, else its side, else the words as written."""
    if actor is None:
        return None
    return actor.name or actor.side or (actor.text.strip() or None)


def actor_id(label: str | None) -> str | None:
    return _slug(label) if label else None


# --- merging ---------------------------------------------------------------------------------------


def date_tolerance(precision: int | None, dated: bool = True) -> int:
    if not dated:
        return UNDATED_TOLERANCE_DAYS
    return {1: 1, 2: 7, 3: 31}.get(precision or 1, 1)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def max_distance_km(prec_a: int | None, prec_b: int | None) -> float:
    worst = max(prec_a or 1, prec_b or 1)
    return {1: 5.0, 2: 25.0, 3: 50.0}.get(worst, 50.0)


def _to_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def anchor_date(row: Mapping[str, Any]) -> tuple[dt.date | None, int]:
    """The date a report or event stands at and how far (days) another may be from it and still match."""
    date = _to_date(row.get("date"))
    if date is not None:
        return date, date_tolerance(row.get("time_precision"))
    published = _to_date(row.get("published"))
    return published, date_tolerance(None, dated=False)


def _same_kind(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    if a.get("sub_event_type") and b.get("sub_event_type"):
        return bool(a["sub_event_type"] == b["sub_event_type"])
    if a.get("event_type") and b.get("event_type"):
        return bool(a["event_type"] == b["event_type"]) and a.get("plover_event") == b.get("plover_event")
    return bool(a.get("plover_event")) and a.get("plover_event") == b.get("plover_event")


def _actors_agree(a: Mapping[str, Any], b: Mapping[str, Any], which: str) -> bool:
    name_a, name_b = a.get(which), b.get(which)
    if not name_a or not name_b:
        return True
    if str(name_a).lower() == str(name_b).lower():
        return True
    side_a, side_b = a.get(f"{which}_side"), b.get(f"{which}_side")
    return bool(side_a and side_b and str(side_a).lower() == str(side_b).lower())


def _places_agree(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool | None:
    """True or False when both have a place; None when neither has one."""
    if a.get("place_id") and a.get("place_id") == b.get("place_id"):
        return True
    if a.get("lat") is not None and b.get("lat") is not None:
        km = distance_km(a["lat"], a["lon"], b["lat"], b["lon"])
        return km <= max_distance_km(a.get("geo_precision"), b.get("geo_precision"))
    if not a.get("place_id") and not b.get("place_id"):
        return None
    return False


def compatible(report: Mapping[str, Any], event: Mapping[str, Any]) -> bool:
    """Whether a report (a ``reports`` row) may join a merged event (an ``events`` row). See module doc."""
    cls = MODALITY_CLASS.get(report.get("modality") or "asserted")
    if cls is None or cls != MODALITY_CLASS.get(event.get("modality") or "asserted"):
        return False
    if not _same_kind(report, event):
        return False
    d1, tol1 = anchor_date(report)
    d2, tol2 = anchor_date(event)
    if d1 is None or d2 is None:
        return False
    places = _places_agree(report, event)
    if places is False:
        return False
    if places is None:  # neither has a place: only an exact match of date and both actors will do
        return (
            d1 == d2
            and bool(report.get("actor1"))
            and report.get("actor1") == event.get("actor1")
            and report.get("actor2") == event.get("actor2")
        )
    if abs((d1 - d2).days) > max(tol1, tol2):
        return False
    return _actors_agree(report, event, "actor1") and _actors_agree(report, event, "actor2")


def search_box(report: Mapping[str, Any]) -> tuple[float, float, float, float] | None:
    """(south, north, west, east) around a report's coordinates, wide enough for any matching event."""
    lat, lon = report.get("lat"), report.get("lon")
    if lat is None or lon is None:
        return None
    dlat = max_distance_km(3, 3) / 111.0
    dlon = dlat / max(0.05, math.cos(math.radians(lat)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def best_match(report: Mapping[str, Any], candidates: Iterable[Mapping[str, Any]]) -> str | None:
    """The id of the compatible event closest to the report, or None."""
    scored = []
    d1, _ = anchor_date(report)
    for event in candidates:
        if not compatible(report, event):
            continue
        d2, _ = anchor_date(event)
        gap = abs((d1 - d2).days) if d1 and d2 else 99
        same_place = 0 if report.get("place_id") and report.get("place_id") == event.get("place_id") else 1
        scored.append((same_place, gap, -(event.get("n_reports") or 0), str(event["id"])))
    return min(scored)[3] if scored else None


def _most_common(values: Sequence[Any]) -> Any:
    present = [v for v in values if v not in (None, "")]
    if not present:
        return None
    counts = Counter(present)
    top = max(counts.values())
    # ties go to the first reported (reports come in publication order)
    return next(v for v in present if counts[v] == top)


def aggregate(reports: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The merged event's columns from all its reports (rows in publication order). See module doc."""
    if not reports:
        raise ValueError("an event needs at least one report")
    out: dict[str, Any] = {}
    sub = _most_common([r.get("sub_event_type") for r in reports])
    out["sub_event_type"] = sub
    out["event_type"] = (
        ACLED_SUB_TO_TYPE.get(sub) if sub else _most_common([r.get("event_type") for r in reports])
    )
    out["plover_event"] = _most_common([r.get("plover_event") for r in reports])
    out["plover_mode"] = _most_common(
        [r.get("plover_mode") for r in reports if r.get("plover_event") == out["plover_event"]]
    )
    contexts: list[str] = []
    for r in reports:
        for c in r.get("plover_context") or []:
            if c not in contexts:
                contexts.append(c)
    out["plover_context"] = contexts
    out["modality"] = min(
        (r.get("modality") or "asserted" for r in reports), key=lambda m: MODALITY_RANK.get(m, 9)
    )

    # Date: the one most reports give; ties to the most precise, then the earliest.
    dated = [r for r in reports if r.get("date")]
    if dated:
        counts = Counter(str(r["date"]) for r in dated)
        best = min(
            counts,
            key=lambda d: (
                -counts[d],
                min(r.get("time_precision") or 3 for r in dated if str(r["date"]) == d),
                d,
            ),
        )
        out["date"] = best
        out["time_precision"] = min(r.get("time_precision") or 3 for r in dated if str(r["date"]) == best)
        dates = sorted({str(r["date"]) for r in dated})
        out["date_min"], out["date_max"] = dates[0], dates[-1]
        out["dates_reported"] = dates
    else:
        out.update(date=None, time_precision=None, date_min=None, date_max=None, dates_reported=[])

    # Place: the most precise one, most often named among those.
    placed = [r for r in reports if r.get("place_id")]
    if placed:
        top_prec = min(r.get("geo_precision") or 3 for r in placed)
        pid = _most_common([r["place_id"] for r in placed if (r.get("geo_precision") or 3) == top_prec])
        src = next(r for r in placed if r["place_id"] == pid)
        for key in (
            "place_id",
            "location",
            "geonameid",
            "lat",
            "lon",
            "country_code",
            "admin1",
            "geo_precision",
        ):
            out[key] = src.get(key)
    else:
        for key in (
            "place_id",
            "location",
            "geonameid",
            "lat",
            "lon",
            "country_code",
            "admin1",
            "geo_precision",
        ):
            out[key] = None
        out["country_code"] = _most_common([r.get("country_code") for r in reports])

    for which in ("actor1", "actor2"):
        name = _most_common([r.get(which) for r in reports])
        src = next((r for r in reports if name and r.get(which) == name), {})
        out[which] = name
        out[f"{which}_side"] = src.get(f"{which}_side")
        out[f"{which}_country"] = src.get(f"{which}_country")

    figures = sorted(int(r["fatalities"]) for r in reports if r.get("fatalities") is not None)
    out["fatalities"] = figures[0] if figures else None  # ACLED: the lowest reported figure
    out["fatalities_reported"] = figures
    out["n_reports"] = len(reports)
    out["n_articles"] = len({r["article_id"] for r in reports})
    outlets = []
    for r in reports:
        outlet = r.get("outlet") or r.get("url_host") or r["article_id"]
        if outlet not in outlets:
            outlets.append(outlet)
    out["n_outlets"] = len(outlets)
    out["outlets"] = [o for o in outlets if o]
    out["confidence"] = round(max(float(r.get("confidence") or 0.0) for r in reports), 4)
    out["notes"] = reports[0].get("sentence")
    return out


# --- control over time -----------------------------------------------------------------------------


def control_compatible(claim: Mapping[str, Any], change: Mapping[str, Any]) -> bool:
    """Whether a report of a change of control is about an already known change (same place, same new
    holder by name or side, dates within the precision)."""
    if claim.get("place_id") != change.get("place_id"):
        return False
    a, b = claim.get("to_actor"), change.get("to_actor")
    same_actor = bool(a and b and str(a).lower() == str(b).lower())
    sa, sb = claim.get("to_side"), change.get("to_side")
    if not same_actor and not (sa and sb and str(sa).lower() == str(sb).lower()):
        return False
    d1, tol1 = anchor_date(claim)
    d2, tol2 = anchor_date(change)
    if d1 is None or d2 is None:
        return d1 is None and d2 is None
    return abs((d1 - d2).days) <= max(tol1, tol2)


def resolve_status(claims: Sequence[Mapping[str, Any]]) -> str:
    """A change of control's status from its reports' statuses (see module doc for the rule).

    ``claims`` carry ``status`` and ``published``; they are ordered here by publication date (undated
    reports count as oldest, ties keep the given order).
    """
    ordered = sorted(enumerate(claims), key=lambda ic: (str(ic[1].get("published") or ""), ic[0]))
    statuses = [c.get("status") or "claimed" for _, c in ordered]
    if "confirmed" in statuses:
        last_confirmed = max(i for i, s in enumerate(statuses) if s == "confirmed")
        later = statuses[last_confirmed + 1 :]
        if "denied" in later or "contested" in later:
            return "contested"
        return "confirmed"
    if "contested" in statuses:
        return "contested"
    has_claim, has_denial = "claimed" in statuses, "denied" in statuses
    if has_claim and has_denial:
        return "contested"
    return "denied" if has_denial else "claimed"


def aggregate_control(claims: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A control change's columns from its reports (rows in publication order)."""
    if not claims:
        raise ValueError("a control change needs at least one report")
    status = resolve_status(claims)
    dated = [c for c in claims if c.get("date")]
    date: str | None
    if dated:
        counts = Counter(str(c["date"]) for c in dated)
        date = min(
            counts,
            key=lambda d: (
                -counts[d],
                min(c.get("time_precision") or 3 for c in dated if str(c["date"]) == d),
                d,
            ),
        )
        precision = min(c.get("time_precision") or 3 for c in dated if str(c["date"]) == date)
    else:
        # Undated reports: the change stands at the earliest publication date, of unknown precision.
        published = sorted(str(c["published"]) for c in claims if c.get("published"))
        date, precision = (published[0] if published else None), None
    # The new holder as most reports name it; the side from the first report that gives it.
    to_actor = _most_common([c.get("to_actor") for c in claims])
    from_actor = _most_common([c.get("from_actor") for c in claims])
    return {
        "date": date,
        "time_precision": precision,
        "status": status,
        "effective": 0 if status == "denied" else 1,
        "to_actor": to_actor,
        "to_side": next((c.get("to_side") for c in claims if c.get("to_side")), None),
        "from_actor": from_actor,
        "from_side": next((c.get("from_side") for c in claims if c.get("from_side")), None),
        "n_reports": len(claims),
    }
