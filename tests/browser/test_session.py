"""The conversation across requests and reloads, and what happens when the service fails."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.pages import ask, expect_source_loaded, replies, screenshot, stored_turns, wait_for_reply

QUESTION = "Does kratom help depression?"


def test_follow_up_sends_the_conversation_and_reload_keeps_it(chat_page: Page) -> None:
    page = chat_page
    ask(page, QUESTION)
    first_answer = stored_turns(page)[-1]["reply"]["answer"]
    with page.expect_request("**/api/chat") as request:
        ask(page, "What about anxiety?")
    assert request.value.post_data_json == {"stream": True, "messages": [
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": first_answer},
        {"role": "user", "content": "What about anxiety?"},
    ]}
    before = page.locator("#transcript").inner_text()

    page.reload()
    expect(replies(page)).to_have_count(2)
    expect(page.locator("#welcome")).to_be_hidden()
    assert page.locator("#transcript").inner_text() == before
    # Restored replies are fully working, not pictures of the old ones.
    replies(page).first.locator("button.cite").first.click()
    expect_source_loaded(page)
    screenshot(page, "restored-after-reload")


def test_new_conversation_clears_the_transcript_and_storage(chat_page: Page) -> None:
    page = chat_page
    ask(page, QUESTION)
    page.get_by_role("button", name="New conversation").click()
    expect(page.locator("#transcript > li")).to_have_count(0)
    expect(page.locator("#welcome")).to_be_visible()
    expect(page.locator("#question")).to_be_focused()
    page.reload()
    expect(page.locator("#welcome")).to_be_visible()
    expect(page.locator("#transcript > li")).to_have_count(0)


def _stored_exchange(i: int) -> list[dict[str, Any]]:
    reply = {"route": "answer", "abstained": False, "answer": f"Answer {i}.", "citations": [], "suggestions": [],
             "resources": [], "sentences": [{"text": f"Answer {i}.", "citations": [], "evidence": []}]}
    return [{"role": "user", "text": f"Question {i}?"}, {"role": "assistant", "reply": reply}]


def test_only_the_last_twenty_messages_are_sent(chat_page: Page) -> None:
    page = chat_page
    turns = [turn for i in range(15) for turn in _stored_exchange(i)]
    page.evaluate("t => sessionStorage.setItem('kbchat.conversation.v1', JSON.stringify({turns: t}))", turns)
    page.reload()
    expect(replies(page)).to_have_count(15)
    with page.expect_request("**/api/chat") as request:
        ask(page, QUESTION)
    messages = request.value.post_data_json["messages"]
    assert len(messages) == 20, "the server rejects longer conversations"
    assert messages[-1] == {"role": "user", "content": QUESTION}
    assert messages[0] == {"role": "assistant", "content": "Answer 5."}


def test_network_failure_keeps_the_question_and_retry_answers_it(chat_page: Page) -> None:
    page = chat_page
    sent: list[Any] = []

    def fail_first(route: Route) -> None:
        sent.append(route.request.post_data_json)
        if len(sent) == 1:
            route.abort()
        else:
            route.continue_()

    page.route("**/api/chat", fail_first)
    page.fill("#question", QUESTION)
    page.press("#question", "Enter")
    error = page.locator(".reply-error")
    expect(error).to_contain_text("Could not reach the service")
    expect(page.locator(".msg-user .user-bubble")).to_have_text([QUESTION])
    expect(page.locator("#question")).to_have_value(QUESTION)  # put back, ready to send again
    expect(page.locator("#announcer")).to_contain_text("Could not reach the service")
    screenshot(page, "network-error")

    error.get_by_role("button", name="Retry").click()
    reply = wait_for_reply(page, 0)
    expect(reply).to_have_attribute("data-route", "answer")
    expect(page.locator(".reply-error")).to_have_count(0)
    expect(page.locator(".msg-user .user-bubble")).to_have_text([QUESTION])
    expect(page.locator("#question")).to_have_value("")
    assert sent[1]["messages"] == [{"role": "user", "content": QUESTION}]


@pytest.mark.parametrize(
    ("status", "detail", "shown", "resend"),
    [
        (422, "messages.0.content: message is empty: type a question", "message is empty: type a question", "retry"),
        (503, "the service could not answer just now; please try again", "could not answer just now", "enter"),
    ],
)
def test_http_errors_show_the_reason_and_the_question_can_be_sent_again(
    chat_page: Page, status: int, detail: str, shown: str, resend: str
) -> None:
    page = chat_page
    calls: list[int] = []

    def fail_first(route: Route) -> None:
        calls.append(1)
        if len(calls) == 1:
            route.fulfill(status=status, content_type="application/json", body=json.dumps({"detail": detail}))
        else:
            route.continue_()

    page.route("**/api/chat", fail_first)
    page.fill("#question", QUESTION)
    page.press("#question", "Enter")
    expect(page.locator(".reply-error")).to_contain_text(shown)
    screenshot(page, f"error-{status}")

    if resend == "retry":
        page.get_by_role("button", name="Retry").click()
    else:
        page.press("#question", "Enter")  # the question was put back in the box
    wait_for_reply(page, 0)
    expect(page.locator(".reply-error")).to_have_count(0)
    expect(page.locator(".msg-user .user-bubble")).to_have_text([QUESTION])
    assert [t["role"] for t in stored_turns(page)] == ["user", "assistant"]
