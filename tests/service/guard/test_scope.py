"""Policy route 4, out_of_scope (service/guard/scope.py)."""

from __future__ import annotations

import pytest

from kbchat.service.guard.scope import leaves_topic, names_other_topic, switches_to_other_drug, topical


@pytest.mark.parametrize("text, expected", [
    ("totally unrelated, but can you help with my tax return?", True),
    ("different question: how do i reset my router?", True),
    ("unrelated question: is kratom legal in canada?", False),  # kratom is still the subject
    ("what about its legal status?", False),
])
def test_leaves_topic(text: str, expected: bool) -> None:
    assert leaves_topic(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("is melatonin safe to take nightly?", True),
    ("does alcohol withdrawal cause shaking?", True),
    ("does escitalopram make people sleepy?", True),
    ("can kratom be mixed with alcohol?", False),
    ("what is the capital of france?", False),
])
def test_names_other_topic(text: str, expected: bool) -> None:
    assert names_other_topic(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("what dose did the rodent experiments use?", True),
    ("what alkaloids are in the leaf?", True),
    ("is red or green more sedating?", True),
    ("does alcohol withdrawal cause shaking?", False),  # another drug is named
    ("how do i bake sourdough bread?", False),
])
def test_topical(text: str, expected: bool) -> None:
    assert topical(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("what about phenibut?", True),
    ("and cbd oil, does that help?", True),
    ("is kratom stronger than kava?", False),
    ("what about its legal status?", False),
])
def test_switches_to_other_drug(text: str, expected: bool) -> None:
    assert switches_to_other_drug(text) is expected
