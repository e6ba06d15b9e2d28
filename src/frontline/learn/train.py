"""``frontline train``: build a task's training set from the train splits, fit it, and write the model
with its training report (data hashes, seed, cross-validated and dev scores, the model's sha256).

Only train splits are read for fitting; the dev split is scored to choose nothing but to report, and the
test split is never read here.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .datasets import (
    Example,
    TrainingSet,
    choice_examples,
    control_from_reports,
    control_from_sentences,
    event_type_from_notes,
    event_type_from_reports,
    file_source,
    modality_from_reports,
    modality_from_sentences,
    plover_from_reports,
    plover_from_stories,
    plover_mode_from_reports,
    plover_mode_from_stories,
)
from .fit import fit_linear
from .registry import MODELS_DIR, model_paths

SEED = 13


def _rules_pipeline(task: str) -> Any:
    """A pipeline with the task's own model switched off, so training sees the rules' candidates."""
    from ..pipeline import Pipeline, Resources
    from ..settings import get_settings

    resources = Resources.load(get_settings())
    setattr(resources.models, task, None)
    return Pipeline(resources)


Progress = Callable[[str, int, int], None]


def _add(
    ts: TrainingSet,
    name: str,
    path: Path,
    records: Sequence[Any],
    examples_of: Callable[..., list[Example]],
    run: Callable[[Any], Any],
    *args: Any,
    progress: Progress | None,
    label: str | None = None,
) -> None:
    """One source's examples into the set, with its file's hash and a progress line under ``label``."""
    n, shown = len(records), label or name
    ts.add(
        file_source(name, path, n),
        examples_of(records, run, *args, progress=(lambda i: progress(shown, i, n)) if progress else None),
    )


# Where each task's examples come from: (data source, how its records become examples, extra arguments).
# Sources: "reports", "sentences", "notes" (the benchmark's train splits; sentences and notes are skipped
# when a corpus lacks them) and "stories" (the synthetic PLOVER stories' train part).
SOURCES: dict[str, list[tuple[str, Callable[..., list[Example]], tuple[Any, ...]]]] = {
    "control_gainer": [("reports", choice_examples, ("gainer",))],
    "control_date": [("reports", choice_examples, ("date",))],
    "control": [("reports", control_from_reports, ()), ("sentences", control_from_sentences, ())],
    "event_type": [("notes", event_type_from_notes, ()), ("reports", event_type_from_reports, ())],
    "plover": [("stories", plover_from_stories, ()), ("reports", plover_from_reports, ())],
    "plover_mode": [("reports", plover_mode_from_reports, ()), ("stories", plover_mode_from_stories, ())],
    "modality": [("reports", modality_from_reports, ()), ("sentences", modality_from_sentences, ())],
}
SPLIT_NAMES = {"reports": "reports/train", "sentences": "event-location/train", "notes": "acled-notes/train"}


def build(task: str, root: Any = None, *, progress: Progress | None = None) -> TrainingSet:
    """The task's training set: the rules pipeline (the task's own model off) over each of its sources."""
    from ..bench.corpus import load_split, split_file
    from ..eval import shared_file
    from ..eval.synthetic import SYNTHETIC, stories

    pipeline = _rules_pipeline(task)
    ts = TrainingSet(task)
    for source, examples_of, args in SOURCES[task]:
        if source == "stories":
            _add(
                ts,
                "ngec-synthetic (train part)",
                shared_file(SYNTHETIC),
                stories(part="train"),
                examples_of,
                pipeline.run,
                *args,
                progress=progress,
                label="ngec-synthetic",
            )
            continue
        if source != "reports" and not split_file(source, "train", root).is_file():
            continue
        split = load_split(source, "train", root)
        _add(
            ts,
            SPLIT_NAMES[source],
            split.path,
            split.records,
            examples_of,
            pipeline.run,
            *args,
            progress=progress,
        )
    return ts


OPTIONS: dict[str, dict[str, Any]] = {
    "control": {"c": 0.5, "min_count": 2, "balanced": False},
    "event_type": {"c": 1.0, "min_count": 2, "balanced": False},
    "control_gainer": {"c": 0.5, "min_count": 2, "balanced": False},
    "control_date": {"c": 0.5, "min_count": 2, "balanced": False},
    "plover": {"c": 1.0, "min_count": 2, "balanced": False},
    "plover_mode": {"c": 1.0, "min_count": 3, "balanced": False},
    "modality": {"c": 0.5, "min_count": 2, "balanced": False},
}


def train(
    task: str,
    *,
    root: Any = None,
    out: Path | None = None,
    seed: int = SEED,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Train one task; returns the training report it wrote beside the model."""
    ts = build(task, root, progress=progress)
    model, figures = fit_linear(ts.examples, name=task, seed=seed, **OPTIONS[task])
    folder = out or MODELS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    npz, report_path = model_paths(task, folder)
    digest = model.save(npz)
    report = {
        "task": task,
        "trained": dt.date.today().isoformat(),
        "command": f"frontline train {task}",
        "data": [s.to_dict() for s in ts.sources],
        "training": figures,
        "model": {"file": npz.name, "sha256": digest, "bytes": npz.stat().st_size},
        "top_features": {cls: model.top_features(cls, 25) for cls in model.classes},
    }
    report_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return report
