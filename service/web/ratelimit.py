"""Limits checked before any model work: the body's size (413) and each client's chat rate (429).

The rate is counted per client address with the `limits` package (a moving window). Behind a
reverse proxy, uvicorn takes the client address from `X-Forwarded-For` only when the proxy is in
`FORWARDED_ALLOW_IPS` (uvicorn's setting; loopback by default).
"""

from __future__ import annotations

import json
import math
import time
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kbchat.core.config import Settings
from kbchat.service.web.errors import CodedHTTPException, error_body

if TYPE_CHECKING:
    from limits import RateLimitItem
    from limits.strategies import RateLimiter

BODY_METHODS = {"POST", "PUT", "PATCH"}


class BodyLimit:
    """Refuse a body over `max_bytes` with 413 before it is parsed, whether or not it declares its
    length: the body is read (up to the limit) here and replayed to the app."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, send)
            return
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(scope, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        await self.app(scope, _replay(b"".join(chunks), receive), send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        message = (f"the request body is larger than {self.max_bytes} bytes; "
                   "send a shorter conversation (start a new one)")
        body = json.dumps(error_body(scope["path"], 413, message)).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect, as the server would

    return replay


class ChatRateLimit:
    """Each client's chat requests against `KBCHAT_RATE_LIMIT`; None when the limit is off."""

    def __init__(self, items: list[RateLimitItem], limiter: RateLimiter) -> None:
        self.items = items
        self.limiter = limiter

    @classmethod
    def from_settings(cls, settings: Settings) -> ChatRateLimit | None:
        if settings.rate_limit is None:
            return None
        from limits import parse_many
        from limits.storage import storage_from_string
        from limits.strategies import MovingWindowRateLimiter

        return cls(parse_many(settings.rate_limit),
                   MovingWindowRateLimiter(storage_from_string(settings.rate_limit_storage)))

    def wait_s(self, client: str) -> int | None:
        """Seconds until `client` may send again, or None when this request is within the limit (and counted)."""
        for item in self.items:  # `hit` tests and counts in one step, so concurrent requests cannot overshoot
            if not self.limiter.hit(item, "chat", client):
                reset = self.limiter.get_window_stats(item, "chat", client).reset_time
                return max(1, math.ceil(reset - time.time()))
        return None


def limit_chat(request: Request) -> None:
    """Dependency of the chat routes: 429 with Retry-After once a client is over the limit."""
    rate: ChatRateLimit | None = request.app.state.rate_limit
    if rate is None:
        return
    client = request.client.host if request.client else "unknown"
    wait = rate.wait_s(client)
    if wait is not None:
        raise CodedHTTPException(429, f"too many questions from this address; try again in {wait} s",
                                 "rate_limit_exceeded", {"Retry-After": str(wait)})


def install(app: FastAPI, settings: Settings) -> None:
    app.state.rate_limit = ChatRateLimit.from_settings(settings)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
