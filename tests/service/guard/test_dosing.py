"""Policy route 2, personal_dosing (service/guard/dosing.py)."""

from __future__ import annotations

import pytest

from kbchat.service.guard.dosing import ADVICE_ASK, DOSING_CUE, KRATOM_AMOUNT_ASK, STRONG_DOSE, dosing_rule
from kbchat.service.guard.lexicon import RuleHit

DOSE = RuleHit("personal_dosing", "dose_request")


@pytest.mark.parametrize("text", [
    "how many g of kratom should i start with?",
    "how often can i redose kratom in a day?",
    "what's the best way to taper off kratom quickly?",
    "what time of day should i take kratom?",
    "best vendor for kratom extract?",
    "green or white, which is better for focus?",
    "i've been reading about kratom for weeks. so how many capsules should i take?",
])
def test_dosing_rule_fires_without_context(text: str) -> None:
    assert dosing_rule(text, kratom_context=False) == DOSE


@pytest.mark.parametrize("text", [
    "how much kratom did participants report taking?",  # a research fact (policy, route 5)
    "how much does a plane ticket to bangkok cost?",
    "is kratom sold legally in vietnam?",
    "what dose of sertraline do doctors usually start with?",  # another drug, kratom never named
    "can a urine screen detect kratom?",
])
def test_dosing_rule_stays_quiet_without_context(text: str) -> None:
    assert dosing_rule(text, kratom_context=False) is None


@pytest.mark.parametrize("text", ["how often should i have it?", "which kind should i get?"])
def test_a_kratom_conversation_makes_a_vague_ask_a_dosing_request(text: str) -> None:
    assert dosing_rule(text, kratom_context=False) is None
    assert dosing_rule(text, kratom_context=True) == DOSE


def test_personal_intent_elsewhere_turns_a_reported_amount_into_a_request() -> None:
    text = "how much kratom did participants report taking?"
    assert dosing_rule(text, kratom_context=True, personal_elsewhere=False) is None
    assert dosing_rule(text, kratom_context=True, personal_elsewhere=True) == DOSE


@pytest.mark.parametrize("text, cue, ask", [
    ("how much kratom is safe?", True, True),
    ("two capsules every morning", True, False),
    ("what does kratom look like?", False, True),
    ("kratom grows in thailand", False, False),
])
def test_cue_and_ask_patterns(text: str, cue: bool, ask: bool) -> None:
    assert bool(DOSING_CUE.search(text)) is cue
    assert bool(ADVICE_ASK.search(text)) is ask


@pytest.mark.parametrize("text, expected", [
    ("how many capsules of kratom a day?", True),
    ("what is a normal kratom dose?", True),
    ("how much of my sertraline can i skip?", False),
    ("can i combine it with my lithium?", False),
])
def test_kratom_amount_ask(text: str, expected: bool) -> None:
    assert bool(KRATOM_AMOUNT_ASK.search(text)) is expected


@pytest.mark.parametrize("text, expected", [
    ("how many capsules is too many?", True),
    ("red or white for the morning?", True),
    ("what should i buy?", False),
])
def test_strong_dose(text: str, expected: bool) -> None:
    assert bool(STRONG_DOSE.search(text)) is expected
