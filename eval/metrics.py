"""Small pure metric functions. Every score here: higher is better unless its name says rate of
a failure (over_refusal, wrong_abstention)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np


def recall_at_k(ranked: Sequence[str], expected: Sequence[str], k: int) -> float:
    """1.0 if any expected id is in the top k (any of them is a right source), else 0.0."""
    return float(any(r in expected for r in ranked[:k]))


def reciprocal_rank(ranked: Sequence[str], expected: Sequence[str]) -> float:
    for i, r in enumerate(ranked, 1):
        if r in expected:
            return 1.0 / i
    return 0.0


def mean(values: Sequence[float]) -> float:
    return float(np.mean(values)) if len(values) else 0.0


def key_fact_coverage(answer: str, facts: Sequence[str]) -> float:
    """Share of key facts found (case-insensitive substring) in the answer. A fact may list
    alternative wordings separated by "|" ("2,061|2061"); any one of them counts."""
    if not facts:
        return 1.0
    low = answer.lower()
    return sum(any(alt.strip().lower() in low for alt in f.split("|") if alt.strip()) for f in facts) / len(facts)


def binary_scores(gold: Sequence[bool], predicted: Sequence[bool]) -> dict[str, float]:
    """Precision, recall and F1 of the positive class, plus accuracy and balanced accuracy."""
    tp = sum(g and p for g, p in zip(gold, predicted, strict=True))
    fp = sum((not g) and p for g, p in zip(gold, predicted, strict=True))
    fn = sum(g and (not p) for g, p in zip(gold, predicted, strict=True))
    tn = sum((not g) and (not p) for g, p in zip(gold, predicted, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    specificity = tn / (tn + fp) if tn + fp else 0.0
    n = len(gold)
    return {"n": n, "accuracy": (tp + tn) / n if n else 0.0, "balanced_accuracy": (recall + specificity) / 2,
            "precision": precision, "recall": recall, "f1": f1}


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(values, q)) if len(values) else 0.0


def confusion(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, dict[str, int]]:
    counts = Counter(zip(gold, predicted, strict=True))
    labels = sorted(set(gold) | set(predicted))
    return {g: {p: counts.get((g, p), 0) for p in labels} for g in labels}


def route_recall(gold: Sequence[str], predicted: Sequence[str], route: str) -> float:
    hits = [p == route for g, p in zip(gold, predicted, strict=True) if g == route]
    return mean([float(h) for h in hits])


def over_refusal(gold: Sequence[str], predicted: Sequence[str], refusing: Sequence[str]) -> float:
    """Share of answer-route messages that got a refusal or crisis reply."""
    answer = [p in refusing for g, p in zip(gold, predicted, strict=True) if g == "answer"]
    return mean([float(a) for a in answer])
