"""The Chroma server going away under a running service: a clear 503 with Retry-After (never a
hang, a 500 or an answer from nothing), and answers again once the server is back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kbchat import bootstrap
from kbchat.core.embedder import Embedder
from kbchat.ingest.index.store import IndexUnavailable
from kbchat.service.answer.engine import Engine
from kbchat.service.web.api import create_app
from tests.chroma_server import ChromaServer
from tests.helpers import copy_kb, settings_for

QUESTION = {"messages": [{"role": "user", "content": "Do kratom users say it helps their depression?"}]}


@pytest.fixture
def served(tmp_path: Path, embedder: Embedder) -> Iterator[tuple[ChromaServer, TestClient, Engine]]:
    server = ChromaServer(tmp_path / "chroma-server")
    try:
        server.start()
    except RuntimeError as exc:
        pytest.skip(f"a Chroma server could not be started here, so this fault cannot be staged: {exc}")
    kb = copy_kb(tmp_path)
    bootstrap.publish(settings_for(kb, tmp_path / "ingest-data", chroma_url=server.url), embedder)
    settings = settings_for(kb, tmp_path / "replica-data", chroma_url=server.url)  # a stateless replica
    engine = bootstrap.build(settings, embedder)
    try:
        with TestClient(create_app(settings, lambda: engine), raise_server_exceptions=False) as client:
            yield server, client, engine
    finally:
        engine.queries.close()
        server.stop()


def test_a_vanished_chroma_server_gets_503_with_retry_after_and_the_service_recovers(
    served: tuple[ChromaServer, TestClient, Engine],
) -> None:
    server, client, engine = served
    first = client.post("/api/chat", json=QUESTION)
    assert first.status_code == 200 and not first.json()["abstained"]
    version = first.json()["index_version"]

    server.stop()
    down = client.post("/api/chat", json=QUESTION)
    assert down.status_code == 503 and down.headers["Retry-After"] == "5"
    assert "cannot be reached" in down.json()["detail"]
    v1 = client.post("/v1/chat/completions", json={"model": "kbchat", **QUESTION})
    assert v1.status_code == 503 and v1.headers["Retry-After"]
    assert v1.json()["error"]["code"] == "index_unavailable"
    assert client.get("/readyz").status_code == 503, "not ready while the index store is away"
    assert client.get("/healthz").status_code == 200, "but alive: nothing to restart"
    with pytest.raises(IndexUnavailable, match="cannot be reached"):
        engine.holder.refresh()  # the background reloader's check: it logs this and keeps the loaded version

    server.start()  # same port, same data
    back = client.post("/api/chat", json=QUESTION)
    assert back.status_code == 200 and back.json()["index_version"] == version
    assert back.json()["answer"] == first.json()["answer"]
    assert client.get("/readyz").status_code == 200
