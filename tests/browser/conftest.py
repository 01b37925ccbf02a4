"""A real Chromium on the real service (the session's `live_url`, tests/conftest.py), shared by the browser tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, ViewportSize, sync_playwright

CHROMIUM = "/usr/bin/chromium"  # Debian's build; `playwright install` is never run here
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
UI_TIMEOUT_MS = 20_000     # generous: an answer embeds the question on a shared CPU


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser_instance(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture()
def open_chat(browser_instance: Browser, live_url: str) -> Iterator[Callable[..., Page]]:
    """Opens the chat page in a fresh context (own sessionStorage); fails the test on script errors."""
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def open_page(viewport: ViewportSize = DESKTOP, base_url: str = live_url) -> Page:
        context = browser_instance.new_context(viewport=viewport, base_url=base_url)
        context.set_default_timeout(UI_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        # A CSP violation means the page relies on something inline or third-party.
        page.on("console", lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None)
        page.goto("/")
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, f"the page reported problems: {problems}"


@pytest.fixture()
def chat_page(open_chat: Callable[..., Page]) -> Page:
    """The chat page at desktop size."""
    return open_chat()
