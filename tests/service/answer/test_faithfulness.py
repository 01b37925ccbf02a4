"""The default faithfulness scorer on hand-made hard cases, with the real bundled model."""

import pytest

from kbchat.service.answer.faithfulness import EmbeddingScorer, check_claim

PASSAGE = ("In a 2011 study in mice, injected mitragynine shortened immobility in the forced swim test, "
           "a screening test for antidepressant drugs. The 2017 survey of 2,798 users was self-selected, "
           "and 65% said they took kratom for depression.")


@pytest.fixture(scope="module")
def scorer(embedder):  # type: ignore[no-untyped-def]
    return EmbeddingScorer(embedder)


def test_a_faithful_paraphrase_is_supported(scorer) -> None:  # type: ignore[no-untyped-def]
    claim = "In mice, mitragynine injections reduced immobility in the forced swim test in 2011."
    assert scorer.score(claim, [PASSAGE]).supported


@pytest.mark.parametrize("claim, reason", [
    ("In the 2017 survey of 2,798 users, 85% said they took kratom for depression.", "numbers"),
    ("In a 2011 study, mitragynine shortened immobility in depressed people.", "people"),
    ("The 2017 survey proved that kratom treats depression in 65% of users.", "certain"),
    ("In a 2011 study in mice, injected mitragynine did not shorten immobility in the forced swim test.", "negation"),
    ("Kratom lowers blood pressure in every user.", "similarity"),
])
def test_hard_negatives_are_caught(scorer, claim: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    verdict = scorer.score(claim, [PASSAGE])
    assert not verdict.supported
    assert any(reason in r for r in verdict.reasons), verdict.reasons


def test_check_claim_names_entities_missing_from_the_source() -> None:
    reasons = check_claim("Mitragynine strongly inhibits CYP2D6 in the liver.",
                          "Mitragynine inhibited CYP3A in the liver.")
    assert any("CYP2D6" in r for r in reasons)
