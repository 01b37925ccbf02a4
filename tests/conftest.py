"""Shared fixtures: the real bundled model, loaded once per test session."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from kbchat.config import BUNDLED_MODEL  # noqa: E402
from kbchat.embedder import Embedder, load_embedder  # noqa: E402


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return load_embedder(BUNDLED_MODEL)
