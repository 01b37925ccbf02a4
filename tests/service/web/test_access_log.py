"""One JSON line per request, with what an operator needs and nothing the user wrote."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

from kbchat.service.web import access_log
from kbchat.service.web.api import create_app

SECRET = "my name is Zebulon Quartermaine and I take kratom for my anxiety"


def test_a_chat_request_is_logged_without_its_text(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="kbchat.access")
    response = client.post("/api/chat", json={"messages": [{"role": "user", "content": SECRET}]},
                           headers={"X-Request-ID": "trace-42"})
    assert response.status_code == 200 and response.headers["X-Request-ID"] == "trace-42"
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "kbchat.access"]
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == "trace-42" and line["path"] == "/api/chat" and line["status"] == 200
    assert line["route"] == response.json()["route"] and line["index_version"] and line["latency_ms"] > 0
    everything = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert "Zebulon" not in everything and "anxiety" not in everything


def test_a_refused_request_is_logged_too_and_gets_a_fresh_id(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="kbchat.access")
    response = client.post("/api/chat", json={"messages": []}, headers={"X-Request-ID": "bad id with spaces"})
    assert response.status_code == 422
    [line] = [json.loads(r.getMessage()) for r in caplog.records if r.name == "kbchat.access"]
    assert line["status"] == 422 and line["request_id"] != "bad id with spaces" and len(line["request_id"]) == 32
    assert "route" not in line


def test_an_unexpected_error_is_logged_by_name_and_answered_503(
    client: TestClient, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError(SECRET)

    monkeypatch.setattr("kbchat.service.web.api.respond", broken)
    caplog.set_level(logging.INFO)
    response = client.post("/api/chat", json={"messages": [{"role": "user", "content": "hello"}]})
    assert response.status_code == 503 and response.headers["Retry-After"]
    [line] = [json.loads(r.getMessage()) for r in caplog.records if r.name == "kbchat.access"]
    assert line["error"] == "RuntimeError" and line["status"] == 503
    [error] = [r for r in caplog.records if r.name == "kbchat.errors"]
    assert "RuntimeError" in error.getMessage() and "api.py" in error.getMessage(), "type and stack are kept"
    assert "Zebulon" not in caplog.text, "the exception's message (which quotes the user) is withheld"


def test_the_message_is_logged_only_when_opted_in(engine, caplog: pytest.LogCaptureFixture,  # type: ignore[no-untyped-def]
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """KBCHAT_LOG_MESSAGE_TEXT=true (debugging) puts the last user message in the access line and
    exception messages in the error log; the default client above proves neither happens without it."""
    def broken(*_args: object) -> None:
        raise RuntimeError(SECRET)

    app = create_app(engine.settings.model_copy(update={"log_message_text": True}), lambda: engine)
    caplog.set_level(logging.INFO)
    with TestClient(app, raise_server_exceptions=False) as debug_client:
        debug_client.post("/api/chat", json={"messages": [{"role": "user", "content": SECRET}]})
        monkeypatch.setattr("kbchat.service.web.api.respond", broken)
        debug_client.post("/api/chat", json={"messages": [{"role": "user", "content": "hello"}]})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "kbchat.access"]
    assert lines[0]["message"] == SECRET and lines[1]["message"] == "hello"
    assert any(SECRET in r.getMessage() for r in caplog.records if r.name == "kbchat.errors")


def test_uvicorn_error_log_withholds_exception_messages(caplog: pytest.LogCaptureFixture) -> None:
    """An error that escapes the app reaches uvicorn's own log; `configure` makes it withhold messages."""
    access_log.configure()
    caplog.set_level(logging.ERROR, logger="uvicorn.error")
    try:
        raise ValueError(SECRET)
    except ValueError as exc:
        logging.getLogger("uvicorn.error").error("Exception in ASGI application\n", exc_info=exc)
    assert "ValueError" in caplog.text and "Zebulon" not in caplog.text
