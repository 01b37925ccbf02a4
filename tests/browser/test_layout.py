"""Narrow screens, and the README screenshot."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.pages import ask, expect_source_loaded, has_horizontal_scroll, screenshot

PHONE = {"width": 360, "height": 740}
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot-chat.png"


def test_360px_wide_has_no_horizontal_scroll_and_a_bottom_sheet(open_chat: Callable[..., Page]) -> None:
    page = open_chat(PHONE)
    screenshot(page, "phone-welcome")
    assert not has_horizontal_scroll(page)
    reply = ask(page, "Does kratom help depression?")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "phone-answer")

    reply.locator("button.cite").first.click()
    panel = page.locator("#source-panel")
    expect_source_loaded(page)
    box = panel.bounding_box()
    assert box is not None
    assert box["x"] == 0 and box["width"] == PHONE["width"], "a full-width sheet"
    assert abs(box["y"] + box["height"] - PHONE["height"]) < 1, "anchored to the bottom"
    assert page.evaluate("() => document.getElementById('main').inert"), "the chat behind the sheet takes no focus"
    assert not has_horizontal_scroll(page)
    screenshot(page, "phone-source-sheet")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    assert not page.evaluate("() => document.getElementById('main').inert")

    ask(page, "I want to kill myself")
    assert not has_horizontal_scroll(page)
    screenshot(page, "phone-crisis")


def test_readme_screenshot(open_chat: Callable[..., Page]) -> None:
    """A cited answer with its source open. With KBCHAT_DOCS_URL set to a running service (the real
    KB), the picture is taken there and copied to docs/; otherwise the fixture KB is shown."""
    docs_url = os.environ.get("KBCHAT_DOCS_URL")
    page = open_chat(base_url=docs_url) if docs_url else open_chat()
    screenshot(page, "welcome")
    reply = ask(page, "Does kratom help depression?")
    reply.locator("button.cite").first.click()
    expect_source_loaded(page)
    page.evaluate("() => document.activeElement.blur()")  # no focus ring in the picture
    path = screenshot(page, "readme-chat")
    if docs_url:
        DOCS_SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(path, DOCS_SCREENSHOT)
