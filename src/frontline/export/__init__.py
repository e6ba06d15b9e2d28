"""Merged events out, in the formats analysts already use: ACLED-style CSV, PLOVER JSONL, GeoJSON.

Column and field names are the ones ACLED (2024 export) and the PLOVER specification (JSON data fields)
use, so existing scripts read our files unchanged. Where we have nothing to put in a column it is left
empty rather than guessed. Each writer streams: a million events never sit in memory at once.

By default only events that the reports say happened (or were claimed, denied, or are history) are
written; threats, plans, hypothetical and negated events are not events in ACLED's or PLOVER's sense
(``include_unrealised=True`` writes them too, for auditing).

A row is written only when the format can hold it whole: an ACLED row needs an ACLED event type, a date
and a country (its id is the country's ISO alpha-3 code and a number, as ACLED's are); a PLOVER record
its required ``date`` and ``event``; a GeoJSON feature
needs coordinates, for the Point it promises (``include_unlocated=True`` writes the others with
``"geometry": null``, as RFC 7946 allows). What is left out is counted by reason in the
``ExportSummary`` that ``export`` returns, never dropped silently.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, TYPE_CHECKING, Any

from ..schema import ACLED_SUB_TO_TYPE, ACLED_TYPES
from ..store.models import EventFilter, MergedEvent

if TYPE_CHECKING:
    from ..store.base import Store

FORMATS = ("acled-csv", "plover-jsonl", "geojson")
UNREALISED = ("threatened", "planned", "hypothetical", "negated")

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

# ACLED's disorder types by event type (its codebook; Strategic developments are their own type).
DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Political violence; Demonstrations",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
# ACLED's actor types (``inter1``/``inter2``), from our actors' side labels where one clearly applies.
INTER = {
    "government": "State forces",
    "state": "State forces",
    "army": "State forces",
    "military": "State forces",
    "police": "State forces",
    "rebels": "Rebel group",
    "rebel": "Rebel group",
    "insurgents": "Rebel group",
    "jihadists": "Rebel group",
    "militia": "Political militia",
    "protesters": "Protesters",
    "rioters": "Rioters",
    "civilians": "Civilians",
}


@lru_cache(maxsize=512)
def _country(cc: str | None) -> tuple[str, str, str]:
    """(name, alpha-3, ISO numeric) for an alpha-2 code; empty strings when unknown."""
    if not cc:
        return "", "", ""
    import pycountry

    found = pycountry.countries.get(alpha_2=cc.upper())
    if found is None:
        return "", "", ""
    return (getattr(found, "common_name", None) or found.name, found.alpha_3, str(int(found.numeric)))


def _inter(side: str | None, country: str | None, event_country: str | None) -> str:
    if not side:
        return ""
    kind = INTER.get(side.lower(), "")
    if kind == "State forces" and country and event_country and country != event_country:
        return "External/Other forces"
    return kind


# Why an event was left out of an export, as the summary says it.
LEFT_UNREALISED = "threats, plans, hypothetical or negated events (--all writes them)"
NO_ACLED_TYPE = "without an ACLED event type"
NO_DATE = "without a date"
NO_COUNTRY = "without a known country (an ACLED id starts with its ISO alpha-3 code)"
NO_PLOVER_EVENT = "without a PLOVER event type"
NO_POINT = "without coordinates (--include-unlocated writes them with null geometry)"


@dataclass
class ExportSummary:
    """What an export wrote, and how many matching events it left out, by reason."""

    format: str
    written: int = 0
    left_out: Counter[str] = field(default_factory=Counter)

    @property
    def matched(self) -> int:
        return self.written + sum(self.left_out.values())

    def describe(self) -> str:
        """One line for a person: '244 events written; 129 left out: 80 without ...'."""
        line = f"{self.written} events written"
        if self.left_out:
            reasons = ", ".join(f"{n} {why}" for why, n in self.left_out.most_common())
            line += f"; {sum(self.left_out.values())} left out: {reasons}"
        return line


def _events(
    store: Store, filters: EventFilter | None, include_unrealised: bool, summary: ExportSummary
) -> Iterator[MergedEvent]:
    for event in store.iter_events(filters, with_sources=True):
        if include_unrealised or event.modality not in UNREALISED:
            yield event
        else:
            summary.left_out[LEFT_UNREALISED] += 1


def acled_gap(event: MergedEvent) -> str | None:
    """Why an event cannot be an ACLED row (None when it can): ACLED rows all have a type, a date and
    a country; a row without them breaks the tools that read ACLED files."""
    if event.event_type not in ACLED_TYPES:
        return NO_ACLED_TYPE
    if event.date is None:
        return NO_DATE
    if not _country(event.country_code)[1]:
        return NO_COUNTRY
    return None


def acled_id(alpha3: str, event_id: str) -> str:
    """ACLED's ``event_id_cnty`` shape, the country's alpha-3 code and a number: ours is the event's
    content-hash id read as a number (its first 48 bits), so it is stable across exports."""
    digits = event_id.removeprefix("ev")
    try:
        number = int(digits[:12], 16)
    except ValueError:
        number = int.from_bytes(event_id.encode()[:6], "big")
    return f"{alpha3}{number}"


def acled_row(event: MergedEvent) -> dict[str, Any]:
    name, alpha3, numeric = _country(event.country_code)
    tags = [f"reports: {event.n_reports}", f"outlets: {event.n_outlets}", f"frontline id: {event.id}"]
    if event.modality != "asserted":
        tags.append(f"modality: {event.modality}")
    if len(event.fatalities_reported) > 1 and len(set(event.fatalities_reported)) > 1:
        tags.append("fatalities reported: " + "/".join(str(f) for f in event.fatalities_reported))
    if len(event.dates_reported) > 1:
        tags.append("dates reported: " + "/".join(d.isoformat() for d in event.dates_reported))
    updated = event.updated_at and dt.datetime.fromisoformat(event.updated_at)
    inter1 = _inter(event.actor1_side, event.actor1_country, event.country_code)
    inter2 = _inter(event.actor2_side, event.actor2_country, event.country_code)
    return {
        "event_id_cnty": acled_id(alpha3, event.id),
        "event_date": event.date.isoformat() if event.date else "",
        "year": event.date.year if event.date else "",
        "time_precision": event.time_precision or "",
        "disorder_type": DISORDER.get(event.event_type or "", ""),
        "event_type": event.event_type or "",
        # a sub-event type of another event type would contradict the row's own type
        "sub_event_type": event.sub_event_type
        if event.sub_event_type and ACLED_SUB_TO_TYPE.get(event.sub_event_type) == event.event_type
        else "",
        "actor1": event.actor1 or "",
        "assoc_actor_1": "",
        "inter1": inter1,
        "actor2": event.actor2 or "",
        "assoc_actor_2": "",
        "inter2": inter2,
        "interaction": f"{inter1}-{inter2}" if inter1 and inter2 else (inter1 and f"{inter1} only"),
        "civilian_targeting": "Civilian targeting"
        if event.event_type == "Violence against civilians"
        else "",
        "iso": numeric,
        "region": "",
        "country": name,
        "admin1": event.admin1 or "",
        "admin2": "",
        "admin3": "",
        "location": event.location or "",
        "latitude": f"{event.lat:.4f}" if event.lat is not None else "",
        "longitude": f"{event.lon:.4f}" if event.lon is not None else "",
        "geo_precision": event.geo_precision or "",
        "source": "; ".join(event.outlets),
        "source_scale": "",
        "notes": event.notes or "",
        # ACLED writes 0 where no deaths are reported; the lowest reported figure otherwise.
        "fatalities": event.fatalities if event.fatalities is not None else 0,
        "tags": "; ".join(tags),
        "timestamp": int(updated.timestamp()) if updated else "",
    }


def write_acled_csv(events: Iterable[MergedEvent], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for event in events:
        writer.writerow(acled_row(event))
        n += 1
    return n


def _plover_actor(name: str | None, side: str | None, country: str | None) -> dict[str, Any]:
    _, alpha3, _ = _country(country)
    return {"code": alpha3 or None, "actor_text": name, "identifier_text": name, "sector": side}


def plover_gap(event: MergedEvent) -> str | None:
    """Why an event cannot be a PLOVER record: the spec requires ``date`` and ``event``."""
    if not event.plover_event:
        return NO_PLOVER_EVENT
    if event.date is None:
        return NO_DATE
    return None


def plover_record(event: MergedEvent) -> dict[str, Any]:
    """One event in the PLOVER specification's JSON field names (PLOVER manual, "JSON Data Fields")."""
    name, alpha3, _ = _country(event.country_code)
    loc = None
    if event.location or event.lat is not None:
        loc = {
            "geonameid": event.geonameid,
            "name": event.location,
            "latitude": event.lat,
            "longitude": event.lon,
            "country code": event.country_code,
            "cc3": alpha3 or None,
            "admin1": event.admin1,
            "geo_precision": event.geo_precision,
        }
    return {
        "id": event.id,
        "has_event": True,
        "date": event.date.isoformat() if event.date else None,
        "enddate": event.date_max.isoformat() if event.date_max and event.date_max != event.date else None,
        "source": [_plover_actor(event.actor1, event.actor1_side, event.actor1_country)]
        if event.actor1
        else [],
        "recipient": [_plover_actor(event.actor2, event.actor2_side, event.actor2_country)]
        if event.actor2
        else [],
        "event": [event.plover_event],  # the spec's "list of event categories"
        "mode": event.plover_mode,
        "context": event.plover_context,
        "event_loc": loc,
        "event_text": [s.sentence for s in event.sources],
        "text": event.notes,
        "cite_info": [
            {
                "url": s.url,
                "title": s.title,
                "publication": s.source,
                "date": s.published.isoformat() if s.published else None,
            }
            for s in event.sources
        ],
        "coder": "frontline",
        "comment": f"{event.n_reports} report(s) from {event.n_outlets} outlet(s); modality {event.modality}",
        # Beyond PLOVER's names (the spec invites added fields): what ACLED-minded users also want.
        "modality": event.modality,
        "fatalities": event.fatalities,
        "acled_event_type": event.event_type,
        "acled_sub_event_type": event.sub_event_type,
        "n_reports": event.n_reports,
        "country": name or None,
    }


def write_plover_jsonl(events: Iterable[MergedEvent], out: IO[str]) -> int:
    n = 0
    for event in events:
        out.write(json.dumps(plover_record(event), ensure_ascii=False) + "\n")
        n += 1
    return n


def geojson_gap(event: MergedEvent) -> str | None:
    """Why an event cannot be a Point feature (None when it can)."""
    return NO_POINT if event.lat is None or event.lon is None else None


def geojson_feature(event: MergedEvent) -> dict[str, Any]:
    geometry = (
        {"type": "Point", "coordinates": [event.lon, event.lat]}
        if event.lat is not None and event.lon is not None
        else None
    )
    props = event.model_dump(mode="json", exclude={"sources", "lat", "lon"})
    props["sources"] = [
        {"article_id": s.article_id, "url": s.url, "source": s.source, "sentence": s.sentence}
        for s in event.sources
    ]
    return {"type": "Feature", "id": event.id, "geometry": geometry, "properties": props}


def write_geojson(events: Iterable[MergedEvent], out: IO[str]) -> int:
    """A FeatureCollection, written feature by feature (never built whole in memory)."""
    out.write('{"type": "FeatureCollection", "features": [\n')
    n = 0
    for event in events:
        if n:
            out.write(",\n")
        out.write(json.dumps(geojson_feature(event), ensure_ascii=False))
        n += 1
    out.write("\n]}\n")
    return n


WRITERS = {"acled-csv": write_acled_csv, "plover-jsonl": write_plover_jsonl, "geojson": write_geojson}
# What each format needs of an event (None: anything goes); see the module doc.
GAPS: dict[str, Callable[[MergedEvent], str | None] | None] = {
    "acled-csv": acled_gap,
    "plover-jsonl": plover_gap,
    "geojson": geojson_gap,
}


def export(
    store: Store,
    fmt: str,
    out: IO[str],
    filters: EventFilter | None = None,
    *,
    include_unrealised: bool = False,
    include_unlocated: bool = False,
) -> ExportSummary:
    """Write the store's merged events matching ``filters`` to ``out``: how many were written, and how
    many were left out and why (``ExportSummary``)."""
    from ..errors import InputError

    writer = WRITERS.get(fmt)
    if writer is None:
        raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}", field="format")
    summary = ExportSummary(fmt)
    gap = GAPS[fmt]
    if fmt == "geojson" and include_unlocated:
        gap = None

    def writable() -> Iterator[MergedEvent]:
        for event in _events(store, filters, include_unrealised, summary):
            why = gap(event) if gap is not None else None
            if why is None:
                yield event
            else:
                summary.left_out[why] += 1

    summary.written = writer(writable(), out)
    return summary
