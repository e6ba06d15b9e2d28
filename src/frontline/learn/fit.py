"""Fitting a ``LinearModel``: logistic regression on named features, with a fixed seed, probabilities
calibrated by a temperature chosen on cross-validated predictions, and a report of what it learned from.

scikit-learn is needed here only (``frontline train``); the pipeline runs models with numpy alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..errors import ConfigError
from .linear import LinearModel

# (features, label) or (features, label, weight)
Example = tuple[Mapping[str, float], str] | tuple[Mapping[str, float], str, float]


def _sklearn() -> Any:
    try:
        import sklearn
    except ImportError:
        raise ConfigError(
            "training needs scikit-learn: pip install 'frontline[train]' (the pipeline itself does not)"
        ) from None
    import sklearn.linear_model
    import sklearn.model_selection

    return sklearn


def vectorise(examples: Sequence[Example], vocab: Mapping[str, int]) -> Any:
    from scipy.sparse import csr_matrix

    rows, cols, vals = [], [], []
    for r, ex in enumerate(examples):
        for name, value in ex[0].items():
            j = vocab.get(name)
            if j is not None and value:
                rows.append(r)
                cols.append(j)
                vals.append(float(value))
    return csr_matrix((vals, (rows, cols)), shape=(len(examples), len(vocab)), dtype=np.float64)


def fit_linear(
    examples: Sequence[Example],
    *,
    name: str,
    seed: int = 13,
    c: float = 1.0,
    min_count: int = 2,
    balanced: bool = False,
    folds: int = 5,
) -> tuple[LinearModel, dict[str, Any]]:
    """Train on (features, label) pairs; returns the model and its training figures."""
    sk = _sklearn()
    if not examples:
        raise ConfigError(f"no training examples for {name}")
    counts: Counter[str] = Counter()
    for ex in examples:
        counts.update(f for f, v in ex[0].items() if v)
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}
    labels = sorted({ex[1] for ex in examples})
    if len(labels) < 2:
        raise ConfigError(f"{name}: one class only ({labels[0]!r}); nothing to learn")
    x = vectorise(examples, vocab)
    y = np.array([labels.index(ex[1]) for ex in examples])
    w = np.array([float(ex[2]) if len(ex) > 2 else 1.0 for ex in examples])

    def model() -> Any:
        return sk.linear_model.LogisticRegression(
            C=c, max_iter=3000, random_state=seed, class_weight="balanced" if balanced else None
        )

    # Out-of-fold scores: an honest accuracy for the report, and the data the temperature is fitted on.
    per_class = np.bincount(y, minlength=len(labels))
    k = int(min(folds, per_class[per_class > 0].min())) if per_class.min() > 0 else 0
    cv: dict[str, Any] = {}
    temperature = 1.0
    if k >= 2:
        splitter = sk.model_selection.StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
        logits = np.zeros((len(y), len(labels)))
        for tr, te in splitter.split(x, y):
            m = model().fit(x[tr], y[tr], sample_weight=w[tr])
            z = m.decision_function(x[te])
            if z.ndim == 1:  # binary: one score for the second class
                z = np.stack([np.zeros_like(z), z], axis=1)
            logits[te] = _full(z, m.classes_, len(labels))
        temperature = _temperature(logits, y)
        pred = logits.argmax(1)
        cv = {
            "folds": k,
            "accuracy": round(float((pred == y).mean()), 4),
            "macro_f1": round(_macro_f1(y, pred), 4),
        }
    final = model().fit(x, y, sample_weight=w)
    coef = final.coef_
    intercept = final.intercept_
    if coef.shape[0] == 1:  # binary: the first class's score is 0
        coef = np.vstack([np.zeros_like(coef[0]), coef[0]])
        intercept = np.array([0.0, intercept[0]])
    weights = np.zeros((len(vocab), len(labels)), dtype=np.float32)
    bias = np.zeros(len(labels), dtype=np.float32)
    for row, cls_index in enumerate(final.classes_ if coef.shape[0] > 2 else range(len(labels))):
        weights[:, int(cls_index)] = coef[row]
        bias[int(cls_index)] = intercept[row]
    lm = LinearModel(
        name=name, classes=tuple(labels), vocab=vocab, weights=weights, bias=bias, temperature=temperature
    )
    report = {
        "examples": len(examples),
        "classes": {lab: int(n) for lab, n in zip(labels, per_class, strict=True)},
        "features": len(vocab),
        "seed": seed,
        "c": c,
        "min_count": min_count,
        "balanced": balanced,
        "temperature": round(temperature, 4),
        "cross_validation": cv,
    }
    return lm, report


def _full(z: np.ndarray, present: np.ndarray, n: int) -> np.ndarray:
    out = np.full((z.shape[0], n), -30.0)
    if z.shape[1] == len(present):
        for col, cls_index in enumerate(present):
            out[:, int(cls_index)] = z[:, col]
    return out


def _temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature that minimises the out-of-fold negative log-likelihood."""
    best = (float("inf"), 1.0)
    for t in np.exp(np.linspace(np.log(0.25), np.log(8.0), 41)):
        z = logits / t
        z = z - z.max(1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(1, keepdims=True))
        nll = float(-logp[np.arange(len(y)), y].mean())
        if nll < best[0]:
            best = (nll, float(t))
    return best[1]


def _macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    scores = []
    for cls in np.unique(y):
        tp = int(((pred == cls) & (y == cls)).sum())
        fp = int(((pred == cls) & (y != cls)).sum())
        fn = int(((pred != cls) & (y == cls)).sum())
        scores.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    return float(np.mean(scores)) if scores else 0.0
