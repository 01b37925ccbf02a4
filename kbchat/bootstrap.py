"""Entry point for `uvicorn --factory kbchat.bootstrap:app_from_settings` and for `kbchat serve
--workers N`: each worker process builds its own engine from the settings (stateless replicas
that share one published index)."""

from __future__ import annotations

from fastapi import FastAPI

from kbchat.core.config import get_settings


def app_from_settings() -> FastAPI:
    from kbchat.core.embedder import load_embedder
    from kbchat.service.web.api import create_app
    from kbchat.service.answer.engine import build_engine

    settings = get_settings()
    return create_app(settings, lambda: build_engine(settings, load_embedder(settings.embedding_model)))
