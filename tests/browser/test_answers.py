"""Replies as a reader sees them: streamed cited answers, the source panel, and each route's look."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import ask, replies, screenshot, stored_turns, wait_for_reply


def test_streamed_answer_opens_its_source_with_the_quote_highlighted(chat_page: Page) -> None:
    page = chat_page
    expect(page.locator("#welcome")).to_be_visible()
    with page.expect_response("**/api/chat") as response:
        reply = ask(page, "Does kratom help depression?")
    content_type = response.value.headers["content-type"]
    assert content_type.startswith("text/event-stream"), "the page must ask for the SSE stream"
    expect(page.locator("#welcome")).to_be_hidden()

    expect(reply).to_have_attribute("data-route", "answer")
    expect(reply.locator(".sentence").first).to_contain_text("survey")
    # Every answer sentence carries a numbered citation button and an evidence badge.
    for sentence in reply.locator(".sentence").all():
        expect(sentence.locator("button.cite").first).to_have_accessible_name(re.compile(r"^Source \d+"))
        expect(sentence.locator(".evidence").first).to_be_visible()
    expect(reply.locator(".evidence", has_text="Survey").first).to_be_visible()

    citation = stored_turns(page)[-1]["reply"]["citations"][0]
    reply.locator("button.cite").first.click()
    panel = page.locator("#source-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("#source-title")).to_have_text(citation["title"])
    expect(panel.locator("#source-meta")).to_contain_text(f"{citation['authors']} · {citation['year']}")
    expect(panel.locator("#source-design")).to_have_text(citation["design"])
    # The quoted sentence is found inside the entry's full text and marked.
    expect(panel).to_have_attribute("data-state", "ready")
    expect(panel.locator("#source-text mark")).to_have_text([citation["quote"]])
    expect(panel.locator("#source-text")).to_contain_text("65% said they took kratom for depression")
    if citation["via"]:
        expect(panel.locator("#source-via")).to_contain_text("Cited in our summary:")
    link = panel.locator("#source-links a").first
    expect(link).to_have_attribute("href", re.compile(r"^https://(doi\.org|pubmed\.ncbi\.nlm\.nih\.gov)/"))
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", re.compile(r"\bnoopener\b"))
    screenshot(page, "answer-with-source-panel")

    page.locator("#source-close").click()
    expect(panel).to_be_hidden()


def test_dosing_question_is_refused_with_alternatives_that_can_be_asked(chat_page: Page) -> None:
    page = chat_page
    reply = ask(page, "How much kratom should I take?")
    expect(reply).to_have_class(re.compile(r"\breply-refusal\b"))
    expect(reply).to_have_attribute("data-route", "personal_dosing")
    expect(reply.locator(".reply-label")).to_have_text("No personal dosing advice")
    expect(reply.locator("button.cite")).to_have_count(0)
    expect(reply.locator("a[href='tel:+18006624357']")).to_contain_text("SAMHSA")
    chips = reply.locator(".chip")
    expect(chips).to_have_count(3)
    screenshot(page, "dosing-refusal")

    suggestion = chips.first.inner_text()
    chips.first.click()
    expect(page.locator(".msg-user .user-bubble").last).to_have_text(suggestion)
    follow_up = wait_for_reply(page, 1)
    expect(follow_up).not_to_have_attribute("data-route", "personal_dosing")


def test_a_refused_strain_question_shows_the_cited_evidence_below_the_refusal(chat_page: Page) -> None:
    page = chat_page
    reply = ask(page, "What's the best type of kratom for depression?")
    expect(reply).to_have_attribute("data-route", "personal_dosing")
    expect(reply.locator(".reply-label")).to_have_text("No personal dosing advice")
    expect(reply).to_contain_text("What research says about kratom and depression:")
    expect(reply.locator("button.cite").first).to_be_visible()
    expect(reply.locator(".sources li").first).to_be_visible()
    screenshot(page, "refuse-then-inform")


def test_crisis_reply_puts_help_lines_first_and_large(chat_page: Page) -> None:
    page = chat_page
    reply = ask(page, "I want to kill myself")
    expect(reply).to_have_class(re.compile(r"\breply-crisis\b"))
    first = reply.locator(":scope > *").first
    expect(first).to_have_class("crisis-resources")
    expect(first.locator("a[href='tel:988']").first).to_be_visible()
    expect(first.locator("a[href='sms:988']")).to_be_visible()
    expect(reply.locator("button.cite")).to_have_count(0)
    sizes = page.evaluate(
        """reply => [reply.querySelector('.resource-link'), reply.querySelector('.sentence')]
             .map(node => parseFloat(getComputedStyle(node).fontSize))""",
        reply.element_handle(),
    )
    assert sizes[0] > sizes[1], f"help lines must be larger than the text, got {sizes}"
    screenshot(page, "crisis")


@pytest.mark.parametrize(
    ("name", "question", "css_class", "label"),
    [
        ("abstain", "What is the chemical structure of 7-hydroxymitragynine?", "reply-abstain",
         "Not covered by the knowledge base"),
        ("treatment-refusal", "Should I stop my sertraline and use kratom instead?", "reply-refusal",
         "No advice on changing treatment"),
        ("out-of-scope", "What is the capital of France?", "reply-out_of_scope", "Outside what this assistant covers"),
    ],
)
def test_each_non_answer_has_its_own_look_and_suggestions(
    chat_page: Page, name: str, question: str, css_class: str, label: str
) -> None:
    page = chat_page
    reply = ask(page, question)
    expect(reply).to_have_class(re.compile(rf"\b{css_class}\b"))
    expect(reply.locator(".reply-label")).to_have_text(label)
    expect(reply.locator("button.cite")).to_have_count(0)
    expect(reply.locator(".chip").first).to_be_visible()
    screenshot(page, name)


def test_starter_question_is_asked_on_click(chat_page: Page) -> None:
    page = chat_page
    starter = page.locator("#starters .chip").first
    question = starter.inner_text()
    starter.click()
    expect(page.locator(".msg-user .user-bubble")).to_have_text([question])
    expect(wait_for_reply(page, 0)).to_have_attribute("data-route", "answer")
    expect(replies(page)).to_have_count(1)


def test_the_page_says_when_the_kb_was_updated_and_when_a_source_was_reviewed(chat_page: Page, live_url: str) -> None:
    import httpx

    page = chat_page
    info = httpx.get(f"{live_url}/api/kb").json()
    expect(page.locator("#kb-updated")).to_have_text(info["message"])
    expect(page.locator("#kb-updated")).to_be_visible()
    reply = ask(page, "What did animal studies find about mitragynine and anxiety?")
    reply.locator("button.cite").first.click()
    expect(page.locator("#source-panel")).to_have_attribute("data-state", "ready")
    # Every fixture entry was last reviewed on 2026-11-22.
    expect(page.locator("#source-reviewed")).to_have_text("Last reviewed by our editors: 22 November 2026")
    screenshot(page, "source-panel-last-reviewed")
