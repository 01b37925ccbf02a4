"""The real service on a loopback port and a real Chromium, shared by the browser tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, ViewportSize, sync_playwright

from kbchat.service.answer.engine import Engine
from kbchat.service.web.api import create_app

CHROMIUM = "/usr/bin/chromium"  # Debian's build; `playwright install` is never run here
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
STARTUP_TIMEOUT_S = 60.0   # the engine is built before the thread starts, so this is only uvicorn
UI_TIMEOUT_MS = 20_000     # generous: an answer embeds the question on a shared CPU


class _ThreadedServer(uvicorn.Server):
    """uvicorn in a background thread; it skips signal handlers off the main thread by itself."""

    def start(self, sock: socket.socket) -> threading.Thread:
        thread = threading.Thread(target=self.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        return thread


def _wait_healthy(url: str, thread: threading.Thread) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("the web test server thread stopped during start-up")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the web test server at {url} did not answer /healthz within {STARTUP_TIMEOUT_S}s")


@pytest.fixture(scope="session")
def live_url(engine: Engine) -> Iterator[str]:
    """Base URL of the real app, on the session's real index of the fixture KB."""
    app = create_app(engine.settings, lambda: engine)
    # Binding port 0 ourselves and handing uvicorn the socket avoids a pick-a-free-port race.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = _ThreadedServer(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = server.start(sock)
    _wait_healthy(url, thread)
    yield url
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


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
