"""Answer or abstain: one calibrated decision from the selected evidence.

A logistic model over a few signals the pipeline already has (how close the best sentence and
passage are, how much the lexical side agrees, and whether the question is *about* a word the KB
never uses: coverage.py), fitted on the QA dev set by `kbchat answers calibrate`. Its output is a
probability that the KB answers the question; the threshold is chosen on the same dev set.
The weights live in `data/answerability.json`, small enough to review in a diff.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ARTEFACT = Path(__file__).parent / "data" / "answerability.json"
FEATURES = ("top_sentence", "second_sentence", "top_passage_dense", "lexical_agrees", "uncovered_shift",
            "missing_words")


@dataclass(frozen=True)
class Signals:
    """What the pipeline knows about one question when it has to decide."""

    top_sentence: float  # best cosine of a candidate sentence
    second_sentence: float  # second best, from another sentence
    top_passage_dense: float  # best passage cosine (dense side of retrieval)
    lexical_agrees: float  # 1 when the best BM25 passage is among the top dense passages
    uncovered_shift: float  # largest meaning shift from dropping a word the KB never uses (0 if none)
    missing_words: int  # question words the KB never uses (after the everyday-word filter)

    def vector(self) -> np.ndarray:
        return np.array([getattr(self, name) for name in FEATURES], dtype=np.float64)


@dataclass(frozen=True)
class Answerability:
    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray
    threshold: float

    def probability(self, signals: Signals) -> float:
        z = float(((signals.vector() - self.mean) / self.scale) @ self.weights + self.bias)
        return float(1.0 / (1.0 + np.exp(-z)))

    def answers(self, signals: Signals) -> bool:
        return self.probability(signals) >= self.threshold

    def to_json(self) -> str:
        return json.dumps({"features": list(FEATURES), "weights": self.weights.round(6).tolist(),
                           "bias": round(self.bias, 6), "mean": self.mean.round(6).tolist(),
                           "scale": self.scale.round(6).tolist(), "threshold": round(self.threshold, 4)}, indent=1)


def load(path: Path = ARTEFACT) -> Answerability | None:
    """The fitted model, or None when none has been fitted (the pipeline then uses the old thresholds)."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path} was fitted on features {data['features']}, the code has {list(FEATURES)}: "
                         "run `kbchat answers calibrate`")
    return Answerability(np.array(data["weights"]), float(data["bias"]), np.array(data["mean"]),
                         np.array(data["scale"]), float(data["threshold"]))


def fit(x: np.ndarray, answerable: np.ndarray, l2: float = 1.0, steps: int = 3000) -> Answerability:
    """L2-regularised logistic regression (plain gradient descent: six features need nothing more),
    with the threshold that maximises balanced accuracy on the same rows."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / scale
    y = answerable.astype(np.float64)
    # Balanced class weights: there are far more answerable questions than unanswerable ones.
    w_pos, w_neg = 0.5 / max(y.mean(), 1e-9), 0.5 / max(1 - y.mean(), 1e-9)
    sample = np.where(y == 1, w_pos, w_neg) / len(y)
    weights, bias = np.zeros(z.shape[1]), 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(z @ weights + bias)))
        grad = (p - y) * sample
        weights -= 0.5 * (z.T @ grad + l2 * weights / len(y))
        bias -= 0.5 * float(grad.sum())
    probs = 1.0 / (1.0 + np.exp(-(z @ weights + bias)))
    threshold = best_threshold(probs, y.astype(bool))
    return Answerability(weights, bias, mean, scale, threshold)


def best_threshold(probs: np.ndarray, answerable: np.ndarray) -> float:
    best, best_value = 0.5, -1.0
    for t in np.linspace(0.05, 0.95, 181):
        pred = probs >= t
        value = (np.mean(pred[answerable]) + np.mean(~pred[~answerable])) / 2
        if value > best_value + 1e-12:
            best, best_value = float(t), float(value)
    return best
