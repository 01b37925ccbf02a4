"""The learned verifier on the real bundled model and the checked-in artefact."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbchat.core.config import BUNDLED_MODEL
from kbchat.core.embedder import Embedder
from kbchat.service.answer.verifier import (
    ARTEFACT,
    FEATURES,
    LearnedVerifier,
    PairFeatures,
    VerifierMissing,
    evidence_pieces,
    load_model,
)
from kbchat.service.answer.verifier_train import TrainConfig, artefact_key, mechanical_pairs, training_pairs

SOURCE = ("In a 2017 online survey of 2,798 kratom users, 67% said kratom helped their depression, "
          "though the sample was self-selected.")


@pytest.fixture(scope="module")
def verifier(embedder: Embedder) -> LearnedVerifier:
    return LearnedVerifier(embedder)


def test_the_checked_in_artefact_matches_its_training_data_and_code() -> None:
    model = load_model()
    assert model.key == artefact_key(BUNDLED_MODEL, TrainConfig()), (
        f"{ARTEFACT} is stale: run `kbchat verifier train` and commit it")
    assert len(model.weights) == len(FEATURES)


def test_a_restatement_is_supported_and_a_changed_figure_is_not(verifier: LearnedVerifier) -> None:
    same = verifier.score("In a 2017 online survey of 2,798 kratom users, 67% said kratom helped their depression.",
                          [SOURCE])
    assert same.supported, same
    changed = verifier.score("In a 2017 online survey of 2,798 kratom users, 97% said kratom helped their depression.",
                             [SOURCE])
    assert not changed.supported
    assert any("numbers not in the source" in r for r in changed.reasons)


def test_an_animal_result_stated_about_people_is_not_supported(verifier: LearnedVerifier) -> None:
    source = "In mice, mitragynine shortened immobility in the forced swim test, a screen for antidepressant drugs."
    verdict = verifier.score("In people with depression, mitragynine relieved depression.", [source])
    assert not verdict.supported


def test_the_best_sentence_of_a_longer_passage_is_the_evidence(verifier: LearnedVerifier) -> None:
    passage = f"Kratom is a tree native to Southeast Asia. {SOURCE} Its leaves contain mitragynine."
    verdict = verifier.score("In a 2017 online survey of 2,798 kratom users, 67% said kratom helped their "
                             "depression.", [passage])
    assert verdict.supported and verdict.evidence == SOURCE


def test_nothing_to_check_is_not_supported(verifier: LearnedVerifier) -> None:
    assert not verifier.score("Kratom is a tree.", []).supported
    assert not verifier.score("", [SOURCE]).supported


def test_evidence_pieces_are_sentences_then_adjacent_pairs_without_citations() -> None:
    pieces = evidence_pieces(["First one [@a-2020]. Second one. Third one."])
    assert pieces == ["First one.", "Second one.", "Third one.", "First one. Second one.",
                      "Second one. Third one."]


def test_features_have_one_value_per_named_feature(embedder: Embedder) -> None:
    rows = PairFeatures(embedder).rows([("Kratom is a tree.", SOURCE), (SOURCE, SOURCE)])
    assert rows.shape == (2, len(FEATURES))


def test_a_missing_artefact_names_the_command_that_builds_it(embedder: Embedder, tmp_path: Path) -> None:
    with pytest.raises(VerifierMissing, match="kbchat verifier train"):
        LearnedVerifier(embedder, tmp_path / "none.npz")


def test_mechanical_edits_change_the_sentence_and_are_labelled_unsupported_except_quotes() -> None:
    import random

    pairs = mechanical_pairs({"e": [SOURCE, "Kratom users reported higher rates of anxiety than non-users."]},
                             random.Random(1))
    kinds = {p.kind for p in pairs}
    assert {"identical", "number", "addition", "other_sentence"} <= kinds
    for pair in pairs:
        if pair.kind != "identical":
            assert pair.claim != pair.evidence
        assert pair.supported == (pair.kind in ("identical", "partial_quote"))


def test_training_pairs_come_only_from_the_train_split() -> None:
    import json

    from kbchat.service.answer.verifier_train import SPLIT_FILE

    split = json.loads(SPLIT_FILE.read_text(encoding="utf-8"))
    held_out = set(split["dev"]) | set(split["test"])
    assert not held_out & set(split["train"])
    assert {p.source_id for p in training_pairs()} <= set(split["train"])
