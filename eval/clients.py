"""Two ways to reach a deployment: in-process (an Engine) or over HTTP (`--url`)."""

from __future__ import annotations

import time
from typing import Protocol, Sequence

import httpx

from kbchat.service.answer.engine import Engine
from kbchat.core.conversation import Turn
from kbchat.service.answer.pipeline import respond
from kbchat.service.answer.retrieve import Method, ranked_entries, retrieve
from kbchat.service.web.schemas import ChatReply

HTTP_TIMEOUT_S = 60.0


class ChatClient(Protocol):
    name: str

    def chat(self, turns: Sequence[Turn]) -> tuple[ChatReply, float]:
        """The reply and its latency in milliseconds."""
        ...

    def source_text(self, entry_id: str) -> str: ...


class InProcessClient:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.name = f"in-process (index {engine.index.version})"

    def chat(self, turns: Sequence[Turn]) -> tuple[ChatReply, float]:
        start = time.perf_counter()
        reply = ChatReply.from_reply(respond(list(turns), self.engine))
        return reply, (time.perf_counter() - start) * 1000

    def source_text(self, entry_id: str) -> str:
        entry = self.engine.index.entries.get(entry_id)
        return entry.body if entry else ""

    def ranked(self, question: str, method: Method) -> list[str]:
        """Entry ids ranked by one retriever, for the retrieval metrics and baselines."""
        vec = self.engine.embedder.encode_query(question)
        return ranked_entries(retrieve(self.engine.index, question, vec, self.engine.retrieval, method))


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

    def source_text(self, entry_id: str) -> str:
        if entry_id not in self._sources:
            response = self.http.get(f"/api/sources/{entry_id}")
            self._sources[entry_id] = response.json().get("text", "") if response.status_code == 200 else ""
        return self._sources[entry_id]
