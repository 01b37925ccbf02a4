"""Entry point for `uvicorn --factory service.asgi:app_from_settings` and for `kbchat serve
--workers N`: each worker process builds its own engine from the settings (stateless replicas
that share one published index)."""

from __future__ import annotations

from fastapi import FastAPI

from kbchat.config import get_settings


def app_from_settings() -> FastAPI:
    from kbchat.embedder import load_embedder
    from service.api import create_app
    from service.engine import build_engine

    settings = get_settings()
    return create_app(settings, lambda: build_engine(settings, load_embedder(settings.embedding_model)))
