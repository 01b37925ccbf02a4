"""Small helpers the browser tests share: asking a question, waiting for the reply, screenshots."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"  # git-ignored
POLL_MS = 50
WAIT_MS = 20_000
FINISHED_REPLY = "#transcript .reply:not(.reply-streaming):not(.reply-error)"


def replies(page: Page) -> Locator:
    """Finished assistant replies (not the one streaming in, not error notices)."""
    return page.locator(FINISHED_REPLY)


def ask(page: Page, question: str) -> Locator:
    """Type a question, send it with Enter, and return its finished reply."""
    before = replies(page).count()
    page.fill("#question", question)
    page.press("#question", "Enter")
    return wait_for_reply(page, before)


def wait_for_reply(page: Page, before: int) -> Locator:
    reply = replies(page).nth(before)
    reply.wait_for()
    expect(page.locator("#send")).to_be_enabled()
    return reply


def expect_source_loaded(page: Page) -> None:
    """The source panel shows the entry's full text with the cited sentence marked."""
    expect(page.locator("#source-panel")).to_have_attribute("data-state", "ready")
    expect(page.locator("#source-text mark")).to_be_visible()


def stored_turns(page: Page) -> list[dict[str, Any]]:
    """The conversation as the page keeps it in sessionStorage."""
    raw = page.evaluate("() => sessionStorage.getItem('kbchat.conversation.v1')")
    return json.loads(raw)["turns"] if raw else []  # type: ignore[no-any-return]


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=path)
    return path


def has_horizontal_scroll(page: Page) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth > document.documentElement.clientWidth"))


def wait_until(page: Page, condition: Callable[[], bool], timeout_ms: int = WAIT_MS) -> None:
    """Poll a Python-side condition (e.g. a route handler has run) while Playwright dispatches events."""
    for _ in range(timeout_ms // POLL_MS):
        if condition():
            return
        page.wait_for_timeout(POLL_MS)
    raise AssertionError(f"condition not met within {timeout_ms} ms")
