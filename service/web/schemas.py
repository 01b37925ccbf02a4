"""The HTTP contract: request validation with messages a person can act on, and the reply."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kbchat.core.conversation import Mode, Role, Route, Turn
from kbchat.service.answer.pipeline import Reply

MAX_MESSAGE_CHARS = 2000
MAX_TURNS = 20


def check_text(value: str, limit: int | None = MAX_MESSAGE_CHARS, *, required: bool = True) -> str:
    """A message's text as the pipeline may read it, or a ValueError that says what to fix."""
    if required and not value.strip():
        raise ValueError("message is empty: type a question")
    if limit is not None and len(value) > limit:
        raise ValueError(f"message is {len(value)} characters long; the limit is {limit}: shorten it")
    broken = next((i for i, ch in enumerate(value) if "\ud800" <= ch <= "\udfff"), None)
    if broken is not None:  # JSON allows "\ud800" alone, but it is no character and cannot be encoded
        raise ValueError(f"message has a broken character (an unpaired surrogate) at position {broken}: "
                         "remove it and send the text again")
    return value


class Message(BaseModel):
    role: Role = Field(description="Who wrote the message.")
    # The en dash is typography for the API docs.
    # The limits are checked by the validator below (its messages say what to fix) and published
    # in the schema, so a client generated from it never sends what the service will reject.
    content: str = Field(
        description=f"The text, 1–{MAX_MESSAGE_CHARS} characters, not only spaces.",  # noqa: RUF001
        json_schema_extra={"minLength": 1, "maxLength": MAX_MESSAGE_CHARS, "pattern": r"\S"},
    )

    @field_validator("content")
    @classmethod
    def _content(cls, value: str) -> str:
        return check_text(value)


MAX_CLAIM_CHARS = 1000


class ChatRequest(BaseModel):
    messages: list[Message] = Field(
        description="The conversation so far, oldest first; the last is the user's question.",
        json_schema_extra={"minItems": 1, "maxItems": MAX_TURNS},
    )
    stream: bool = Field(False, description="Answer as Server-Sent Events, one per sentence.")

    @model_validator(mode="after")
    def _conversation(self) -> ChatRequest:
        if not self.messages:
            raise ValueError("messages is empty: send at least one user message")
        if len(self.messages) > MAX_TURNS:
            raise ValueError(f"the conversation has {len(self.messages)} messages; the limit is {MAX_TURNS}: "
                             "start a new conversation")
        if self.messages[-1].role != "user":
            raise ValueError("the last message must come from the user")
        return self

    def turns(self) -> list[Turn]:
        return [Turn(m.role, m.content) for m in self.messages]


class SentenceOut(BaseModel):
    text: str
    citations: list[int]
    evidence: list[str] = Field(description="Design labels of the cited sources, e.g. 'Animal study'.")


class CitationOut(BaseModel):
    """Mirrors service/answer/citations.py:Citation field for field (a test holds them equal)."""

    model_config = ConfigDict(from_attributes=True)

    n: int
    id: str
    title: str
    authors: str
    year: int | None = Field(description="Publication year; null for an undated web page.")
    journal: str
    design: str
    url: str
    quote: str
    via: str | None = Field(None, description="The summary entry whose sentence cited this source.")


class ResourceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    label: str
    value: str
    href: str


class ChatReply(BaseModel):
    route: Route
    abstained: bool
    answer: str = Field(description="The reply as text, with [n] citation markers.")
    sentences: list[SentenceOut]
    citations: list[CitationOut]
    evidence_note: str = Field(
        "", description="How strong the cited evidence is, counted from the cited sources' study designs "
        "(empty when nothing is cited).",
    )
    suggestions: list[str] = Field(description="Questions the knowledge base can answer instead.")
    resources: list[ResourceOut] = Field(description="Help lines for crisis and refusal replies.")
    index_version: str
    mode: Mode
    uncovered_term: str | None = Field(
        None,
        description="When abstaining because the question is about a word the knowledge base never uses: that word.",
    )

    @classmethod
    def from_reply(cls, reply: Reply) -> ChatReply:
        answer = reply.answer
        return cls(
            route=reply.route,
            abstained=reply.abstained,
            answer=answer.text,
            sentences=[SentenceOut(text=s.text, citations=list(s.citations), evidence=list(s.evidence))
                       for s in answer.sentences],
            citations=[CitationOut.model_validate(c) for c in answer.citations],
            evidence_note=answer.evidence_note,
            suggestions=reply.suggestions,
            resources=[ResourceOut.model_validate(r) for r in reply.resources],
            index_version=reply.index_version,
            mode=reply.mode,
            uncovered_term=reply.uncovered,
        )


class SourceOut(BaseModel):
    id: str
    kind: str
    title: str
    authors: str
    authors_full: list[str]
    year: int | None
    journal: str
    design: str
    url: str
    doi: str
    pmid: str
    population: str
    topics: list[str]
    text: str
    sentences: list[str]
    reviewed_on: str | None = Field(None, description="Date (YYYY-MM-DD) of the entry's last editorial review.")


class ChangeOut(BaseModel):
    at: str = Field(description="When (ISO 8601, UTC).")
    action: str = Field(description="publish, ingest (published without the eval gate) or rollback.")
    version: str = Field(description="The index version that went live.")
    summary: str = Field(description="What changed, e.g. '1 added, 0 changed, 0 removed, 88 kept'.")


class KbInfoOut(BaseModel):
    index_version: str
    updated_at: str = Field(description="When the index answering now went live (ISO 8601, UTC).")
    message: str = Field(description="The line the page shows, e.g. 'KB updated on 3 December 2026'.")
    counts: dict[str, int]
    changes: list[ChangeOut] = Field(description="The most recent publishes and rollbacks, newest first.")


class CheckRequest(BaseModel):
    claim: str = Field(min_length=1, max_length=MAX_CLAIM_CHARS,
                       description="One claim to check, for example a sentence from a kratom marketing article.")


class CheckReply(BaseModel):
    verdict: Literal["supported", "partly_supported", "not_supported", "contradicted", "no_evidence", "refused"]
    explanation: str = Field(description="The verdict in words; for `refused`, the guard's reply instead.")
    route: Route = Field(description="`answer` for a checked claim; the guard's route when it refused.")
    sentences: list[SentenceOut] = Field(description="The KB sentences that decide the verdict, with citations.")
    citations: list[CitationOut]
    resources: list[ResourceOut] = Field(default_factory=list, description="Help lines when the guard refused.")
