"""The checked-in guard heads match the training data and trainer they claim to come from."""

from __future__ import annotations

from kbchat.core.config import BUNDLED_MODEL
from kbchat.core.conversation import ROUTES
from kbchat.service.guard.classifier import ARTEFACT, CRISIS_LABELS, TRAIN_FILE, chat_sentences, load, training_key


def test_the_checked_in_heads_were_trained_on_the_current_data_and_trainer() -> None:
    # A stale artefact is not an error at run time (the heads are retrained and cached), but every
    # fresh process, test session and CI run would then spend minutes retraining.
    models = load(ARTEFACT)
    assert models.key == training_key(TRAIN_FILE, BUNDLED_MODEL), "run `kbchat guard train` and commit the artefact"
    assert models.routes.labels == ROUTES and models.crisis.labels == CRISIS_LABELS
    assert len(models.routes.members) == len(models.crisis.members) == 3


def test_chat_sentences_split_on_punctuation_and_lines_and_skip_single_words() -> None:
    assert chat_sentences("I can't sleep. Nothing helps!\nwhat now") == ["I can't sleep.", "Nothing helps!", "what now"]
    assert chat_sentences("ok. fine. I guess") == ["I guess"]
