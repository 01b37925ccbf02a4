"""Abstaining when the question is about a word the knowledge base never uses."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kbchat.core.text import tokens
from kbchat.service.answer.coverage import missing_words, without
from tests.service.conftest import ask

VOCABULARY = set(tokens("Kratom legal status in Thailand and the US; mitragynine in surveys of depression and deaths"))


def test_missing_words_skip_kb_words_numbers_and_misspellings_of_kb_words() -> None:
    assert missing_words("Is kratom legal in Canada?", VOCABULARY) == ["canada"]
    # mitragynin: one letter off
    assert missing_words("Do surveys of mitragynin report 2 deaths?", VOCABULARY) == ["report"]


def test_without_drops_every_form_of_the_word_and_reports_it_as_written() -> None:
    assert without("Canada: is kratom legal in Canada's provinces?", "canada'") == (
        "Canada: is kratom legal in provinces?", "Canada's")
    assert without("Do surveys say so?", "survey") == ("Do say so?", "surveys")


def test_a_question_about_something_the_kb_never_mentions_is_declined_by_name(client: TestClient) -> None:
    reply = ask(client, "Does kratom help depression in Canada?")
    assert reply["abstained"] and reply["uncovered_term"] == "Canada"
    assert "Canada" in reply["answer"] and reply["citations"] == []
    assert reply["suggestions"], "an abstention offers questions the KB does cover"


def test_a_missing_word_that_is_not_the_topic_does_not_block_the_answer(client: TestClient) -> None:
    reply = ask(client, "Has anyone died from kratom?")  # 'anyone' is not in the fixture KB
    assert not reply["abstained"] and reply["uncovered_term"] is None
    assert reply["citations"]
