"""`POST /v1/chat/completions` and `GET /v1/models`: kbchat behind OpenAI's chat API, so existing
chat front ends and SDKs can use it (any API key; kbchat does not read it)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from kbchat.service.answer.engine import Engine
from kbchat.service.answer.pipeline import respond
from kbchat.service.web.deps import EngineDep
from kbchat.service.web.errors import CodedHTTPException
from kbchat.service.web.openai_schemas import (
    MODEL_ID,
    Completion,
    CompletionRequest,
    ModelCard,
    ModelList,
    chunks,
    completion,
)
from kbchat.service.web.ratelimit import limit_chat
from kbchat.service.web.schemas import ChatReply

ERROR = {"type": "object", "properties": {"error": {"type": "object", "properties": {
    "message": {"type": "string"}, "type": {"type": "string"}, "param": {"type": ["string", "null"]},
    "code": {"type": ["string", "null"]}}, "required": ["message", "type"]}}, "required": ["error"]}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


CHAT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/event-stream": {"schema": {"type": "string"}}},
          "description": "A `chat.completion`, or with `stream: true` `chat.completion.chunk` events and `[DONE]`."},
    400: _error("Invalid request; `error.message` says what to fix."),
    404: _error("Unknown model (GET /v1/models lists the one there is)."),
    413: _error("Request body too large."),
    429: _error("Too many requests from this address; see Retry-After."),
    503: _error("The knowledge base cannot be reached just now; see Retry-After."),
}


def _card(engine: Engine) -> ModelCard:
    built = dt.datetime.fromisoformat(engine.index.manifest.built_at)
    return ModelCard(id=MODEL_ID, created=int(built.timestamp()))


def router() -> APIRouter:
    v1 = APIRouter(prefix="/v1", tags=["OpenAI-compatible"])

    @v1.get("/models", response_model=ModelList)
    def models(engine: EngineDep) -> ModelList:
        """The one model: kbchat on its published index."""
        return ModelList(data=[_card(engine)])

    @v1.get("/models/{model}", response_model=ModelCard, responses={404: _error("No such model.")})
    def model(model: str, engine: EngineDep) -> ModelCard:
        """One model's card."""
        _check_model(model)
        return _card(engine)

    @v1.post("/chat/completions", response_model=Completion, responses=CHAT_RESPONSES,
             dependencies=[Depends(limit_chat)])
    def chat_completions(body: CompletionRequest, request: Request, engine: EngineDep) -> Any:
        """Answer the last user message as an assistant message with numbered sources."""
        _check_model(body.model)
        turns = body.turns()
        request.state.log["message"] = turns[-1].content  # written only with KBCHAT_LOG_MESSAGE_TEXT (access_log.py)
        reply = ChatReply.from_reply(respond(turns, engine))
        request.state.log.update(route=reply.route, abstained=reply.abstained, index_version=reply.index_version,
                                 mode=reply.mode)
        if body.stream:
            return StreamingResponse(_events(reply, body.model), media_type="text/event-stream",
                                     headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        return completion(reply, body.model)

    return v1


def _check_model(name: str) -> None:
    if name != MODEL_ID:
        raise CodedHTTPException(404, f"the model {name!r} does not exist; GET /v1/models lists {MODEL_ID!r}",
                                 "model_not_found")


def _events(reply: ChatReply, model: str) -> Iterator[str]:
    for chunk in chunks(reply, model):
        yield f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"
