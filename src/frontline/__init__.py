"""Frontline: conflict news in; dated, geolocated events and control of places out.

>>> import frontline
>>> analysis = frontline.extract(text, published="2024-12-06")
>>> analysis.control_changes[0].place.name
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .article import Article
from .errors import FrontlineError, InputError
from .schema import Analysis, ControlChange, Event, Quote, Toponym

if TYPE_CHECKING:
    from .pipeline import Pipeline
    from .settings import Settings

__version__ = "0.1.0"
__all__ = [
    "Analysis",
    "Article",
    "ControlChange",
    "Event",
    "FrontlineError",
    "InputError",
    "Quote",
    "Toponym",
    "extract",
    "geoparse",
    "get_pipeline",
]


@lru_cache(maxsize=1)
def _default_pipeline() -> Pipeline:
    from .pipeline import Pipeline

    return Pipeline()


def get_pipeline(settings: Settings | None = None) -> Pipeline:
    """The process's pipeline (models and gazetteer loaded once); a new one for explicit settings."""
    if settings is None:
        return _default_pipeline()
    from .pipeline import Pipeline

    return Pipeline(settings=settings)


def extract(
    text: str,
    *,
    published: str | dt.date | None = None,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    id: str | None = None,
    pipeline: Pipeline | None = None,
) -> Analysis:
    """Read one article's text: events, control changes, quotes and toponyms, as typed objects."""
    from .article import from_text

    article = from_text(text, published=published, title=title, url=url, source=source, id=id)
    return (pipeline or get_pipeline())(article)


def geoparse(text: str, *, pipeline: Pipeline | None = None) -> list[Toponym]:
    """Every place name in a text, resolved against GeoNames (the ``toponyms`` of ``extract``)."""
    from .gazetteer.geoparse import geoparse as _geoparse

    return _geoparse(text, pipeline=pipeline or get_pipeline())


def __getattr__(name: str) -> Any:
    raise AttributeError(f"module 'frontline' has no attribute {name!r}")
