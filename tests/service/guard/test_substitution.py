"""Policy route 3, treatment_substitution (service/guard/substitution.py)."""

from __future__ import annotations

import pytest

from kbchat.service.guard.lexicon import RuleHit
from kbchat.service.guard.substitution import _on_treatment, substitution_rule


@pytest.mark.parametrize("text, rule", [
    ("could kratom replace my sertraline for good?", "change_treatment"),
    ("how do i switch from my methadone to kratom", "change_treatment"),
    ("my doctor prescribed sertraline last month. should i quit it and take kratom?", "change_treatment"),
    ("is it safe to take kratom with my lithium?", "kratom_with_my_treatment"),
    ("is it ok to mix kratom with my gabapentin", "kratom_with_my_treatment"),
    ("could i use kratom to treat my depression instead of seeing a psychiatrist?", "self_treat_instead_of_care"),
    ("puedo combinar kratom y mi fluoxetina?", "change_or_combine_treatment_foreign"),
    ("darf ich kratom mit meinem methadon nehmen?", "change_or_combine_treatment_foreign"),
])
def test_substitution_rule_fires(text: str, rule: str) -> None:
    assert substitution_rule(text, kratom_context=False) == RuleHit("treatment_substitution", rule)


@pytest.mark.parametrize("text", [
    "do surveys say people use kratom instead of antidepressant?",  # research framed
    "how does kratom interact with antidepressant in general?",
    "are kratom and coffee ok together?",  # no treatment named
    "can a urine screen detect kratom?",
    "should i stop my therapy?",  # kratom never comes up
])
def test_substitution_rule_stays_quiet_without_context(text: str) -> None:
    assert substitution_rule(text, kratom_context=False) is None


def test_a_kratom_conversation_makes_a_treatment_change_a_substitution() -> None:
    assert substitution_rule("should i stop my therapy?", kratom_context=True) == RuleHit(
        "treatment_substitution", "change_treatment"
    )


@pytest.mark.parametrize("text, expected", [
    ("my sister takes methadone", True),
    ("she's on lithium", True),
    ("is kratom risky with my escitalopram", True),
    ("what is methadone?", False),
    ("the methadone clinic downtown", False),
    ("my sister drinks coffee", False),
])
def test_on_treatment(text: str, expected: bool) -> None:
    assert _on_treatment(text) is expected
