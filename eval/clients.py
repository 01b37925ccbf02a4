"""Two ways to reach a deployment: in-process (an Engine) or over HTTP (`--url`)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import httpx

from kbchat.core.conversation import Route, Turn
from kbchat.service.answer import pipeline
from kbchat.service.answer.engine import Engine
from kbchat.service.answer.retrieve import Method
from kbchat.service.web.schemas import ChatReply

HTTP_TIMEOUT_S = 60.0


class ChatClient(Protocol):
    name: str

    def chat(self, turns: Sequence[Turn]) -> tuple[ChatReply, float]:
        """The reply and its latency in milliseconds."""
        ...

    def route(self, turns: Sequence[Turn]) -> tuple[Route, float]:
        """The guard's route and the milliseconds it took (the guard alone when it can be timed alone)."""
        ...

    def source_text(self, entry_id: str) -> str: ...

    def index_version(self) -> str | None:
        """The index version answering, when the client can know it."""
        ...


@runtime_checkable
class RankingClient(Protocol):
    """A client that can also rank passages with one retriever (only in-process)."""

    def ranked(self, question: str, method: Method) -> list[str]: ...


class InProcessClient:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.name = f"in-process (index {engine.index.version})"

    def chat(self, turns: Sequence[Turn]) -> tuple[ChatReply, float]:
        start = time.perf_counter()
        reply = ChatReply.from_reply(pipeline.respond(list(turns), self.engine))
        return reply, (time.perf_counter() - start) * 1000

    def route(self, turns: Sequence[Turn]) -> tuple[Route, float]:
        """Times the guard alone: the question's embedding is shared with retrieval."""
        turns = pipeline.clean(turns)
        vec = pipeline.encode(self.engine, pipeline.resolve(turns))
        start = time.perf_counter()
        decision = pipeline.route(self.engine, turns, vec)
        return decision.route, (time.perf_counter() - start) * 1000

    def source_text(self, entry_id: str) -> str:
        entry = self.engine.index.entries.get(entry_id)
        return entry.body if entry else ""

    def index_version(self) -> str | None:
        return self.engine.index.version

    def ranked(self, question: str, method: Method) -> list[str]:
        """Entry ids ranked by one retriever, for the retrieval metrics and baselines."""
        return pipeline.ranked_entry_ids(self.engine, question, method)


class HttpClient:
    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.http = httpx.Client(base_url=self.url, timeout=HTTP_TIMEOUT_S)
        self._sources: dict[str, str] = {}
        self.name = self.url

    def chat(self, turns: Sequence[Turn]) -> tuple[ChatReply, float]:
        body = {"messages": [{"role": t.role, "content": t.content} for t in turns]}
        start = time.perf_counter()
        response = self.http.post("/api/chat", json=body)
        elapsed = (time.perf_counter() - start) * 1000
        response.raise_for_status()
        return ChatReply.model_validate(response.json()), elapsed

    def route(self, turns: Sequence[Turn]) -> tuple[Route, float]:
        reply, latency = self.chat(turns)
        return reply.route, latency

    def index_version(self) -> str | None:
        return None  # a deployment may reload between requests; /readyz says which version answers

    def source_text(self, entry_id: str) -> str:
        if entry_id not in self._sources:
            response = self.http.get(f"/api/sources/{entry_id}")
            self._sources[entry_id] = response.json().get("text", "") if response.status_code == 200 else ""
        return self._sources[entry_id]
