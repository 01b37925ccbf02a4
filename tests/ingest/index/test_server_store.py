"""The deployment mode that outgrows one machine: a real Chroma server, the pointer inside it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kbchat.core.conversation import Turn
from kbchat.core.embedder import Embedder
from kbchat.ingest.index.build import run_ingest
from kbchat.ingest.index.store import open_store
from kbchat.service.answer.engine import build_engine
from kbchat.service.answer.pipeline import respond
from tests.chroma_server import ChromaServer
from tests.helpers import copy_kb, settings_for


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    server = ChromaServer(tmp_path / "chroma-server")
    try:
        server.start()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield server.url
    server.stop()


def test_ingest_and_answer_through_a_chroma_server(tmp_path: Path, chroma_url: str, embedder: Embedder) -> None:
    kb = copy_kb(tmp_path)
    settings = settings_for(kb, tmp_path / "data", chroma_url=chroma_url)
    first = run_ingest(settings, load_model=lambda _name: embedder)
    assert not (tmp_path / "data" / "published.json").exists(), "the pointer lives in the server"
    # A second, stateless replica needs nothing local but the settings.
    replica = settings_for(kb, tmp_path / "replica-data", chroma_url=chroma_url)
    assert open_store(replica).require_published().version == first.version
    engine = build_engine(replica, embedder)
    reply = respond([Turn("user", "Do kratom users say it helps their depression?")], engine)
    assert reply.route == "answer" and not reply.abstained
    assert run_ingest(settings, load_model=lambda _name: embedder).unchanged
