"""Limits checked before any model work: the body's size (413) and each client's chat rate (429).

Every other test runs with the rate limit off (tests/helpers.py); these turn it on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kbchat.core.config import Settings
from kbchat.service.answer.engine import Engine
from kbchat.service.web.api import create_app

QUESTION = {"messages": [{"role": "user", "content": "What is kratom?"}]}
V1_QUESTION = {"model": "kbchat", **QUESTION}


@pytest.fixture
def limited(engine: Engine) -> Iterator[TestClient]:
    """The real app with 3 chat requests a minute per client."""
    app = create_app(engine.settings.model_copy(update={"rate_limit": "3/minute"}), lambda: engine)
    with TestClient(app, raise_server_exceptions=False, client=("203.0.113.7", 50000)) as client:
        yield client


def model_calls(engine: Engine) -> int:
    return engine.queries.stats.batches


def test_the_limit_is_on_by_default_and_off_in_tests(engine: Engine) -> None:
    assert Settings().rate_limit == "60/minute"
    assert Settings(rate_limit="off").rate_limit is None
    assert engine.settings.rate_limit is None


def test_over_the_limit_gets_429_with_retry_after_and_no_model_work(limited: TestClient, engine: Engine) -> None:
    for _ in range(3):
        assert limited.post("/api/chat", json=QUESTION).status_code == 200
    before = model_calls(engine)
    refused = limited.post("/api/chat", json=QUESTION)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "too many questions" in refused.json()["detail"]
    assert model_calls(engine) == before, "a refused request never reaches the model"
    # Both chat APIs share the count; the OpenAI one answers in its own error shape.
    v1 = limited.post("/v1/chat/completions", json=V1_QUESTION)
    assert v1.status_code == 429 and v1.headers["Retry-After"]
    assert v1.json()["error"]["code"] == "rate_limit_exceeded"
    # Only chat is limited: sources, health and the page still answer.
    assert limited.get("/api/sources/hazim-2014-anxiolytic").status_code == 200
    assert limited.get("/readyz").status_code == 200


def test_the_limit_is_per_client(engine: Engine) -> None:
    app = create_app(engine.settings.model_copy(update={"rate_limit": "1/minute"}), lambda: engine)
    with TestClient(app, client=("198.51.100.1", 1)) as first, TestClient(app, client=("198.51.100.2", 1)) as second:
        assert first.post("/api/chat", json=QUESTION).status_code == 200
        assert first.post("/api/chat", json=QUESTION).status_code == 429
        assert second.post("/api/chat", json=QUESTION).status_code == 200


def test_an_oversized_body_gets_413_before_it_is_parsed(client: TestClient, engine: Engine) -> None:
    limit = engine.settings.max_body_bytes
    before = model_calls(engine)
    declared = client.post("/api/chat", content=b"{" + b" " * limit + b"}",
                           headers={"Content-Type": "application/json"})
    assert declared.status_code == 413 and str(limit) in declared.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit counts what arrives
        yield b'{"messages": [{"role": "user", "content": "'
        for _ in range(limit // 1000 + 1):
            yield b"a" * 1000
        yield b'"}]}'

    streamed = client.post("/v1/chat/completions", content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413 and "larger than" in streamed.json()["error"]["message"]
    assert model_calls(engine) == before


def test_the_largest_valid_conversation_fits_under_the_body_limit(client: TestClient) -> None:
    """20 messages of 2,000 emoji, each sent as a 12-byte JSON escape, are still accepted (here they
    get a 422 for the last turn's role only after being read: the size limit did not cut them)."""
    emoji = "\U0001f600" * 2000
    turns = [{"role": "user" if i % 2 == 0 else "assistant", "content": emoji} for i in range(20)]
    body = json.dumps({"messages": turns}).encode()  # ensure_ascii: every emoji as \\ud83d\\ude00
    assert len(body) > 450_000
    response = client.post("/api/chat", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422 and "last message must come from the user" in response.json()["detail"]


def test_history_and_message_limits_are_checked_before_the_model(client: TestClient, engine: Engine) -> None:
    before = model_calls(engine)
    too_many = {"messages": [{"role": "user", "content": "hi"}] * 21}
    assert client.post("/api/chat", json=too_many).status_code == 422
    too_long = {"model": "kbchat", "messages": [{"role": "user", "content": "x" * 2001}]}
    assert client.post("/v1/chat/completions", json=too_long).status_code == 400
    assert model_calls(engine) == before
