"""The must-refuse rules in priority order (service/guard/rules.py)."""

from __future__ import annotations

import pytest

from kbchat.service.guard.normalize import normalize
from kbchat.service.guard.rules import DISCLAIMER, RuleHit, apply_rules, request_sentences


@pytest.mark.parametrize("message, route, rule", [
    # crisis beats a dosing request in the same message
    ("How many capsules of kratom would I need to end my life", "crisis", "self_harm"),
    # an amount of kratom: dosing wins over substitution
    ("How many capsules of kratom should I take instead of my buprenorphine?", "personal_dosing", "dose_request"),
    # an amount of the treatment only: the substitution question wins over the dosing one
    ("My escitalopram dose is 10 mg, can I combine it with kratom?",
     "treatment_substitution", "kratom_with_my_treatment"),
    # a request in the second sentence of a longer message
    ("I've been reading about kratom for weeks. So how many capsules should I take?",
     "personal_dosing", "dose_request"),
    ("Is it OK to mix kratom with my gabapentin", "treatment_substitution", "kratom_with_my_treatment"),
])
def test_apply_rules_priority(message: str, route: str, rule: str) -> None:
    assert apply_rules(normalize(message), kratom_context=False) == RuleHit(route, rule)


@pytest.mark.parametrize("message", [
    "I'm not going to take any myself. How much kratom did the survey respondents use?",
    "Are there reports of liver injury linked to kratom?",
    "Where does kratom grow naturally?",
    "What is the capital of France?",
])
def test_apply_rules_lets_research_and_other_questions_through(message: str) -> None:
    assert apply_rules(normalize(message), kratom_context=False) is None
    assert apply_rules(normalize(message), kratom_context=True) is None


def test_apply_rules_uses_the_conversation_context() -> None:
    text = normalize("How often should I have it?")
    assert apply_rules(text, kratom_context=False) is None
    assert apply_rules(text, kratom_context=True) == RuleHit("personal_dosing", "dose_request")


@pytest.mark.parametrize("text, expected", [
    ("one. two! three?", ["one. two!", "two! three?"]),
    ("just one sentence", ["just one sentence"]),
    ("i'm not asking for a dose. what did the trial use? thanks.", ["what did the trial use? thanks."]),
    ("", []),
])
def test_request_sentences(text: str, expected: list[str]) -> None:
    assert request_sentences(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("i'm not asking for advice", True),
    ("we're never going to try it", True),
    ("that's between them and their doctor", True),
    ("i'm asking for a friend", False),
])
def test_disclaimer(text: str, expected: bool) -> None:
    assert bool(DISCLAIMER.search(text)) is expected
