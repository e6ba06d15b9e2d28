"""PLOVER event typing on the synthetic stories of ``shared/data/ngec-synthetic/`` (MIT, NGEC;
machine-written, one PLOVER label per story, noisy): their held-out part (``frontline eval stories``).

The stories are split by a hash of their text: four in five may be trained on (``train_part``), one in five
is held out (``held_out``) and only scored. A story's prediction is the PLOVER event of its most confident
event read from its first paragraph (the story's lede carries its label's event; later paragraphs wander).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..article import Article
from ..errors import InputError
from . import analyse_all, shared_file
from .corpus import Labels
from .report import fmt, table

SYNTHETIC = "data/ngec-synthetic/synthetic_events.csv"
# the day the stories were generated (the file's name says so); read as each story's publication
STORIES_MADE = dt.date(2023, 10, 19)
NONE = "NONE"


@dataclass(frozen=True)
class Story:
    id: str
    title: str
    text: str
    label: str
    mode: str | None

    @property
    def lede(self) -> str:
        return self.text.strip().split("\n\n")[0]


def held_out(story_text: str) -> bool:
    return int(hashlib.sha256(story_text.encode("utf-8")).hexdigest(), 16) % 5 == 0


def read_stories(path: Path) -> Iterator[Story]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            for n, row in enumerate(csv.DictReader(f), 1):
                if not row.get("text") or not row.get("label"):
                    continue
                digest = hashlib.sha256(row["text"].encode("utf-8")).hexdigest()[:12]
                yield Story(
                    f"story-{n}-{digest}",
                    row.get("title") or "",
                    row["text"],
                    row["label"],
                    row.get("mode") or None,
                )
    except (OSError, csv.Error, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the synthetic stories: {exc}", source=str(path)) from None


def stories(shared: Any = None, *, part: str = "held_out") -> list[Story]:
    path = shared_file(SYNTHETIC, shared)
    keep = held_out if part == "held_out" else (lambda t: not held_out(t))
    return [s for s in read_stories(path) if keep(s.text)]


@dataclass
class SyntheticReport:
    sha256: str
    labels: Labels
    failed: int
    # the mode, over stories whose PLOVER event was read right and that have a mode: (right, of)
    modes: tuple[int, int] = (0, 0)

    @property
    def mode_accuracy(self) -> float | None:
        right, of = self.modes
        return right / of if of else None

    def to_dict(self) -> dict[str, Any]:
        lab = self.labels
        return {
            "sha256": self.sha256,
            "stories": len(lab.pairs),
            "accuracy": None if lab.accuracy is None else round(lab.accuracy, 4),
            "macro_f1": None if lab.macro_f1 is None else round(lab.macro_f1, 4),
            "failed": self.failed,
            "mode_accuracy": None if self.mode_accuracy is None else round(self.mode_accuracy, 4),
            "mode_stories": self.modes[1],
            "labels": lab.to_dict()["labels"],
        }

    def to_table(self) -> str:
        lab = self.labels
        rows = [
            [k, c.support, fmt(c.precision), fmt(c.recall), fmt(c.f1)]
            for k, c in sorted(lab.per_class().items())
            if c.support
        ]
        return "\n".join(
            [
                f"PLOVER event of the synthetic stories' held-out part ({len(lab.pairs)} stories, "
                f"sha256 {self.sha256[:12]}…)",
                f"accuracy {fmt(lab.accuracy)}, macro-F1 {fmt(lab.macro_f1)}; mode accuracy "
                f"{fmt(self.mode_accuracy)} (over the {self.modes[1]} stories with a mode whose event "
                "was read)",
                "",
                table(["event", "n", "P", "R", "F1"], rows),
            ]
        )


def evaluate_synthetic(shared: Any = None, *, pipeline: Any = None) -> SyntheticReport:
    if pipeline is None:
        from .. import get_pipeline

        pipeline = get_pipeline()
    path = shared_file(SYNTHETIC, shared)
    held = stories(shared)
    articles = (story_article(s) for s in held)
    labels, failed, right, of = Labels(), 0, 0, 0
    for story, analysis in zip(held, analyse_all(pipeline, articles), strict=True):
        if not hasattr(analysis, "events"):
            failed += 1
            labels.add(story.label, None)
            continue
        events = analysis.events
        main = max(events, key=lambda e: e.confidence) if events else None
        labels.add(story.label, main.plover.event if main else None)
        if main is not None and main.plover.event == story.label and story.mode:
            of += 1
            right += story_mode(story.mode) == main.plover.mode
    return SyntheticReport(hashlib.sha256(path.read_bytes()).hexdigest(), labels, failed, (right, of))


def story_article(story: Story) -> Article:
    """A story's lede as an article, published on the day the stories were made (they give no date)."""
    return Article(text=story.lede, id=story.id, title=story.title, published=STORIES_MADE)


# The stories spell a few modes otherwise than the annotation guide (PLOVER's manual) and in capitals.
STORY_MODES = {"primative": "primitive", "demo": "demonstrate"}


def story_mode(mode: str | None) -> str | None:
    low = (mode or "").strip().lower()
    return STORY_MODES.get(low, low) or None
