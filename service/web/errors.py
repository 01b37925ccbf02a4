"""Errors at the HTTP edge: each said once, in the shape its API uses, and logged without user text.

`/api/*` answers `{"detail": "..."}` (FastAPI's shape); `/v1/*` answers OpenAI's
`{"error": {"message", "type", "param", "code"}}`, which its SDKs read. Every unexpected error
becomes a 503 with `Retry-After` inside the app, so it never reaches uvicorn's own error log.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kbchat.ingest.index.store import IndexUnavailable
from kbchat.service.web.redact import describe

log = logging.getLogger("kbchat.errors")
OPENAI_PREFIX = "/v1/"
# About one index-reload interval: a restarting Chroma server or a busy worker is usually back by then.
RETRY_AFTER_S = 5
UNAVAILABLE = "the knowledge base cannot be reached just now; try again in a few seconds"
UNEXPECTED = "the service could not answer just now; please try again"
# OpenAI's error types, by status (what its SDKs and front ends expect).
OPENAI_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
                404: "invalid_request_error", 413: "invalid_request_error", 429: "rate_limit_exceeded"}


def error_body(path: str, status: int, message: str, code: str | None = None) -> dict[str, Any]:
    if path.startswith(OPENAI_PREFIX):
        kind = OPENAI_TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
        return {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return {"detail": message}


def error_response(path: str, status: int, message: str, headers: dict[str, str] | None = None,
                   code: str | None = None) -> JSONResponse:
    return JSONResponse(error_body(path, status, message, code), status_code=status, headers=headers)


def readable(errors: list[Any]) -> str:
    """Pydantic's validation errors as one sentence a person can act on."""
    parts = []
    for err in errors:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        message = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
        if err.get("type") == "json_invalid":
            message = "the request body is not valid JSON"
        elif err.get("type") == "missing":
            message = f"field {where or 'body'} is required"
        elif err.get("type") == "literal_error" and where.endswith("role"):
            message = "each message's role must be " + str(err.get("ctx", {}).get("expected", "'user' or 'assistant'"))
        parts.append(f"{where}: {message}" if where and err.get("type") not in ("missing", "json_invalid") else message)
    return "; ".join(parts) or "invalid request"


def install(app: FastAPI, keep_text: bool) -> None:
    """The exception handlers, and the innermost middleware that turns any other error into a 503."""

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        path = request.url.path
        # OpenAI answers a bad request with 400; kbchat's own API has always said 422.
        status = 400 if path.startswith(OPENAI_PREFIX) else 422
        return error_response(path, status, readable(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = getattr(exc, "code", None)
        return error_response(request.url.path, exc.status_code, str(exc.detail), dict(exc.headers or {}), code)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Only an error inside a middleware gets here (the middleware below catches the rest);
        # Starlette re-raises it afterwards, to uvicorn's log, which withholds messages (access_log.configure).
        log.error("unexpected %s on %s\n%s", type(exc).__name__, request.url.path, describe(exc, keep_text))
        return error_response(request.url.path, 503, UNEXPECTED, {"Retry-After": str(RETRY_AFTER_S)})

    @app.middleware("http")
    async def errors_to_503(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        try:
            return await call_next(request)
        except IndexUnavailable as exc:  # its message names the server, never the question
            log.warning("%s on %s: %s", type(exc).__name__, request.url.path, exc)
            _note(request, type(exc).__name__)
            return error_response(request.url.path, 503, UNAVAILABLE, {"Retry-After": str(RETRY_AFTER_S)},
                                  "index_unavailable")
        except Exception as exc:
            log.error("unexpected %s on %s\n%s", type(exc).__name__, request.url.path, describe(exc, keep_text))
            _note(request, type(exc).__name__)
            return error_response(request.url.path, 503, UNEXPECTED, {"Retry-After": str(RETRY_AFTER_S)})


class CodedHTTPException(StarletteHTTPException):
    """An HTTPException that also carries a machine-readable code (OpenAI's `error.code`)."""

    def __init__(self, status_code: int, detail: str, code: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status_code, detail, headers)
        self.code = code


def _note(request: Request, error: str) -> None:
    """Tell the access log and the metrics which error it was (service/web/access_log.py)."""
    fields = getattr(request.state, "log", None)
    if isinstance(fields, dict):
        fields["error"] = error
