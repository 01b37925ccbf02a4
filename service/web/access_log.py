"""One structured log line per request, and never what the user wrote.

Messages to this service are health data. The access log records a request id (also returned as
`X-Request-ID`), method, path, status, latency, and for chat the route, whether it abstained and
the index version: enough to operate the service and trace a complaint, nothing a reader typed.
Handlers put what they know in `request.state.log` (the chat fields, an error's name, the user's
last message); this module writes only the fields it names, and the message only when
`KBCHAT_LOG_MESSAGE_TEXT=true` (debugging). The metrics read the same fields (metrics.py).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response

from kbchat.service.web.redact import withhold_in

log = logging.getLogger("kbchat.access")
# A caller may pass its own request id (a proxy's); anything else gets a fresh one.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# What a handler may add to its line through `request.state.log` (never free text).
CHAT_FIELDS = ("route", "abstained", "index_version", "mode", "error")
MESSAGE_FIELD = "message"  # the user's last message: written only when keep_text is on


def install(app: FastAPI, keep_text: bool = False) -> None:
    @app.middleware("http")
    async def access_log(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        incoming = request.headers.get("x-request-id", "")
        request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.state.log = {}
        started = time.perf_counter()
        # An unhandled error has no status here: the app's error handler (api.py) answers it outside
        # this middleware, so the line names the error instead of guessing the status.
        outcome: dict[str, Any] = {}
        try:
            response = await call_next(request)
            outcome["status"] = response.status_code
            response.headers["X-Request-ID"] = request_id
            return response
        except Exception as exc:
            outcome["error"] = type(exc).__name__
            raise
        finally:
            line: dict[str, Any] = {
                "request_id": request_id, "method": request.method, "path": request.url.path, **outcome,
                "latency_ms": round((time.perf_counter() - started) * 1000, 2),
            }
            fields = CHAT_FIELDS + ((MESSAGE_FIELD,) if keep_text else ())
            line.update({k: v for k, v in request.state.log.items() if k in fields})
            log.info(json.dumps(line))


def configure(keep_text: bool = False) -> None:
    """JSON lines on stderr for the access log, once per process (`kbchat serve` and its workers);
    uvicorn's own error log withholds exception messages unless `keep_text`."""
    if not keep_text:
        withhold_in("uvicorn.error")
    errors = logging.getLogger("kbchat.errors")
    if not errors.handlers:  # errors go to stderr as plain text, beside the access lines
        errors.addHandler(logging.StreamHandler(sys.stderr))
        errors.setLevel(logging.WARNING)
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
