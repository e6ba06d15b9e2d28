"""Geoparsing evaluation: how often the resolved place is the right one, and how far off it is when not.

Two scorers (and a reader for GeoVirus' XML, which ``evaluate_geo`` takes as it takes JSONL):

- ``evaluate_geo(gold_path, pipeline)``: gold toponyms with character spans, in JSONL, one document a line:
  ``{"text": ..., "toponyms": [{"span": [s, e], "geonameid": 170017}, ...]}``; a gold toponym may carry
  ``lat``/``lon`` instead of (or beside) ``geonameid``. Reports exact GeoNames match, accuracy within
  161 km (100 miles, the usual geoparsing threshold), median and mean error in km, and recognition
  precision and recall (a prediction matches a gold toponym when their spans overlap).
- ``read_geovirus(xml_path)``: GeoVirus (Gritta et al. 2018: WikiNews passages, each ``<location>`` with
  its 1-based ``start``, ``end``, ``lat`` and ``lon``) as the same documents; no GeoNames ids, so it is
  scored by distance.
- ``evaluate_ucdp(csv_path, gazetteer)``: UCDP GED events whose place UCDP coded exactly or near a named
  place (``where_prec`` 1-2): their ``where_description`` resolved in the event's country, against UCDP's
  coordinates; the share within 25 km is the figure the tests pin.
"""

from __future__ import annotations

import csv
import json
import statistics
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..gazetteer.resolve import haversine_km

if TYPE_CHECKING:
    from ..gazetteer.base import Gazetteer
    from ..pipeline import Pipeline
    from ..schema import Toponym

ACCURACY_KM = 161.0  # 100 miles: the threshold of GeoWebNews, TR-News and LGL results
UCDP_KM = 25.0


# -- gold toponyms with spans ----------------------------------------------------------------------


def read_gold(path: Path) -> list[dict]:
    """Documents of a gold JSONL file, checked: each needs ``text`` and ``toponyms`` with spans."""
    docs: list[dict] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read the gold file ({exc})", source=str(path)) from exc
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not JSON ({exc.msg})", source=str(path), line=n) from exc
        if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
            raise InputError("each line needs a 'text' string", source=str(path), line=n, field="text")
        tops = doc.get("toponyms")
        if not isinstance(tops, list):
            raise InputError("each line needs a 'toponyms' list", source=str(path), line=n, field="toponyms")
        for t in tops:
            span = t.get("span") if isinstance(t, dict) else None
            if not (
                isinstance(span, list | tuple)
                and len(span) == 2
                and all(isinstance(x, int) for x in span)
                and 0 <= span[0] < span[1] <= len(doc["text"])
            ):
                raise InputError(
                    f"toponym span {span!r} is not [start, end) inside the text",
                    source=str(path),
                    line=n,
                    field="toponyms.span",
                )
            if t.get("geonameid") is None and (t.get("lat") is None or t.get("lon") is None):
                raise InputError(
                    "a toponym needs 'geonameid' or 'lat' and 'lon'",
                    source=str(path),
                    line=n,
                    field="toponyms",
                )
        docs.append(doc)
    return docs


def read_geovirus(path: Path) -> list[dict]:
    """GeoVirus' passages as gold documents: each ``<location>`` with a ``start`` (1-based, as the corpus
    counts) becomes a toponym ``{"span": [start - 1, end - 1], "lat", "lon", "name"}``. The file nests
    three locations inside another by mistake; every ``<location>`` with its own ``start`` is read."""
    try:
        root = ET.parse(path).getroot()
    except OSError as exc:
        raise InputError(f"cannot read the GeoVirus file ({exc})", source=str(path)) from exc
    except ET.ParseError as exc:
        raise InputError(f"not GeoVirus XML ({exc})", source=str(path)) from exc
    docs: list[dict] = []
    for n, article in enumerate(root.iter("article"), start=1):
        text = article.findtext("text")
        if not text:
            raise InputError("an article without text", source=str(path), field=f"article[{n}]")
        tops: list[dict] = []
        for loc in article.iter("location"):
            if loc.find("start") is None:
                continue  # the wrapper of the mis-nested ones
            try:
                start, end = int(loc.findtext("start") or ""), int(loc.findtext("end") or "")
                lat, lon = float(loc.findtext("lat") or ""), float(loc.findtext("lon") or "")
            except ValueError:
                raise InputError(
                    "a location needs numeric start, end, lat and lon",
                    source=str(path),
                    field=f"article[{n}]",
                ) from None
            name = loc.findtext("name") or ""
            if not (1 <= start < end <= len(text) + 1) or text[start - 1 : end - 1] != name:
                raise InputError(
                    f"location {name!r} is not at [{start}, {end}) of its text",
                    source=str(path),
                    field=f"article[{n}]",
                )
            tops.append({"span": [start - 1, end - 1], "lat": lat, "lon": lon, "name": name})
        docs.append({"text": text, "toponyms": tops, "source": article.findtext("source")})
    return docs


def score_toponyms(
    gold_docs: Iterable[dict], predicted: Iterable[list[Toponym]], gazetteer: Gazetteer | None = None
) -> dict[str, Any]:
    """Metrics of predicted toponyms against gold ones, document by document."""
    tp = n_pred = n_gold = exact = with_id = within = resolved_pairs = 0
    errors: list[float] = []
    for doc, preds in zip(gold_docs, predicted, strict=True):
        gold = doc["toponyms"]
        n_gold += len(gold)
        n_pred += len(preds)
        used: set[int] = set()
        for g in gold:
            gs, ge = g["span"]
            match = next(
                (k for k, p in enumerate(preds) if k not in used and p.span[0] < ge and gs < p.span[1]), None
            )
            if match is None:
                continue
            used.add(match)
            tp += 1
            p = preds[match]
            resolved_pairs += 1
            if g.get("geonameid") is not None:
                with_id += 1
                if p.geonameid == g["geonameid"]:
                    exact += 1
                    errors.append(0.0)  # the very place: no distance to measure
                    within += 1
                    continue
            glat, glon = g.get("lat"), g.get("lon")
            if (glat is None or glon is None) and gazetteer is not None and g.get("geonameid") is not None:
                gp = gazetteer.get(int(g["geonameid"]))
                if gp is not None:
                    glat, glon = gp.lat, gp.lon
            if p.lat is None or p.lon is None or glat is None or glon is None:
                continue  # unresolved, or gold without coordinates: no distance
            d = haversine_km(p.lat, p.lon, float(glat), float(glon))
            errors.append(d)
            within += d <= ACCURACY_KM
    return {
        "gold_toponyms": n_gold,
        "predicted_toponyms": n_pred,
        "recognition_precision": _ratio(tp, n_pred),
        "recognition_recall": _ratio(tp, n_gold),
        "recognition_f1": _ratio(2 * tp, n_pred + n_gold),
        "matched": resolved_pairs,
        # Over the gold toponyms that were recognised: the usual way geoparsers report resolution.
        "exact_geonameid": _ratio(exact, with_id),
        "accuracy_161km": _ratio(within, resolved_pairs),
        "median_error_km": round(statistics.median(errors), 1) if errors else None,
        "mean_error_km": round(statistics.fmean(errors), 1) if errors else None,
    }


def evaluate_geo(gold_path: str | Path, pipeline: Pipeline) -> dict[str, Any]:
    """Geoparse every gold document with ``pipeline`` and score it (see ``score_toponyms``); a ``.xml``
    file is read as GeoVirus."""
    from ..gazetteer.geoparse import geoparse
    from .gold import file_sha256

    path = Path(gold_path)
    docs = read_geovirus(path) if path.suffix.lower() == ".xml" else read_gold(path)
    preds = [geoparse(doc["text"], pipeline=pipeline) for doc in docs]
    gazetteer = getattr(getattr(pipeline, "resources", None), "gazetteer", None)
    out = score_toponyms(docs, preds, gazetteer)
    out["documents"] = len(docs)
    out["gold"] = str(gold_path)
    out["sha256"] = file_sha256(path)
    return out


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 4) if b else None


# -- UCDP GED place descriptions -------------------------------------------------------------------

# UCDP codes events by the state of the time ("Serbia (Yugoslavia)") and Gaza under Israel: the
# countries whose places such an event may name today, after the first.
UCDP_EXTRA_COUNTRIES = {
    "Serbia (Yugoslavia)": ["XK", "BA", "HR", "ME", "MK"],
    "Russia (Soviet Union)": ["UA", "GE", "MD", "AZ", "AM"],
    "Israel": ["PS"],
    "Sudan": ["SS"],
    "Ethiopia": ["ER"],
    "Indonesia": ["TL"],
    "India": ["PK"],
    "Pakistan": ["IN"],
}


def ucdp_countries(name: str) -> list[str]:
    """ISO alpha-2 codes a UCDP country name stands for, the main one first."""
    code = ucdp_country_code(name)
    return ([code] if code else []) + UCDP_EXTRA_COUNTRIES.get(name, [])


def ucdp_country_code(name: str) -> str | None:
    """ISO alpha-2 of a UCDP country name ("Russia (Soviet Union)", "DR Congo (Zaire)")."""
    import pycountry

    base = name.split("(")[0].strip()
    special = {
        "Turkey": "TR",
        "DR Congo": "CD",
        "Congo": "CG",
        "Ivory Coast": "CI",
        "Kosovo": "XK",
        "Serbia": "RS",
        "Russia": "RU",
        "Iran": "IR",
        "Syria": "SY",
        "Laos": "LA",
        "Bolivia": "BO",
        "Venezuela": "VE",
        "Tanzania": "TZ",
        "Vietnam": "VN",
        "Moldova": "MD",
        "Yemen": "YE",
        "Macedonia, FYR": "MK",
        "Bosnia-Herzegovina": "BA",
        "Cambodia": "KH",
        "Myanmar": "MM",
        "Madagascar": "MG",
        "Kingdom of eSwatini": "SZ",
        "South Sudan": "SS",
        "Palestine": "PS",
        "Israel": "IL",
    }
    if base in special:
        return special[base]
    try:
        return pycountry.countries.lookup(base).alpha_2
    except LookupError:
        try:
            found = pycountry.countries.search_fuzzy(base)
        except LookupError:
            return None
        return found[0].alpha_2 if found else None


def evaluate_ucdp(
    csv_path: str | Path,
    gazetteer: Gazetteer,
    *,
    precisions: tuple[int, ...] = (1, 2),
    field: str = "where_description",
    details: bool = False,
) -> dict[str, Any]:
    """Resolve UCDP's place descriptions (in their event's country) and compare with UCDP's coordinates.

    ``field`` may be ``where_coordinates`` (UCDP's own name of the coded place) for an easier variant.
    """
    from ..gazetteer.scan import geoparse_description

    path = Path(csv_path)
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise InputError(f"cannot read the UCDP file ({exc})", source=str(path)) from exc
    if rows and not {"where_prec", field, "latitude", "longitude", "country"} <= set(rows[0]):
        raise InputError(
            f"not a UCDP GED CSV: needs where_prec, {field}, latitude, longitude, country", source=str(path)
        )
    distances: list[float] = []
    unresolved = 0
    items: list[dict] = []
    for row in rows:
        try:
            prec = int(float(row["where_prec"]))
        except ValueError:
            continue
        if prec not in precisions:
            continue
        countries = ucdp_countries(row["country"])
        best, _ = geoparse_description(row[field] or "", gazetteer, countries=countries)
        lat, lon = float(row["latitude"]), float(row["longitude"])
        if best is None or best.place is None:
            unresolved += 1
            d = None
        else:
            d = haversine_km(best.place.lat, best.place.lon, lat, lon)
            distances.append(d)
        if details:
            items.append(
                {
                    "id": row.get("id"),
                    "text": row[field],
                    "country": countries[:1],
                    "resolved": best.place.name if best and best.place else None,
                    "geonameid": best.place.geonameid if best and best.place else None,
                    "km": round(d, 1) if d is not None else None,
                }
            )
    from .gold import file_sha256

    total = len(distances) + unresolved
    out: dict[str, Any] = {
        "sha256": file_sha256(path),
        "events": total,
        "field": field,
        "resolved": len(distances),
        "within_25km": _ratio(sum(d <= UCDP_KM for d in distances), total),
        # The same share under the name `frontline eval geo --floor ucdp.accuracy_25km=...` uses.
        "accuracy_25km": _ratio(sum(d <= UCDP_KM for d in distances), total),
        "within_161km": _ratio(sum(d <= ACCURACY_KM for d in distances), total),
        "median_error_km": round(statistics.median(distances), 1) if distances else None,
        "mean_error_km": round(statistics.fmean(distances), 1) if distances else None,
    }
    if details:
        out["items"] = items
    return out
