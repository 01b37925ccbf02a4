"""The answer-or-abstain model: fitting, thresholds and its artefact."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kbchat.service.answer.answerability import ARTEFACT, FEATURES, Signals, fit, load


def signals(top: float, shift: float = 0.0) -> Signals:
    return Signals(top_sentence=top, second_sentence=top - 0.02, top_passage_dense=top - 0.05, lexical_agrees=1.0,
                   uncovered_shift=shift, missing_words=int(shift > 0))


def test_a_fitted_model_separates_close_from_far_questions() -> None:
    rng = np.random.default_rng(0)
    close = [signals(t).vector() for t in rng.uniform(0.7, 0.9, 40)]
    far = [signals(t, s).vector() for t, s in zip(rng.uniform(0.4, 0.62, 40), rng.uniform(0.1, 0.3, 40),
                                                     strict=True)]
    model = fit(np.array(close + far), np.array([True] * 40 + [False] * 40))
    assert model.answers(signals(0.85))
    assert not model.answers(signals(0.5, 0.25))
    assert 0.0 < model.probability(signals(0.66, 0.1)) < 1.0


def test_the_checked_in_model_round_trips_and_names_its_features(tmp_path: Path) -> None:
    model = load()
    assert model is not None, f"{ARTEFACT} is missing: run `kbchat answers calibrate`"
    copy = tmp_path / "a.json"
    copy.write_text(model.to_json(), encoding="utf-8")
    again = load(copy)
    assert again is not None and again.threshold == pytest.approx(model.threshold)
    np.testing.assert_allclose(again.weights, model.weights, atol=1e-6)
    assert len(model.weights) == len(FEATURES)


def test_a_model_fitted_on_other_features_is_refused(tmp_path: Path) -> None:
    stale = tmp_path / "old.json"
    stale.write_text('{"features": ["top_sentence"], "weights": [1], "bias": 0, "mean": [0], "scale": [1], '
                     '"threshold": 0.5}', encoding="utf-8")
    with pytest.raises(ValueError, match="kbchat answers calibrate"):
        load(stale)


def test_no_artefact_means_no_model(tmp_path: Path) -> None:
    assert load(tmp_path / "missing.json") is None
