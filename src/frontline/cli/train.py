"""``frontline train``: fit a learned part from the benchmark's train splits and write its model and
training report (``src/frontline/models/`` unless ``--out``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import handle_errors, main
from .evaluate import corpus_option


@main.command("train")
@click.argument(
    "task",
    type=click.Choice(
        (
            "control_gainer",
            "control_date",
            "control",
            "event_type",
            "plover",
            "plover_mode",
            "modality",
            "all",
        )
    ),
)
@corpus_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the model and report here instead of the package's models folder.",
)
@click.option(
    "--seed", type=int, default=13, show_default=True, help="Random seed (training is reproducible)."
)
@handle_errors
def train_command(task: str, root: Path | None, out: Path | None, seed: int) -> None:
    """Train a learned part on the reading benchmark's train splits (never dev, never test).

    \b
    control_gainer  which of the sides nearby gained a place?
    control_date    which of the dates nearby is the change's own?
    control         is a (cue, place) candidate a change of control?
    event_type      an event's ACLED sub-event type, from its clause
    plover          the PLOVER event of what ACLED does not type (statements, talks, aid ...)
    plover_mode     the PLOVER mode of an event's PLOVER event (firearms, arrest ...)
    modality        did the event happen as told: asserted, claimed, threatened, historical ...
    all             all of them, in this order (each sees the ones before it)

    Writes TASK.npz and TASK.json (data and their sha256, seed, cross-validated
    scores, the model's sha256). The pipeline uses the models in
    src/frontline/models, or those of FRONTLINE_MODELS_DIR.
    """
    from ..learn.train import SOURCES, train

    tasks = list(SOURCES) if task == "all" else [task]
    for name in tasks:
        with click.progressbar(length=1, label=f"{name}: building the training set") as bar:
            report = train(name, root=root, out=out, seed=seed, progress=_progress(bar, name))
        figures = report["training"]
        click.echo(
            f"{name}: {figures['examples']} examples, {figures['features']} features, "
            f"cross-validated {json.dumps(figures['cross_validation'])}; "
            f"model {report['model']['sha256'][:12]}…"
        )


def _progress(bar: Any, task: str) -> Callable[[str, int, int], None]:
    """A progress callback that relabels the bar for each data source it walks through."""
    current = {"label": ""}

    def progress(label: str, i: int, n: int) -> None:
        if label != current["label"]:
            current["label"] = label
            bar.label = f"{task}: {label}"
            bar.length = n
            bar.pos = 0
        bar.update(1)

    return progress
