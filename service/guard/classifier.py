"""A small multinomial logistic regression over the question embedding the service computes
anyway, trained on service/data/guard_train.jsonl. Costs one matrix-vector product per message."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kbchat.core.conversation import ROUTES, Turn, resolve_query

if TYPE_CHECKING:
    from kbchat.core.embedder import Embedder

TRAIN_FILE = Path(__file__).resolve().parent / "data" / "guard_train.jsonl"
L2 = 1e-3  # weak regularisation: ~800 examples, 384 features
EPOCHS = 400
LEARNING_RATE = 2.0


@dataclass(frozen=True)
class Example:
    turns: tuple[Turn, ...]
    route: str

    @property
    def text(self) -> str:
        return resolve_query(self.turns)


def load_examples(path: Path) -> list[Example]:
    examples = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["route"] not in ROUTES:
            raise ValueError(f"{path}:{n}: unknown route {row['route']!r}")
        turns = tuple(Turn(m["role"], m["content"]) for m in row["messages"])
        examples.append(Example(turns, row["route"]))
    return examples


@dataclass
class GuardClassifier:
    """Probabilities over ROUTES for a unit-length question embedding."""

    weights: np.ndarray  # (dim, routes)
    bias: np.ndarray  # (routes,)

    def probabilities(self, vec: np.ndarray) -> dict[str, float]:
        logits = vec @ self.weights + self.bias
        p = np.exp(logits - logits.max())
        p /= p.sum()
        return {route: float(x) for route, x in zip(ROUTES, p, strict=True)}

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, weights=self.weights, bias=self.bias)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> GuardClassifier:
        data = np.load(path)
        return cls(weights=data["weights"], bias=data["bias"])


def fit(vectors: np.ndarray, routes: list[str]) -> GuardClassifier:
    """Full-batch gradient descent on the softmax loss, classes weighted by inverse frequency."""
    y = np.array([ROUTES.index(r) for r in routes])
    onehot = np.eye(len(ROUTES))[y]
    counts = onehot.sum(axis=0) + 1
    sample_w = (len(y) / (len(ROUTES) * counts))[y][:, None]
    w = np.zeros((vectors.shape[1], len(ROUTES)))
    b = np.zeros(len(ROUTES))
    for _ in range(EPOCHS):
        logits = vectors @ w + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        grad = (p - onehot) * sample_w / len(y)
        w -= LEARNING_RATE * (vectors.T @ grad + L2 * w)
        b -= LEARNING_RATE * grad.sum(axis=0)
    return GuardClassifier(weights=w.astype(np.float32), bias=b.astype(np.float32))


def train_or_load(embedder: Embedder, cache_dir: Path, train_file: Path = TRAIN_FILE) -> GuardClassifier:
    """Train once per (training data, model) and cache the weights under the data dir."""
    key = hashlib.sha256(train_file.read_bytes() + embedder.name.encode()).hexdigest()[:16]
    path = cache_dir / f"guard-{key}.npz"
    if path.exists():
        return GuardClassifier.load(path)
    examples = load_examples(train_file)
    vectors = embedder.encode_queries([e.text for e in examples])
    model = fit(vectors, [e.route for e in examples])
    model.save(path)
    return model
