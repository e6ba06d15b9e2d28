"""The one kind of model Frontline ships, and its training: named features in, calibrated probabilities
out, files checked against their training report, fitting reproducible with a fixed seed."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from frontline.errors import ConfigError
from frontline.learn.fit import fit_linear
from frontline.learn.linear import LinearModel
from frontline.learn.registry import MODELS_DIR, TASKS, load_model


def toy_examples(n: int = 200, seed: int = 0) -> list[tuple[dict[str, float], str, float]]:
    """Two classes a linear model can separate: "yes" when the cue word is there, with noise words."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        yes = i % 2 == 0
        feats = {f"noise={rng.randrange(20)}": 1.0, "bias": 1.0}
        if yes:
            feats["cue=seize"] = 1.0
        elif rng.random() < 0.2:
            feats["cue=seize"] = 1.0  # some negatives share the cue: probabilities, not certainties
        out.append((feats, "yes" if yes else "no", 1.0))
    return out


def test_a_fitted_model_separates_what_its_features_separate() -> None:
    model, report = fit_linear(toy_examples(), name="toy", seed=3)
    assert model.classes == ("no", "yes")
    assert model.proba({"cue=seize": 1.0, "bias": 1.0})["yes"] > 0.6
    assert model.proba({"bias": 1.0})["yes"] < 0.2
    assert report["cross_validation"]["accuracy"] > 0.8
    assert model.top_features("yes", 1)[0][0] == "cue=seize"
    p = model.proba(["cue=seize", "unseen=feature"])  # a feature the model never saw changes nothing
    assert abs(sum(p.values()) - 1.0) < 1e-6


def test_fitting_is_reproducible_and_the_file_round_trips(tmp_path: Path) -> None:
    a, _ = fit_linear(toy_examples(), name="toy", seed=3)
    b, _ = fit_linear(toy_examples(), name="toy", seed=3)
    assert a.to_bytes() == b.to_bytes()
    digest = a.save(tmp_path / "toy.npz")
    back = LinearModel.load(tmp_path / "toy.npz", sha256=digest)
    assert back.classes == a.classes and np.allclose(back.weights, a.weights)
    with pytest.raises(ConfigError, match="differs from its training report"):
        LinearModel.load(tmp_path / "toy.npz", sha256="0" * 64)
    (tmp_path / "bad.npz").write_bytes(b"not a model")
    with pytest.raises(ConfigError, match="not a Frontline model file"):
        LinearModel.load(tmp_path / "bad.npz")


def test_one_class_is_nothing_to_learn() -> None:
    with pytest.raises(ConfigError, match="one class only"):
        fit_linear([({"a": 1.0}, "yes"), ({"b": 1.0}, "yes")], name="toy")


@pytest.mark.parametrize("task", TASKS)
def test_every_shipped_model_has_its_training_report(task: str) -> None:
    report = json.loads((MODELS_DIR / f"{task}.json").read_text(encoding="utf-8"))
    model = load_model(task)  # checks the file against the report's sha256
    assert model is not None and report["model"]["sha256"] == model.meta["sha256"]
    assert report["command"] == f"frontline train {task}"
    assert report["data"] and all(len(d["sha256"]) == 64 and d["examples"] > 0 for d in report["data"])
    assert "test" not in " ".join(d["name"] for d in report["data"]), "models never see a test split"
