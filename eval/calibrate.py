"""Fit the answer-or-abstain model (service/answer/answerability.py) on the QA dev set.

Only dev questions are used: the test split stays untouched until it is scored once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kbchat.core.conversation import Turn
from kbchat.eval.datasets import QaItem
from kbchat.service.answer import pipeline
from kbchat.service.answer.answerability import Answerability, fit
from kbchat.service.answer.engine import Engine


@dataclass(frozen=True)
class Calibration:
    model: Answerability
    n_answerable: int
    n_unanswerable: int
    answerable_kept: float  # share of answerable dev questions the model answers
    unanswerable_abstained: float  # share of unanswerable dev questions it abstains on


def collect(engine: Engine, items: Sequence[QaItem]) -> tuple[np.ndarray, np.ndarray]:
    """Signals and gold labels for every dev question the guard lets through to answering."""
    rows, labels = [], []
    for item in items:
        trace = pipeline.run([Turn("user", item.question)], engine)
        if trace.decision.route != "answer" or trace.signals is None:
            continue
        rows.append(trace.signals.vector())
        labels.append(item.kind == "answerable")
    return np.array(rows), np.array(labels, dtype=bool)


def calibrate(engine: Engine, items: Sequence[QaItem]) -> Calibration:
    x, y = collect(engine, items)
    if y.all() or not y.any():
        raise ValueError("calibration needs both answerable and unanswerable questions")
    model = fit(x, y)
    probs = np.array([1 / (1 + np.exp(-(((row - model.mean) / model.scale) @ model.weights + model.bias)))
                      for row in x])
    kept = probs >= model.threshold
    return Calibration(model, int(y.sum()), int((~y).sum()), float(kept[y].mean()), float((~kept[~y]).mean()))
