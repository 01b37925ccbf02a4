"""A real index of the fixture KB and the real app, built once for the service tests."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from ingest.pipeline import run_ingest
from kbchat.embedder import Embedder
from service.api import create_app
from service.engine import Engine, build_engine
from tests.helpers import FIXTURE_KB, settings_for


@pytest.fixture(scope="session")
def engine(embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    settings = settings_for(FIXTURE_KB, tmp_path_factory.mktemp("service-data"))
    run_ingest(settings, load_model=lambda _name: embedder)
    return build_engine(settings, embedder)


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
