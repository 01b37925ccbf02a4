"""Shared by the bench scripts: the engine on the real KB, built as `kbchat serve` builds it."""

from __future__ import annotations

from kbchat import bootstrap
from kbchat.core.config import get_settings
from kbchat.core.embedder import load_embedder
from kbchat.service.answer.engine import Engine


def real_engine() -> Engine:
    """Publish kb/ if it changed, then build the engine (model, index, guard) through the bootstrap."""
    settings = get_settings()
    embedder = load_embedder(settings.embedding_model)
    bootstrap.publish(settings, embedder)
    return bootstrap.build(settings, embedder)
