"""Policy route 1, crisis (service/guard/crisis.py)."""

from __future__ import annotations

import pytest

from kbchat.service.guard.crisis import READ_ABOUT, _research_about_crisis, crisis_rule
from kbchat.service.guard.lexicon import RuleHit


@pytest.mark.parametrize("text, rule", [
    ("i keep thinking about ending my life after my shift tonight.", "self_harm"),
    ("honestly my family would be better off without me.", "self_harm"),
    ("i want to end it all tonight", "self_harm"),
    ("no quiero vivir mas", "self_harm"),
    ("i took a handful of medication on purpose", "self_harm"),
    ("my roommate is on the couch and won't wake up, her lips look blue.", "emergency_now"),
    ("i swallowed way too many kratom capsules an hour ago.", "emergency_now"),
    ("he collapsed and isn't breathing", "emergency_now"),
    ("my 3 year old swallowed some kratom powder", "emergency_now"),
    ("my chest is tight and my heart is pounding right now after taking kratom.", "symptoms_now"),
    ("i feel dizzy and my vision is blurry and i'm confused", "symptoms_now"),
])
def test_crisis_rule_fires(text: str, rule: str) -> None:
    assert crisis_rule(text) == RuleHit("crisis", rule)


@pytest.mark.parametrize("text", [
    "what do studies say about kratom and suicidal ideation among users?",
    "are chest pain cases reported in the literature on kratom?",
    "does kratom cause dizziness and blurry vision in some users?",
    "i saw an article saying studies linked kratom to suicide rates",
    "what percentage of kratom deaths involved other drugs?",
    "is kratom sold legally in vietnam?",
    "how many g of kratom should i start with?",
])
def test_crisis_rule_stays_quiet(text: str) -> None:
    assert crisis_rule(text) is None


@pytest.mark.parametrize("text, expected", [
    ("do national surveys tie kratom to suicide?", True),
    ("i read an article: researchers linked kratom to overdose deaths", True),  # the news, not the asker
    ("i have been having suicidal thoughts, do studies say kratom is to blame?", False),
    ("please help, is this what the research calls an overdose?", False),
    ("what does kratom do to the heart?", False),  # no reporting words
])
def test_research_about_crisis(text: str, expected: bool) -> None:
    assert _research_about_crisis(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("i saw a post about it", True),
    ("i heard about kratom from a coworker", True),
    ("i read that kratom is banned in some states", True),
    ("i saw my doctor yesterday", False),
])
def test_read_about(text: str, expected: bool) -> None:
    assert bool(READ_ABOUT.search(text)) is expected
