"""Batch engines behind one interface (``base.Engine``): serial, local process pool, Ray.

    >>> with get_engine("local", workers=2) as engine:
    ...     for outcome in engine.analyse(articles):
    ...         print(outcome.article.id, outcome.error or len(outcome.analysis.events))

``batch.extract_batch`` runs an engine over JSONL/Parquet files and writes JSONL or a Parquet dataset.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ConfigError
from .base import DEFAULT_FACTORY, Engine, Outcome, SerialEngine

if TYPE_CHECKING:
    from ..settings import Settings

__all__ = ["ENGINES", "Engine", "Outcome", "SerialEngine", "get_engine"]

ENGINES = ("serial", "local", "ray")


def get_engine(
    name: str | None = None,
    *,
    settings: Settings | None = None,
    workers: int | None = None,
    address: str | None = None,
    pipeline_factory: str = DEFAULT_FACTORY,
) -> Engine:
    """The engine called ``name`` ("serial", "local", "ray"); unset arguments come from ``settings``.

    ``workers`` defaults to the machine's cores (local) or the cluster's CPUs (ray); ``address`` is the
    Ray cluster (``auto``, ``ray://host:10001``), ignored by the other engines. Ray is optional: asking
    for it without it installed raises a ``ConfigError`` that says how to install it.
    """
    if settings is not None:
        name = name or settings.engine
        workers = workers or settings.workers
        address = address or settings.ray_address
    name = (name or "local").strip().lower()
    if name == "serial":
        return SerialEngine(
            settings, pipeline_factory=None if pipeline_factory == DEFAULT_FACTORY else pipeline_factory
        )
    if name == "local":
        from .local import LocalEngine

        return LocalEngine(settings, workers, pipeline_factory=pipeline_factory)
    if name == "ray":
        from .ray import RayEngine

        return RayEngine(settings, workers, address=address, pipeline_factory=pipeline_factory)
    raise ConfigError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
