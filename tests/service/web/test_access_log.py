"""One JSON line per request, with what an operator needs and nothing the user wrote."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

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
    caplog.set_level(logging.INFO, logger="kbchat.access")
    response = client.post("/api/chat", json={"messages": [{"role": "user", "content": "hello"}]})
    assert response.status_code == 503
    [line] = [json.loads(r.getMessage()) for r in caplog.records if r.name == "kbchat.access"]
    assert line["error"] == "RuntimeError" and "status" not in line
    assert "Zebulon" not in "".join(r.getMessage() for r in caplog.records if r.name == "kbchat.access")
