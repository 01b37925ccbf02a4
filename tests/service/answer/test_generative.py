"""Generative mode with fake LangChain chat models: one writes a faithful sentence and invents a
claim; the invented claim must never reach the reply."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from fastapi.testclient import TestClient
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from kbchat.service.answer.engine import Engine
from kbchat.service.answer.faithfulness import EmbeddingScorer
from kbchat.service.answer.generative import Generator
from kbchat.service.web.api import create_app

INVENTED = "Kratom cured depression in 90% of users in a controlled trial"


class CitingFake(BaseChatModel):
    """Reads the numbered passages it is given, like a real model would, then answers with one
    supported sentence and one invented claim, both citing the survey passage."""

    @property
    def _llm_type(self) -> str:
        return "citing-fake"

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        prompt = str(messages[-1].content)
        n = next(m.group(1) for m in re.finditer(r"^\[(\d+)\] (.*)$", prompt, re.M) if "65%" in m.group(2))
        text = (f"In a 2017 online survey of 2,798 kratom users, 65% said they took kratom for depression [{n}]. "
                f"{INVENTED} [{n}]. Kratom is always safe for everyone.")
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def chat(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    with TestClient(create_app(engine.settings, lambda: engine)) as client:
        response = client.post("/api/chat", json={"messages": [{"role": "user", "content": question}]})
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def test_invented_claim_never_reaches_the_reply(engine: Engine, embedder) -> None:  # type: ignore[no-untyped-def]
    generative = replace(engine, generator=Generator(CitingFake(), EmbeddingScorer(embedder)))
    reply = chat(generative, "Do kratom users say it helps their depression?")
    assert reply["mode"] == "generative"
    texts = [s["text"] for s in reply["sentences"]]
    assert texts == ["In a 2017 online survey of 2,798 kratom users, 65% said they took kratom for depression."]
    assert INVENTED not in reply["answer"] and "always safe" not in reply["answer"]
    assert reply["citations"][0]["id"] == "garcia-romeu-2020-survey"


def test_nothing_supported_falls_back_to_the_extractive_answer(engine: Engine, embedder) -> None:  # type: ignore[no-untyped-def]
    liar = FakeListChatModel(responses=[f"{INVENTED} [1]. Most users need no doctor [2]."])
    generative = replace(engine, generator=Generator(liar, EmbeddingScorer(embedder)))
    reply = chat(generative, "Do kratom users say it helps their depression?")
    assert reply["mode"] == "extractive"
    kb = {s.text for s in engine.index.sentences}
    assert reply["sentences"] and all(s["text"] in kb for s in reply["sentences"])
