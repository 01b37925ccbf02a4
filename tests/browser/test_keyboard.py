"""Keyboard-only use, focus handling, labels and the live region."""

from __future__ import annotations

from playwright.sync_api import Page, Route, expect

from tests.browser.pages import expect_source_loaded, replies, screenshot, wait_for_reply, wait_until

MAX_TABS = 40  # more stops than the page has: a loop that never lands is a failure, not a hang


def _tab_until(page: Page, test: str, key: str = "Tab") -> None:
    """Press Tab (or Shift+Tab) until the focused element passes the JS predicate `test`."""
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if page.evaluate(f"() => {{ const el = document.activeElement; return Boolean(el && ({test})); }}"):
            return
    raise AssertionError(f"{key} never reached an element where {test}")


def test_keyboard_only_ask_read_sources_and_come_back(chat_page: Page) -> None:
    page = chat_page
    _tab_until(page, "el.id === 'question'")
    page.keyboard.type("Does kratom help")
    page.keyboard.press("Shift+Enter")
    expect(page.locator("#question")).to_have_value("Does kratom help\n")
    expect(page.locator(".msg-user")).to_have_count(0)  # Shift+Enter is a new line, not a send
    page.keyboard.press("Backspace")
    page.keyboard.type(" depression?")
    page.keyboard.press("Enter")
    wait_for_reply(page, 0)
    expect(page.locator("#question")).to_have_value("")
    expect(page.locator("#announcer")).to_have_attribute("aria-live", "polite")
    expect(page.locator("#announcer")).to_contain_text("Assistant: ")

    # The transcript sits above the question box, so its buttons are reached with Shift+Tab.
    _tab_until(page, "el.classList.contains('cite')", key="Shift+Tab")
    opener = page.evaluate_handle("() => document.activeElement")
    assert page.evaluate("el => getComputedStyle(el).outlineStyle", opener) != "none", "focus must be visible"
    screenshot(page, "keyboard-focus-on-citation")

    page.keyboard.press("Enter")
    expect(page.locator("#source-panel")).to_be_visible()
    expect(page.locator("#source-title")).to_be_focused()
    expect_source_loaded(page)
    page.keyboard.press("Escape")
    expect(page.locator("#source-panel")).to_be_hidden()
    assert page.evaluate("el => document.activeElement === el", opener), "focus returns to the citation button"


def test_controls_are_labelled_and_the_box_enforces_the_length_limit(chat_page: Page) -> None:
    page = chat_page
    box = page.get_by_label("Your question")
    expect(box).to_have_attribute("maxlength", "2000")
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    expect(page.get_by_role("button", name="New conversation")).to_be_visible()
    expect(page.get_by_text("Information from research, not medical advice.")).to_be_visible()
    box.fill("x" * 2100)  # typing or pasting past the limit is cut at 2000
    expect(page.locator("#char-count")).to_have_text("2000 / 2000 characters")
    assert len(box.input_value()) == 2000
    box.fill("Hello")
    expect(page.locator("#char-count")).to_have_text("5 / 2000 characters")


def test_typing_indicator_shows_while_waiting(chat_page: Page) -> None:
    page = chat_page
    # Hold the request so the waiting state can be seen, then let it through.
    held: list[Route] = []
    page.route("**/api/chat", lambda route: held.append(route))
    page.fill("#question", "Does kratom help depression?")
    page.press("#question", "Enter")
    expect(page.locator(".typing")).to_be_visible()
    expect(page.locator("#send")).to_be_disabled()
    wait_until(page, lambda: bool(held))
    held[0].continue_()
    wait_for_reply(page, 0)
    expect(page.locator(".typing")).to_have_count(0)
    expect(replies(page)).to_have_count(1)
