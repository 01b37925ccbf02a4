"""Concurrent questions are encoded together, and each caller gets its own question's vector."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from kbchat.core.embedder import Embedder
from kbchat.service.answer.batching import ClosedError, QueryBatcher

QUESTIONS = [
    "Does kratom help with depression?",
    "What do surveys say about anxiety?",
    "Is kratom withdrawal dangerous?",
    "What is mitragynine?",
    "Are there clinical trials of kratom for mood?",
    "What did the FDA say about kratom?",
    "Can kratom cause liver injury?",
    "How common is kratom dependence?",
]


def test_each_caller_gets_the_vector_of_its_own_question(embedder: Embedder) -> None:
    batcher = QueryBatcher(embedder)
    try:
        expected = {q: embedder.encode_query(q) for q in QUESTIONS}
        gate = threading.Barrier(len(QUESTIONS))

        def ask(q: str) -> np.ndarray:
            gate.wait()  # all eight arrive together, as under load
            return batcher.encode(q)

        asked = QUESTIONS * 3
        with ThreadPoolExecutor(len(QUESTIONS)) as pool:
            got = list(pool.map(ask, asked))
        for q, vector in zip(asked, got, strict=True):
            # batched and single encodings differ only by float rounding
            assert float(np.dot(vector, expected[q])) > 0.9999
        assert batcher.stats.questions == len(QUESTIONS) * 3
        assert batcher.stats.largest > 1, "concurrent questions were never batched"
        assert batcher.stats.batches < len(QUESTIONS) * 3
    finally:
        batcher.close()


def test_a_failed_encoding_reaches_the_caller_and_the_batcher_keeps_working(embedder: Embedder) -> None:
    batcher = QueryBatcher(embedder)
    try:
        with pytest.raises(ValueError):
            batcher.encode(None)  # type: ignore[arg-type]  # the tokenizer rejects it
        assert batcher.encode(QUESTIONS[0]).shape == (embedder.dim,)
    finally:
        batcher.close()


def test_a_closed_batcher_refuses_new_questions(embedder: Embedder) -> None:
    batcher = QueryBatcher(embedder)
    batcher.close()
    with pytest.raises(ClosedError):
        batcher.encode(QUESTIONS[0])
