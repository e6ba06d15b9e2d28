"""The one kind of model Frontline ships: a linear classifier over named features.

A model is a vocabulary of feature names ("lemma=seize", "path=dobj<seize", "cue=within" ...), a weight
per feature and class, a bias per class and a temperature that calibrates its probabilities. Inference is
a sparse dot product in numpy: a few microseconds per candidate, no scikit-learn at run time, and every
weight can be read by name (``top_features``) when a decision needs explaining.

A model file (``.npz``) holds the arrays and its metadata; the training report beside it (``.json``)
records the data it was trained on, their hashes, the seed and the scores, and the model's sha256, which
``load`` checks so a model never runs with another model's report.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..errors import ConfigError

Features = Mapping[str, float] | Iterable[str]


class Classifier(Protocol):
    """What a pipeline stage asks of a learned part: class probabilities for one candidate's features."""

    name: str
    classes: tuple[str, ...]

    def proba(self, features: Features) -> dict[str, float]: ...


@dataclass
class LinearModel:
    name: str
    classes: tuple[str, ...]
    vocab: dict[str, int]
    weights: np.ndarray  # (features, classes), float32
    bias: np.ndarray  # (classes,)
    temperature: float = 1.0
    meta: dict[str, Any] = field(default_factory=dict)

    def scores(self, features: Features) -> np.ndarray:
        out = self.bias.astype(np.float64).copy()
        items = features.items() if isinstance(features, Mapping) else ((f, 1.0) for f in features)
        for name, value in items:
            i = self.vocab.get(name)
            if i is not None and value:
                out += value * self.weights[i]
        return out

    def proba(self, features: Features) -> dict[str, float]:
        z = self.scores(features) / max(self.temperature, 1e-6)
        z -= z.max()
        p = np.exp(z)
        p /= p.sum()
        return {c: float(v) for c, v in zip(self.classes, p, strict=True)}

    def top_features(self, cls: str, n: int = 20) -> list[tuple[str, float]]:
        """The features that most raise one class (for model cards and for explaining a decision)."""
        j = self.classes.index(cls)
        names = {i: f for f, i in self.vocab.items()}
        order = np.argsort(-self.weights[:, j])[:n]
        return [(names[int(i)], round(float(self.weights[i, j]), 4)) for i in order]

    # --- files -----------------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        names = sorted(self.vocab, key=self.vocab.__getitem__)
        header = {
            "name": self.name,
            "classes": list(self.classes),
            "features": names,
            "temperature": self.temperature,
        }
        buf = io.BytesIO()
        np.savez_compressed(
            buf,
            header=np.frombuffer(json.dumps(header, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
            weights=self.weights.astype(np.float32),
            bias=self.bias.astype(np.float32),
        )
        return buf.getvalue()

    def save(self, path: str | Path) -> str:
        """Write the model; returns its sha256."""
        data = self.to_bytes()
        Path(path).write_bytes(data)
        return hashlib.sha256(data).hexdigest()

    @classmethod
    def from_bytes(cls, data: bytes, *, source: str = "<model>") -> LinearModel:
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as z:
                header = json.loads(bytes(z["header"]).decode("utf-8"))
                weights = z["weights"].astype(np.float32)
                bias = z["bias"].astype(np.float32)
        except (OSError, ValueError, KeyError, json.JSONDecodeError) as exc:
            raise ConfigError(f"not a Frontline model file: {exc}", source=source) from None
        vocab = {f: i for i, f in enumerate(header["features"])}
        if weights.shape != (len(vocab), len(header["classes"])):
            raise ConfigError(f"model arrays do not fit its header: {weights.shape}", source=source)
        return cls(
            name=header["name"],
            classes=tuple(header["classes"]),
            vocab=vocab,
            weights=weights,
            bias=bias,
            temperature=float(header.get("temperature", 1.0)),
        )

    @classmethod
    def load(cls, path: str | Path, *, sha256: str | None = None) -> LinearModel:
        p = Path(path)
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise ConfigError(f"cannot read model: {exc}", source=str(p)) from None
        digest = hashlib.sha256(data).hexdigest()
        if sha256 is not None and digest != sha256:
            raise ConfigError(
                f"model sha256 {digest[:12]}… differs from its training report's {sha256[:12]}…; "
                "retrain it with `frontline train`",
                source=str(p),
            )
        model = cls.from_bytes(data, source=str(p))
        model.meta["sha256"] = digest
        return model
