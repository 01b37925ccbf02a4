"""User and knowledge-base text is shown as text: it can never become markup, script or a link."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import Dialog, Page, Route, expect

from tests.browser.pages import ask, screenshot

PAYLOAD = "<img src=x onerror=alert(1)>"


def _watch_dialogs(page: Page) -> list[str]:
    fired: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        fired.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return fired


def test_markup_typed_as_a_message_is_shown_literally_and_runs_nothing(chat_page: Page) -> None:
    page = chat_page
    dialogs = _watch_dialogs(page)
    ask(page, PAYLOAD)
    expect(page.locator(".msg-user .user-bubble")).to_have_text([PAYLOAD])
    expect(page.locator("#transcript img")).to_have_count(0)
    assert page.evaluate("() => document.images.length") == 0
    assert dialogs == []
    screenshot(page, "markup-as-text")


def _hostile_reply() -> dict[str, Any]:
    """A reply whose every text field carries markup, and whose links use javascript: URLs."""
    citation = {"n": 1, "id": "no-such-entry", "title": "<img src=x onerror=alert(3)>Title",
                "authors": "<i>Someone</i>", "year": 2020, "journal": "<b>J</b>", "design": "Survey",
                "url": "javascript:alert(4)", "quote": "<script>alert(5)</script>", "via": None}
    sentence = {"text": "Claim <script>alert(1)</script><b>bold</b>.", "citations": [1],
                "evidence": ["<img src=x onerror=alert(2)>"]}
    return {"route": "answer", "abstained": False, "answer": sentence["text"], "sentences": [sentence],
            "citations": [citation], "suggestions": ["<img src=x onerror=alert(6)>"],
            "resources": [{"label": "<b>Help</b>", "value": "x", "href": "javascript:alert(7)"}],
            "index_version": "test", "mode": "extractive"}


def _sse(reply: dict[str, Any]) -> str:
    by_n = {c["n"]: c for c in reply["citations"]}
    events = [
        "event: sentence\ndata: "
        f"{json.dumps({'index': i, **s, 'citation_details': [by_n[n] for n in s['citations']]})}\n\n"
        for i, s in enumerate(reply["sentences"])
    ]
    return "".join(events) + f"event: done\ndata: {json.dumps(reply)}\n\n"


def test_markup_and_script_urls_in_knowledge_base_text_stay_inert(chat_page: Page) -> None:
    page = chat_page
    dialogs = _watch_dialogs(page)
    reply = _hostile_reply()

    def fulfil(route: Route) -> None:
        route.fulfill(status=200, content_type="text/event-stream", body=_sse(reply))

    page.route("**/api/chat", fulfil)
    shown = ask(page, "Does kratom help depression?")
    expect(shown.locator(".sentence")).to_contain_text("Claim <script>alert(1)</script><b>bold</b>.")
    expect(shown.locator(".chip")).to_have_text(["<img src=x onerror=alert(6)>"])
    shown.locator("button.cite").click()
    expect(page.locator("#source-title")).to_have_text("<img src=x onerror=alert(3)>Title")
    expect(page.locator("#source-text mark")).to_have_text("<script>alert(5)</script>")
    expect(page.locator("#source-panel")).to_have_attribute("data-state", "error")  # the id does not exist
    expect(page.locator("#source-status")).to_contain_text("could not be loaded")

    assert page.evaluate("() => document.querySelectorAll("
                         "'#transcript img, #transcript script, #transcript b, #source-panel img').length") == 0
    assert page.evaluate("() => [...document.querySelectorAll('a')]"
                         ".filter(a => a.href.startsWith('javascript:')).length") == 0
    assert dialogs == []
