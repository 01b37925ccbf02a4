import pytest

from kbchat.service.answer.rail import is_dosing_instruction


@pytest.mark.parametrize("sentence", [
    "For the best mood lift, you should take 3 grams of red vein kratom tea every morning before breakfast.",
    "Start with 2 grams and work up to 5.",
    "Take no more than 5 g a day.",
    "Maeng da is the best strain for anxiety.",
    "We recommend two capsules at night.",
])
def test_instructions_are_caught(sentence: str) -> None:
    assert is_dosing_instruction(sentence)


@pytest.mark.parametrize("sentence", [
    "In a 2017 survey, 49% of respondents reported taking 1-3 g per occasion.",
    "In rats, mitragynine was given at 10 mg/kg.",
    "No trial has established a safe dose of kratom.",
    "Kratom products vary widely in alkaloid content, so the same amount can have different effects.",
    "Daily use was the most common pattern among survey respondents.",
])
def test_research_statements_stay(sentence: str) -> None:
    assert not is_dosing_instruction(sentence)
