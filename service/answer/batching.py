"""Questions from concurrent requests are embedded together, in one model call.

Encoding is nearly the whole cost of a request, and on this 2-core machine a batch of 8 short
questions encodes about twice as fast per question as 8 separate calls (bench/latency.py prints
both). One thread owns the model: it takes every question that is waiting, encodes them as one
batch, and hands each caller its vector. It never waits for a batch to fill, so a lone request
pays only a thread hand-off; under load the batches form by themselves while the previous one
encodes. A single model user also stops several request threads from running torch at once,
each with its own thread pool, on two cores.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from kbchat.core.embedder import Embedder


@dataclass
class _Job:
    text: str
    result: Future[np.ndarray] = field(default_factory=Future)


@dataclass
class BatchStats:
    batches: int = 0
    questions: int = 0
    largest: int = 0


class ClosedError(RuntimeError):
    """The batcher was closed (the service is shutting down)."""


class QueryBatcher:
    """`encode(text)` from any thread; the vectors are those of `Embedder.encode_queries`."""

    def __init__(self, embedder: Embedder, max_batch: int = 16) -> None:
        self.embedder = embedder
        self.max_batch = max_batch
        self.stats = BatchStats()
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._closed = False
        self._thread = threading.Thread(target=self._loop, name="query-batcher", daemon=True)
        self._thread.start()

    def encode(self, text: str) -> np.ndarray:
        """One question → its unit vector; blocks until its batch is encoded."""
        if self._closed:
            raise ClosedError("the query encoder is shut down")
        job = _Job(text)
        self._queue.put(job)
        return job.result.result()

    def encode_many(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Several texts of one request, queued together so they can share a batch."""
        if self._closed:
            raise ClosedError("the query encoder is shut down")
        jobs = [_Job(text) for text in texts]
        for job in jobs:
            self._queue.put(job)
        return [job.result.result() for job in jobs]

    def close(self) -> None:
        """Finish the queued questions, then stop the thread."""
        self._closed = True
        self._queue.put(None)
        self._thread.join(timeout=30)

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            stop = False
            while len(batch) < self.max_batch:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    stop = True
                    break
                batch.append(job)
            self._run(batch)
            if stop:
                return

    def _run(self, batch: list[_Job]) -> None:
        try:
            vectors = self.embedder.encode_queries([job.text for job in batch])
        except Exception as exc:  # every waiting caller gets the error instead of hanging
            for job in batch:
                job.result.set_exception(exc)
            return
        self.stats.batches += 1
        self.stats.questions += len(batch)
        self.stats.largest = max(self.stats.largest, len(batch))
        for job, vector in zip(batch, vectors, strict=True):
            job.result.set_result(vector)
