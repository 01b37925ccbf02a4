"""Publishing a new index version while the service runs: it switches with no restart."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from kbchat.core.embedder import Embedder
from kbchat.ingest.index.build import run_ingest
from kbchat.service.answer.engine import build_engine
from kbchat.service.web.api import create_app
from tests.helpers import STUDY_FRONT, copy_kb, settings_for, write_entry


def test_a_new_version_is_picked_up_by_a_running_service(tmp_path: Path, embedder: Embedder) -> None:
    kb = copy_kb(tmp_path)
    settings = settings_for(kb, tmp_path / "data")
    run_ingest(settings, load_model=lambda _name: embedder)
    engine = build_engine(settings, embedder)
    with TestClient(create_app(settings, lambda: engine)) as client:
        before = client.get("/readyz").json()["index_version"]
        question = {"messages": [{"role": "user", "content": "What did the 2021 test survey of 100 adults find "
                                                             "about kratom and feeling calm?"}]}
        assert "new-study" not in {c["id"] for c in client.post("/api/chat", json=question).json()["citations"]}
        write_entry(kb, "studies", "new-study", STUDY_FRONT.format(id="new-study"),
                    "In a 2021 test survey of 100 adults, 40% of respondents reported feeling calm after kratom use.")
        run_ingest(settings, load_model=lambda _name: embedder)
        assert engine.holder.refresh()  # what the background reloader calls every few seconds
        after = client.get("/readyz").json()["index_version"]
        reply = client.post("/api/chat", json=question).json()
    assert after != before
    assert "new-study" in {c["id"] for c in reply["citations"]}
    assert not engine.holder.refresh(), "no second switch when nothing new was published"
