"""Where the shipped models live and how a pipeline finds them.

``src/frontline/models/<task>.npz`` is the model, ``<task>.json`` its training report (data and their
hashes, seed, scores, the model's own sha256). ``Models.load`` opens the ones present; a task whose files
are missing, or all of them with ``FRONTLINE_MODELS=false``, runs on rules alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError
from .linear import LinearModel

if TYPE_CHECKING:
    from ..settings import Settings

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
TASKS = ("control", "control_gainer", "control_date", "event_type", "plover", "plover_mode", "modality")


def model_paths(task: str, folder: Path | None = None) -> tuple[Path, Path]:
    base = folder or MODELS_DIR
    return base / f"{task}.npz", base / f"{task}.json"


def load_model(task: str, folder: Path | None = None) -> LinearModel | None:
    """The task's model, checked against its training report's sha256; None when there is none."""
    npz, report = model_paths(task, folder)
    if not npz.is_file():
        return None
    expected = None
    if report.is_file():
        try:
            expected = json.loads(report.read_text(encoding="utf-8")).get("model", {}).get("sha256")
        except json.JSONDecodeError as exc:
            raise ConfigError(f"malformed training report: {exc.msg}", source=str(report)) from None
    return LinearModel.load(npz, sha256=expected)


@dataclass
class Models:
    control: LinearModel | None = None
    control_gainer: LinearModel | None = None
    control_date: LinearModel | None = None
    event_type: LinearModel | None = None
    plover: LinearModel | None = None
    plover_mode: LinearModel | None = None
    modality: LinearModel | None = None

    @classmethod
    def load(cls, settings: Settings | None = None) -> Models:
        if settings is not None and not settings.models:
            return cls()
        folder = settings.models_dir if settings is not None else None
        return cls(**{task: load_model(task, folder) for task in TASKS})
