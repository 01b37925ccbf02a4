"""The real app over the session's engine (tests/conftest.py), for the service tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kbchat.service.answer.engine import Engine
from kbchat.service.web.api import create_app


@pytest.fixture(scope="session")
def client(engine: Engine) -> Iterator[TestClient]:
    app = create_app(engine.settings, lambda: engine)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def ask(client: TestClient, *messages: str, **extra: object) -> dict:  # type: ignore[type-arg]
    turns = [{"role": "user" if i % 2 == 0 else "assistant", "content": m} for i, m in enumerate(messages)]
    response = client.post("/api/chat", json={"messages": turns, **extra})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]
