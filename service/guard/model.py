"""Small learned heads over the question embedding the service computes anyway.

A one-hidden-layer perceptron (ReLU, softmax) trained in numpy with Adam, several seeds averaged.
On the fresh dev batch it routed 0.90 of messages right against 0.85 for the logistic regression
it replaces (README, "Guard"); a forward pass costs two small matrix products.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HIDDEN = 256
EPOCHS = 200
LEARNING_RATE = 1e-2
WEIGHT_DECAY = 1e-4
SEEDS = (0, 1, 2)


@dataclass(frozen=True)
class Layer:
    w1: np.ndarray  # (dim, hidden)
    b1: np.ndarray  # (hidden,)
    w2: np.ndarray  # (hidden, labels)
    b2: np.ndarray  # (labels,)

    def logits(self, x: np.ndarray) -> np.ndarray:
        hidden = np.maximum(x @ self.w1 + self.b1, 0.0)
        return np.asarray(hidden @ self.w2 + self.b2)


@dataclass(frozen=True)
class Head:
    """Class probabilities for unit-length embeddings, averaged over the members of an ensemble."""

    labels: tuple[str, ...]
    members: tuple[Layer, ...]

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """(n, labels) probabilities for (n, dim) vectors; rows sum to 1."""
        x = np.atleast_2d(vectors).astype(np.float32)
        return np.asarray(np.mean([_softmax(m.logits(x)) for m in self.members], axis=0))

    def probability(self, vectors: np.ndarray, label: str) -> np.ndarray:
        return self.probabilities(vectors)[:, self.labels.index(label)]

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        arrays = {f"{prefix}.labels": np.array(self.labels)}
        for i, m in enumerate(self.members):
            for name in ("w1", "b1", "w2", "b2"):
                arrays[f"{prefix}.{i}.{name}"] = getattr(m, name).astype(np.float16)
        return arrays

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> Head:
        labels = tuple(str(x) for x in arrays[f"{prefix}.labels"])
        members = []
        i = 0
        while f"{prefix}.{i}.w1" in arrays:
            members.append(Layer(*(arrays[f"{prefix}.{i}.{n}"].astype(np.float32) for n in ("w1", "b1", "w2", "b2"))))
            i += 1
        return cls(labels, tuple(members))


def fit(vectors: np.ndarray, targets: list[str], labels: tuple[str, ...], seeds: tuple[int, ...] = SEEDS) -> Head:
    """Train one member per seed on full batches; classes weighted by inverse frequency."""
    return Head(labels, tuple(_fit_one(vectors, targets, labels, seed) for seed in seeds))


def _fit_one(x: np.ndarray, targets: list[str], labels: tuple[str, ...], seed: int) -> Layer:
    rng = np.random.default_rng(seed)
    y = np.eye(len(labels))[[labels.index(t) for t in targets]]
    weight = (y * (len(targets) / (len(labels) * (y.sum(axis=0) + 1)))).sum(axis=1, keepdims=True)
    params = [
        rng.normal(0, np.sqrt(2 / x.shape[1]), (x.shape[1], HIDDEN)), np.zeros(HIDDEN),
        rng.normal(0, np.sqrt(1 / HIDDEN), (HIDDEN, len(labels))), np.zeros(len(labels)),
    ]
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    for step in range(1, EPOCHS + 1):
        w1, b1, w2, b2 = params
        hidden = np.maximum(x @ w1 + b1, 0.0)
        grad_out = (_softmax(hidden @ w2 + b2) - y) * weight / len(targets)
        grad_hidden = grad_out @ w2.T * (hidden > 0)
        grads = [x.T @ grad_hidden + WEIGHT_DECAY * w1, grad_hidden.sum(axis=0),
                 hidden.T @ grad_out + WEIGHT_DECAY * w2, grad_out.sum(axis=0)]
        for i, g in enumerate(grads):  # Adam
            first[i] = 0.9 * first[i] + 0.1 * g
            second[i] = 0.999 * second[i] + 0.001 * g * g
            params[i] = params[i] - LEARNING_RATE * (first[i] / (1 - 0.9**step)) / (
                np.sqrt(second[i] / (1 - 0.999**step)) + 1e-8)
    return Layer(*(np.asarray(p, dtype=np.float32) for p in params))


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    return np.asarray(z / z.sum(axis=1, keepdims=True))
