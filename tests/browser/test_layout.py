"""Narrow screens, and the README screenshot."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Locator, Page, Route, expect

from tests.browser.pages import (
    ask,
    expect_source_loaded,
    has_horizontal_scroll,
    screenshot,
    stored_turns,
    wait_until,
)

PHONE = {"width": 360, "height": 740}
PHONE_390 = {"width": 390, "height": 844}  # a common phone (iPhone 12-15): the sheet needs scrolling here
# Where the highlighted sentence is, against the sheet's scrolling body (#source-body) and the screen.
MARK_GEOMETRY = """() => {
  const body = document.getElementById('source-body').getBoundingClientRect();
  const mark = document.querySelector('#source-text mark').getBoundingClientRect();
  const scroller = document.getElementById('source-body');
  return {bodyTop: body.top, bodyBottom: body.bottom, markTop: mark.top, markBottom: mark.bottom,
          overflows: scroller.scrollHeight > scroller.clientHeight, screen: window.innerHeight};
}"""
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


def expect_mark_in_view(page: Page) -> None:
    box = page.evaluate(MARK_GEOMETRY)
    assert box["overflows"], "the entry must be longer than the sheet, or this proves nothing"
    # Within a pixel: scroll offsets are whole pixels, the layout is not.
    assert box["bodyTop"] - 1 <= box["markTop"] and box["markBottom"] <= box["bodyBottom"] + 1, box
    assert box["bodyBottom"] <= box["screen"], box


def is_focused(page: Page, button: Locator) -> bool:
    return bool(button.evaluate("el => document.activeElement === el"))


def test_390px_sheet_opens_at_the_highlighted_sentence_closes_and_returns_focus(
    open_chat: Callable[..., Page],
) -> None:
    page = open_chat(PHONE_390)
    reply = ask(page, "Does kratom help depression?")
    citations = stored_turns(page)[-1]["reply"]["citations"]
    via = next(c for c in citations if c["via"])  # its panel also loads the citing summary's title
    button = reply.get_by_role("button", name=re.compile(rf"^Source {via['n']}\b")).first
    # The summary's title arrives after the full text (as on a slow network), and, being longer than
    # its id, pushes the text down: the highlighted sentence must still be in view afterwards.
    held: list[Route] = []
    page.route(f"**/api/sources/{via['via']}", lambda route: held.append(route))
    button.click()
    panel = page.locator("#source-panel")
    expect_source_loaded(page)
    wait_until(page, lambda: bool(held))
    held[0].continue_()
    page.unroute(f"**/api/sources/{via['via']}")
    expect(page.locator("#source-via")).not_to_contain_text(via["via"])  # the title replaced the id
    expect(panel.locator("#source-text mark")).to_have_text([via["quote"]])
    expect_mark_in_view(page)
    assert page.evaluate("() => document.getElementById('main').inert"), "the chat behind the sheet takes no focus"
    screenshot(page, "phone-390-source-sheet")

    page.locator("#source-close").click()
    expect(panel).to_be_hidden()
    assert is_focused(page, button), "focus returns to the citation that opened the sheet"
    assert not page.evaluate("() => document.getElementById('main').inert")

    # Again from the keyboard, closed with Escape, after the sheet was scrolled the first time.
    page.keyboard.press("Enter")
    expect_source_loaded(page)
    expect(page.locator("#source-via")).not_to_contain_text(via["via"])
    expect_mark_in_view(page)
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    assert is_focused(page, button)


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
