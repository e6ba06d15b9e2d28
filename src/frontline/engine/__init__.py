"""Batch engines behind one interface (``base.Engine``): serial, local process pool, Ray."""

from __future__ import annotations

from .base import Engine, Outcome, SerialEngine

__all__ = ["Engine", "Outcome", "SerialEngine", "get_engine"]


def get_engine(name: str = "local", *, settings: object | None = None, workers: int | None = None,
               address: str | None = None) -> Engine:
    """The engine called ``name`` ("serial", "local", "ray"). Filled in by the engine work; serial for now."""
    return SerialEngine(settings)
