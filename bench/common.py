"""Shared by the bench scripts: the engine on the real KB, built as `kbchat serve` builds it."""

from __future__ import annotations

from kbchat.ingest.index.build import run_ingest
from kbchat.core.config import get_settings
from kbchat.core.embedder import load_embedder
from kbchat.service.answer.engine import Engine, build_engine


def real_engine() -> Engine:
    """Ingest kb/ if it changed, then build the engine (model, index, guard)."""
    settings = get_settings()
    embedder = load_embedder(settings.embedding_model)
    run_ingest(settings, load_model=lambda _name: embedder)
    return build_engine(settings, embedder)
