"""The composition root: the one place that turns Settings into a running engine.

The CLI, the ASGI factory (each `kbchat serve` worker), the bench scripts and the tests all build
through here, so an option such as the generative mode cannot be honoured by one entry point and
silently dropped by another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbchat.core.config import Settings, get_settings
from kbchat.core.embedder import Embedder, load_embedder

if TYPE_CHECKING:
    from fastapi import FastAPI

    from kbchat.ingest.index.build import IngestSummary
    from kbchat.ingest.index.schema import Manifest
    from kbchat.service.answer.engine import Engine
    from kbchat.service.answer.faithfulness import Scorer
    from kbchat.service.answer.generative import Generator
    from kbchat.service.answer.verifier import LearnedVerifier


def publish(settings: Settings, embedder: Embedder | None = None) -> IngestSummary:
    """At start-up: bring the published index up to date with kb/ (loads the model only if something
    changed), unless an editor pinned an older version with `kbchat rollback`."""
    from kbchat.ingest.index.build import run_ingest

    return run_ingest(settings, load_model=(lambda _name: embedder) if embedder else load_embedder,
                      who="kbchat serve (start-up)", respect_pin=True)


def generator_from_settings(settings: Settings, embedder: Embedder) -> Generator | None:
    """The optional generative mode (KBCHAT_LLM_PROVIDER), or None for the extractive answerer."""
    if settings.llm_provider == "none":
        return None
    from kbchat.service.answer.generative import Generator, chat_model_from_settings

    return Generator(chat_model_from_settings(settings), scorer_from_settings(settings, embedder))


def scorer_from_settings(settings: Settings, embedder: Embedder) -> Scorer:
    """The faithfulness scorer: a configured NLI model, the learned verifier, or embeddings + rules."""
    from kbchat.service.answer.faithfulness import CrossEncoderScorer, EmbeddingScorer
    from kbchat.service.answer.verifier import LearnedVerifier

    if settings.nli_model:
        return CrossEncoderScorer(settings.nli_model)
    if settings.verifier == "learned":
        return LearnedVerifier(embedder)
    return EmbeddingScorer(embedder)


def scorer_name(settings: Settings) -> str:
    if settings.nli_model:
        return f"NLI cross-encoder {settings.nli_model}"
    return "learned verifier (logistic model on bundled-model and rule features)" if settings.verifier == "learned" \
        else "embedding + rules (bundled model)"


def build(settings: Settings, embedder: Embedder | None = None, *, require_current: bool = False,
          manifest: Manifest | None = None) -> Engine:
    """The engine on the published index, or on the version `manifest` names. With `require_current`,
    refuse (IndexStale) when kb/ changed since it was published: query commands never publish."""
    from kbchat.ingest.index.build import require_current as check_current
    from kbchat.ingest.index.store import open_store
    from kbchat.service.answer.engine import build_engine

    if require_current:
        check_current(settings, open_store(settings))
    model = embedder or load_embedder(settings.embedding_model)
    return build_engine(settings, model, generator=generator_from_settings(settings, model), manifest=manifest,
                        verifier=claim_verifier(model))


def claim_verifier(embedder: Embedder) -> LearnedVerifier | None:
    """The learned verifier for `POST /api/check`, or None (the endpoint then says how to build it)."""
    from kbchat.service.answer.verifier import LearnedVerifier, VerifierMissing

    try:
        return LearnedVerifier(embedder)
    except VerifierMissing:
        return None


def check_index(settings: Settings) -> str:
    """Open the published index as a worker will, without the model, and return its version: a
    missing, corrupt or unreachable index fails here once, with its message (an IndexProblem),
    instead of in every worker's start-up."""
    from kbchat.ingest.index.loaded import load_index
    from kbchat.ingest.index.store import open_store

    store = open_store(settings)
    return load_index(store, store.require_published()).version


def app_from_settings() -> FastAPI:
    """`uvicorn --factory kbchat.bootstrap:app_from_settings`, and each `kbchat serve` worker:
    a stateless replica that builds its own engine from the published index."""
    from kbchat.service.web import access_log
    from kbchat.service.web.api import create_app

    settings = get_settings()
    access_log.configure(keep_text=settings.log_message_text)
    return create_app(settings, lambda: build(settings))
