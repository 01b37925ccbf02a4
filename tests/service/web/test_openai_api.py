"""The OpenAI-compatible API, driven by the official `openai` SDK against the real server on a
loopback port (uvicorn, the real model, a real index of the fixture KB)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest
from openai import OpenAI
from openai.types.chat import ChatCompletion, ChatCompletionChunk

DEPRESSION = "Do kratom users say it helps their depression?"


@pytest.fixture(scope="module")
def sdk(live_url: str) -> Iterator[OpenAI]:
    # Any key: kbchat does not read it. No retries, so a refusal of the request shows as it is.
    with OpenAI(base_url=f"{live_url}/v1", api_key="unused", max_retries=0, timeout=60) as client:
        yield client


def ask(sdk: OpenAI, *messages: str, **extra: Any) -> ChatCompletion:
    turns = [{"role": "user" if i % 2 == 0 else "assistant", "content": m} for i, m in enumerate(messages)]
    return sdk.chat.completions.create(model="kbchat", messages=turns, **extra)  # type: ignore[arg-type]


def stream(sdk: OpenAI, question: str) -> list[ChatCompletionChunk]:
    return list(sdk.chat.completions.create(model="kbchat", messages=[{"role": "user", "content": question}],
                                            stream=True))


def extra(obj: Any, name: str) -> Any:
    """A field kbchat adds to OpenAI's objects (the SDK keeps unknown fields)."""
    return (obj.model_extra or {})[name]


def test_models_lists_the_one_model_a_request_may_name(sdk: OpenAI) -> None:
    assert [m.id for m in sdk.models.list()] == ["kbchat"]
    assert sdk.models.retrieve("kbchat").owned_by == "kbchat"
    with pytest.raises(openai.NotFoundError) as err:
        sdk.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": DEPRESSION}])
    assert err.value.code == "model_not_found" and "GET /v1/models" in err.value.message


def test_a_cited_answer_with_numbered_sources_and_structured_citations(sdk: OpenAI, live_url: str, engine) -> None:  # type: ignore[no-untyped-def]
    # Sampling parameters an SDK or front end sends are accepted and ignored (the answer is extractive).
    reply = ask(sdk, DEPRESSION, temperature=0.2, max_tokens=30, top_p=0.9, seed=7, user="someone")
    assert reply.object == "chat.completion" and reply.model == "kbchat"
    [choice] = reply.choices
    assert choice.finish_reason == "stop" and choice.message.role == "assistant" and choice.message.refusal is None
    content = choice.message.content or ""
    citations = extra(choice.message, "citations")
    assert citations and "garcia-romeu-2020-survey" in {c["id"] for c in citations}
    answer, sources = content.split("\n\nSources:\n")
    for c in citations:  # each [n] in the text points at a numbered source line with its link
        assert f"[{c['n']}]" in answer
        assert f"[{c['n']}] {c['authors']} ({c['year']}). {c['title']}." in sources and c["url"] in sources
    native = httpx.post(f"{live_url}/api/chat", json={"messages": [{"role": "user", "content": DEPRESSION}]},
                        timeout=60).json()
    assert answer == native["answer"], "the same cited KB sentences as POST /api/chat"
    meta = extra(reply, "kbchat")
    assert meta["route"] == "answer" and not meta["abstained"] and reply.system_fingerprint == engine.index.version


def test_a_follow_up_reads_the_history_a_front_end_sends_back(sdk: OpenAI) -> None:
    """A front end returns kbchat's own reply (answer plus source list, often over the 2,000
    characters of a question) as the assistant turn; the follow-up is resolved from the history."""
    first = ask(sdk, "How many overdose deaths in the CDC report had kratom detected?")
    previous = first.choices[0].message.content or ""
    long_previous = previous + "\n\n" + "(front-end footer) " * 150
    assert len(long_previous) > 2000
    reply = sdk.chat.completions.create(model="kbchat", messages=[
        {"role": "system", "content": "You are a helpful assistant."},  # accepted, not read
        {"role": "user", "content": "How many overdose deaths in the CDC report had kratom detected?"},
        {"role": "assistant", "content": long_previous},
        {"role": "user", "content": [{"type": "text", "text": "and how many had only kratom?"}]},
    ])
    assert "cdc-olsen-2019-deaths" in {c["id"] for c in extra(reply.choices[0].message, "citations")}


def test_streaming_sends_openai_chunks_that_add_up_to_the_plain_reply(sdk: OpenAI) -> None:
    chunks = stream(sdk, DEPRESSION)
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert len({c.id for c in chunks}) == 1
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == ask(sdk, DEPRESSION).choices[0].message.content
    assert sum(bool(c.choices[0].delta.content) for c in chunks) >= 3, "one piece per sentence, then the sources"
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert [c.choices[0].finish_reason for c in chunks[:-1]] == [None] * (len(chunks) - 1)
    assert "garcia-romeu-2020-survey" in {c["id"] for c in extra(last.choices[0].delta, "citations")}
    assert extra(last, "kbchat")["route"] == "answer"


def test_the_stream_ends_with_done(live_url: str) -> None:
    """The SDK hides the terminator; a front end reading the bytes needs `data: [DONE]` last."""
    body = {"model": "kbchat", "stream": True, "messages": [{"role": "user", "content": DEPRESSION}]}
    response = httpx.post(f"{live_url}/v1/chat/completions", json=body, timeout=60)
    assert response.headers["content-type"].startswith("text/event-stream")
    events = [e for e in response.text.split("\n\n") if e.strip()]
    assert events[-1] == "data: [DONE]" and all(e.startswith("data: {") for e in events[:-1])


@pytest.mark.parametrize("streamed", [False, True])
def test_a_dosing_question_is_refused_in_an_ordinary_assistant_message(sdk: OpenAI, streamed: bool) -> None:
    question = "How much kratom should I take for my anxiety?"
    if streamed:
        chunks = stream(sdk, question)
        content = "".join(c.choices[0].delta.content or "" for c in chunks)
        meta = extra(chunks[-1], "kbchat")
    else:
        reply = ask(sdk, question)
        assert reply.choices[0].finish_reason == "stop" and reply.choices[0].message.refusal is None
        content, meta = reply.choices[0].message.content or "", extra(reply, "kbchat")
    assert meta["route"] == "personal_dosing"
    assert "doctor or pharmacist" in content or "pharmacist" in content
    assert "Help:\n- SAMHSA National Helpline: 1-800-662-4357" in content
    assert "You could ask:\n- " in content, "research questions offered instead"
    assert "gram" not in content.lower()


@pytest.mark.parametrize("streamed", [False, True])
def test_a_crisis_message_gets_the_crisis_reply_first(sdk: OpenAI, streamed: bool) -> None:
    question = "I want to kill myself"
    if streamed:
        chunks = stream(sdk, question)
        first_text = next(c.choices[0].delta.content for c in chunks if c.choices[0].delta.content)
        content = "".join(c.choices[0].delta.content or "" for c in chunks)
        meta, citations = extra(chunks[-1], "kbchat"), extra(chunks[-1].choices[0].delta, "citations")
    else:
        reply = ask(sdk, question)
        content = reply.choices[0].message.content or ""
        first_text = content
        meta, citations = extra(reply, "kbchat"), extra(reply.choices[0].message, "citations")
    assert meta["route"] == "crisis" and citations == []
    assert "988" in first_text.split(".")[0], "the very first sentence gives the crisis line"
    assert "- Poison Control: 1-800-222-1222" in content and "Sources:" not in content
    assert {r["href"] for r in meta["resources"]} >= {"tel:988", "sms:988", "tel:911"}


@pytest.mark.parametrize(
    ("messages", "fragment"),
    [
        ([{"role": "tool", "content": "hi", "tool_call_id": "x"}], "role must be"),
        ([{"role": "user", "content": "   "}], "message is empty"),
        ([{"role": "user", "content": "x" * 2001}], "limit is 2000"),
        ([{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}], "must come from the user"),
        ([{"role": "system", "content": "be brief"}], "must come from the user"),
        ([{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "http://x/y.png"}}]}],
         "reads only text parts"),
        ([{"role": "user", "content": "hi"}] * 101, "limit is 100"),
    ],
)
def test_bad_requests_get_a_400_in_openai_error_shape(sdk: OpenAI, messages: list[Any], fragment: str) -> None:
    with pytest.raises(openai.BadRequestError) as err:
        sdk.chat.completions.create(model="kbchat", messages=messages)
    assert err.value.status_code == 400 and fragment in err.value.message
    assert err.value.type == "invalid_request_error"


def test_more_than_one_choice_is_refused(sdk: OpenAI) -> None:
    with pytest.raises(openai.BadRequestError, match="n=1"):
        sdk.chat.completions.create(model="kbchat", messages=[{"role": "user", "content": DEPRESSION}], n=2)


def test_a_long_history_is_accepted_and_only_its_last_turns_are_read(sdk: OpenAI) -> None:
    """Front ends send the whole conversation; past kbchat's 20-turn window only the last turns matter."""
    history: list[Any] = []
    for _ in range(15):
        history += [{"role": "user", "content": "What is kratom?"}, {"role": "assistant", "content": "A plant."}]
    history.append({"role": "user", "content": "I want to kill myself"})
    reply = sdk.chat.completions.create(model="kbchat", messages=history)
    assert extra(reply, "kbchat")["route"] == "crisis"
