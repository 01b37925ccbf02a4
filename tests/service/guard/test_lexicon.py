"""The shared vocabulary (service/guard/lexicon.py): the words several routes read."""

from __future__ import annotations

import dataclasses

import pytest

from kbchat.service.guard.lexicon import (
    KRATOM,
    OTHER_SUBSTANCE,
    PERSONAL_INTENT,
    REPORTED_AMOUNTS,
    TREATMENT,
    RuleHit,
    _rx,
    in_scope,
    research_framed,
)


def test_rx_joins_every_part_as_its_own_group() -> None:
    pattern = _rx(r"\bfoo\b", r"bar|baz")
    assert pattern.pattern == r"(?:\bfoo\b)|(?:bar|baz)"
    assert pattern.search("a baz here") and pattern.search("foo") and not pattern.search("food")


def test_rule_hit_is_a_frozen_value() -> None:
    hit = RuleHit("crisis", "self_harm")
    assert hit == RuleHit("crisis", "self_harm") and hit != RuleHit("crisis", "emergency_now")
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.rule = "other"  # type: ignore[misc]


@pytest.mark.parametrize("text, expected", [
    ("is kratom legal where i live?", True),
    ("what alkaloids are in the leaf?", True),
    ("how strong is 7-oh compared with morphine?", True),
    ("is mitragynine an opioid agonist?", True),
    ("does red vein borneo differ from the others?", True),
    ("what is the capital of peru?", False),
    ("is melatonin habit forming?", False),
    ("tell me about strainers for pasta", False),
])
def test_in_scope(text: str, expected: bool) -> None:
    assert in_scope(text) is expected
    assert bool(KRATOM.search(text)) is expected


@pytest.mark.parametrize("text, expected", [
    ("are there reports of liver injury linked to kratom?", True),
    ("how much kratom did the people in the survey use each week?", True),
    ("what did the rodent studies find about withdrawal?", True),
    ("studies say it helps, so should i try it for my mood?", False),  # the asker means to act
    ("if the research is right, i want to take the same amount", False),
    ("where does kratom grow naturally?", False),  # no research framing at all
])
def test_research_framed(text: str, expected: bool) -> None:
    assert research_framed(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("i've been on escitalopram for a year", True),
    ("my therapist wants to see me weekly", True),
    ("she is tapering off methadone", True),
    ("the weather is nice today", False),
    ("medicinal plants of southeast asia", False),
])
def test_treatment_vocabulary(text: str, expected: bool) -> None:
    assert bool(TREATMENT.search(text)) is expected


@pytest.mark.parametrize("text, expected", [
    ("can i drink alcohol with it?", True),
    ("how does st. john's wort compare?", True),
    ("is kava similar?", True),
    ("is it legal in thailand?", False),
    ("the methamphetamine epidemic", False),  # whole words only
])
def test_other_substance_vocabulary(text: str, expected: bool) -> None:
    assert bool(OTHER_SUBSTANCE.search(text)) is expected


@pytest.mark.parametrize("text, expected", [
    ("should i try that?", True),
    ("which one is best for me?", True),
    ("if you were me, what would you do?", True),
    ("what did the trial participants take?", False),
    ("is kratom regulated in europe?", False),
])
def test_personal_intent_vocabulary(text: str, expected: bool) -> None:
    assert bool(PERSONAL_INTENT.search(text)) is expected


@pytest.mark.parametrize("text, expected", [
    ("what amounts did respondents describe?", True),
    ("was kratom associated with liver damage?", True),
    ("how many g should i take?", False),
])
def test_reported_amounts_vocabulary(text: str, expected: bool) -> None:
    assert bool(REPORTED_AMOUNTS.search(text)) is expected
