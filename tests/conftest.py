"""Shared fixtures: the real bundled model and a real engine on the fixture KB, built once per
test session (the guard classifier trains inside it, so it is not cheap)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from kbchat import bootstrap
from kbchat.core.config import BUNDLED_MODEL
from kbchat.core.embedder import Embedder, load_embedder
from kbchat.service.answer.engine import Engine
from kbchat.service.web.api import create_app
from tests.helpers import FIXTURE_KB, running_app, settings_for


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return load_embedder(BUNDLED_MODEL)


@pytest.fixture(scope="session")
def engine(embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    settings = settings_for(FIXTURE_KB, tmp_path_factory.mktemp("engine-data"))
    bootstrap.publish(settings, embedder)
    built = bootstrap.build(settings, embedder)
    yield built
    built.queries.close()


@pytest.fixture(scope="session")
def live_url(engine: Engine) -> Iterator[str]:
    """Base URL of the real app on a loopback port (uvicorn), on the session's index of the fixture KB."""
    with running_app(create_app(engine.settings, lambda: engine)) as url:
        yield url
