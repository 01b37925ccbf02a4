"""Shared fixtures: the real bundled model and a real engine on the fixture KB, built once per
test session (the guard classifier trains inside it, so it is not cheap)."""

from __future__ import annotations

import os
from typing import Iterator

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from kbchat.ingest.index.build import run_ingest  # noqa: E402
from kbchat.core.config import BUNDLED_MODEL  # noqa: E402
from kbchat.core.embedder import Embedder, load_embedder  # noqa: E402
from kbchat.service.answer.engine import Engine, build_engine  # noqa: E402
from tests.helpers import FIXTURE_KB, settings_for  # noqa: E402


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return load_embedder(BUNDLED_MODEL)


@pytest.fixture(scope="session")
def engine(embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    settings = settings_for(FIXTURE_KB, tmp_path_factory.mktemp("engine-data"))
    run_ingest(settings, load_model=lambda _name: embedder)
    built = build_engine(settings, embedder)
    yield built
    built.queries.close()
