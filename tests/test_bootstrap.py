"""The composition root: every entry point builds the same engine from the same settings.

The ASGI factory is what each `kbchat serve` worker runs (KBCHAT_WORKERS defaults to 2). It used to
build its engine without the generative mode, so KBCHAT_LLM_PROVIDER was silently ignored there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kbchat import bootstrap
from kbchat.core.config import get_settings
from kbchat.core.embedder import Embedder
from tests.helpers import FIXTURE_KB, settings_for
from tests.service.answer.test_generative import CitingFake


@pytest.fixture
def published(tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    bootstrap.publish(settings_for(FIXTURE_KB, data), embedder)
    monkeypatch.setenv("KBCHAT_KB_DIR", str(FIXTURE_KB))
    monkeypatch.setenv("KBCHAT_DATA_DIR", str(data))
    monkeypatch.setenv("KBCHAT_RELOAD_INTERVAL_S", "0")
    monkeypatch.setattr(bootstrap, "load_embedder", lambda _name: embedder)  # the session's model, loaded once
    get_settings.cache_clear()
    yield data
    get_settings.cache_clear()


def ask(app: object) -> dict:  # type: ignore[type-arg]
    with TestClient(app) as client:  # type: ignore[arg-type]
        question = "Do kratom users say it helps their depression?"
        response = client.post("/api/chat", json={"messages": [{"role": "user", "content": question}]})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_the_worker_factory_honours_the_generative_mode(published: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KBCHAT_LLM_PROVIDER", "openai")
    monkeypatch.setenv("KBCHAT_LLM_MODEL", "fake")
    monkeypatch.setattr("kbchat.service.answer.generative.chat_model_from_settings", lambda _settings: CitingFake())
    get_settings.cache_clear()
    assert ask(bootstrap.app_from_settings())["mode"] == "generative"


def test_the_worker_factory_stays_extractive_by_default(published: Path) -> None:
    assert ask(bootstrap.app_from_settings())["mode"] == "extractive"
