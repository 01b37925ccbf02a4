"""OpenAI's chat-completions contract, as far as kbchat honours it, and the reply in its shapes.

A request is validated as strictly as `POST /api/chat` where kbchat reads it (the user's messages)
and loosely where it does not: sampling parameters (`temperature`, `max_tokens`, `seed`, ...) are
accepted and ignored (the answer is extractive), a system or developer message is accepted and not
read (kbchat's behaviour is its policy, not a prompt), and earlier assistant turns, which a front
end sends back with their source lists, may be longer than a question.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kbchat.core.conversation import Mode, Route, Turn
from kbchat.service.web.schemas import MAX_MESSAGE_CHARS, MAX_TURNS, ChatReply, CitationOut, ResourceOut, check_text

MODEL_ID = "kbchat"  # the one model GET /v1/models lists
# A front end sends the whole conversation every time; the pipeline reads the last few user turns,
# so longer histories are accepted (up to this many messages) and only the last MAX_TURNS are read.
MAX_MESSAGES = 100
# kbchat's own replies come back as assistant turns: an answer plus its numbered source list.
MAX_CONTEXT_CHARS = 8000


class TextPart(BaseModel):
    type: Literal["text"] = Field(description="Only text parts; kbchat reads no images or files.")
    text: str


class CompletionMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")  # `name`, `tool_calls`, ...: accepted, not read

    role: Literal["system", "developer", "user", "assistant"]
    content: str | list[TextPart] | None = Field(
        None, description=f"The text (or text parts); a user message has 1–{MAX_MESSAGE_CHARS} characters."  # noqa: RUF001
    )

    @field_validator("content", mode="before")
    @classmethod
    def _text_parts_only(cls, value: Any) -> Any:
        if isinstance(value, list):
            for i, part in enumerate(value):
                kind = part.get("type") if isinstance(part, dict) else type(part).__name__
                if kind != "text":
                    raise ValueError(f"part {i} is {kind!r}; kbchat reads only text parts "
                                     '({"type": "text", "text": "..."}) or a plain string')
        return value

    @property
    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(part.text for part in self.content)
        return self.content or ""

    @model_validator(mode="after")
    def _content(self) -> CompletionMessage:
        if self.role == "user":
            check_text(self.text)
        else:
            check_text(self.text, MAX_CONTEXT_CHARS, required=False)
        return self


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="ignore")
    include_usage: bool = False


class CompletionRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")  # unknown sampling parameters are ignored, as documented

    model: str = Field(description=f"`{MODEL_ID}` (GET /v1/models).")
    messages: list[CompletionMessage] = Field(
        description="The conversation, oldest first; the last is the user's question.",
        json_schema_extra={"minItems": 1, "maxItems": MAX_MESSAGES},
    )
    stream: bool | None = Field(False, description="Server-Sent Events in OpenAI's chunk format, then `[DONE]`.")
    stream_options: StreamOptions | None = None
    n: int | None = Field(1, description="Only 1: there is one reply.")

    @field_validator("n")
    @classmethod
    def _one_choice(cls, value: int | None) -> int | None:
        if value not in (None, 1):
            raise ValueError(f"n is {value}; kbchat gives one reply per request: send n=1 or leave it out")
        return value

    @model_validator(mode="after")
    def _conversation(self) -> CompletionRequest:
        if not self.messages:
            raise ValueError("messages is empty: send at least one user message")
        if len(self.messages) > MAX_MESSAGES:
            raise ValueError(f"the conversation has {len(self.messages)} messages; the limit is {MAX_MESSAGES}: "
                             "start a new conversation")
        said = [m for m in self.messages if m.role in ("user", "assistant")]
        if not said or said[-1].role != "user":
            raise ValueError("the last message (after any system message) must come from the user")
        return self

    def turns(self) -> list[Turn]:
        """The last MAX_TURNS user and assistant turns, as the pipeline reads them."""
        said = [m for m in self.messages if m.role in ("user", "assistant")][-MAX_TURNS:]
        return [Turn("user" if m.role == "user" else "assistant", m.text[:MAX_MESSAGE_CHARS]) for m in said]


class KbchatMeta(BaseModel):
    """What kbchat knows about the reply beyond OpenAI's fields (the same as POST /api/chat says)."""

    route: Route
    abstained: bool
    index_version: str
    mode: Mode
    resources: list[ResourceOut]
    suggestions: list[str]
    uncovered_term: str | None = None


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str = Field(description="The reply as text: [n] markers, then the numbered sources.")
    refusal: None = Field(None, description="Always null: a refusal or crisis reply is an ordinary message.")
    citations: list[CitationOut] = Field(description="The sources the [n] markers point to.")


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class Completion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    system_fingerprint: str = Field(description="The index version that answered.")
    choices: list[Choice]
    kbchat: KbchatMeta


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "kbchat"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


def reply_text(reply: ChatReply) -> str:
    """The whole reply as one message a generic chat front end can show: the answer with its [n]
    markers, its numbered sources, the help lines of a refusal or crisis reply, and suggestions."""
    blocks = [reply.answer]
    if reply.citations:
        blocks.append("Sources:\n" + "\n".join(source_line(c) for c in reply.citations))
    if reply.resources:
        blocks.append("Help:\n" + "\n".join(f"- {r.label}" for r in reply.resources))
    if reply.suggestions:
        blocks.append("You could ask:\n" + "\n".join(f"- {s}" for s in reply.suggestions))
    return "\n\n".join(blocks)


def source_line(c: CitationOut) -> str:
    venue = f" {c.journal}." if c.journal else ""
    return f"[{c.n}] {c.authors} ({c.year or 'n.d.'}). {c.title}.{venue} {c.design}. {c.url}"


def meta(reply: ChatReply) -> KbchatMeta:
    return KbchatMeta(route=reply.route, abstained=reply.abstained, index_version=reply.index_version,
                      mode=reply.mode, resources=reply.resources, suggestions=reply.suggestions,
                      uncovered_term=reply.uncovered_term)


def completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex}"


def completion(reply: ChatReply, model: str) -> Completion:
    message = AssistantMessage(content=reply_text(reply), citations=reply.citations)
    return Completion(id=completion_id(), created=int(time.time()), model=model,
                      system_fingerprint=reply.index_version, choices=[Choice(message=message)], kbchat=meta(reply))


def chunk_texts(reply: ChatReply) -> list[str]:
    """The reply's text in pieces, one per sentence, then the sources and help; joined they are
    exactly `reply_text(reply)`."""
    whole = reply_text(reply)
    pieces: list[str] = []
    at = 0
    for sentence in reply.sentences:
        marked = sentence.text + "".join(f" [{n}]" for n in sentence.citations)
        end = whole.find(marked, at)
        if end < 0:  # the answer text is not sentence by sentence (never expected): send it whole
            return [whole]
        end += len(marked)
        pieces.append(whole[at:end])
        at = end
    if at < len(whole):
        pieces.append(whole[at:])
    return pieces


def chunks(reply: ChatReply, model: str) -> list[dict[str, Any]]:
    """OpenAI's `chat.completion.chunk` objects for one reply: the role, one piece of text each,
    then the last chunk with `finish_reason`, the citations and kbchat's fields."""
    base = {"id": completion_id(), "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
            "system_fingerprint": reply.index_version}

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> dict[str, Any]:
        return {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}], **extra}

    out = [chunk({"role": "assistant", "content": ""})]
    out += [chunk({"content": piece}) for piece in chunk_texts(reply)]
    out.append(chunk({"citations": [c.model_dump() for c in reply.citations]}, "stop",
                     kbchat=meta(reply).model_dump()))
    return out
