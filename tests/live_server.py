"""The real app served by uvicorn on a loopback port, in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import uvicorn
from fastapi import FastAPI

STARTUP_TIMEOUT_S = 60.0   # the engine is built before the thread starts, so this is only uvicorn


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


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve `app` on a free loopback port; yields its base URL."""
    # Binding port 0 ourselves and handing uvicorn the socket avoids a pick-a-free-port race.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = _ThreadedServer(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = server.start(sock)
    try:
        _wait_healthy(url, thread)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
