"""What the reading tests ask of an extraction: its control changes by place, and its ACLED rows told as
happening. Shared by the test modules of this folder (pytest puts the folder on the import path)."""

from __future__ import annotations

import frontline


def changes(text: str, published: str) -> dict[str, tuple[str | None, str | None]]:
    """Place name -> (new controller, ISO date) of every control change read from ``text``."""
    a = frontline.extract(text, published=published)
    return {
        c.place.name: (c.to.name if c.to else None, c.date.isoformat() if c.date else None)
        for c in a.control_changes
    }


def rows(text: str, published: str) -> list[tuple[str | None, str | None]]:
    """(sub-event type, place) of every asserted or claimed ACLED-typed event read from ``text``."""
    a = frontline.extract(text, published=published)
    return [
        (e.sub_event_type, e.location.name if e.location else None)
        for e in a.events
        if e.sub_event_type is not None and e.modality in ("asserted", "claimed")
    ]
