"""The real app over HTTP, on a real index of the fixture KB."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from tests.service.conftest import ask


def test_cited_answer_and_citation_fields(client: TestClient) -> None:
    reply = ask(client, "Do kratom users say it helps their depression?")
    assert reply["route"] == "answer" and not reply["abstained"]
    assert 2 <= len(reply["sentences"]) <= 5
    assert all(s["citations"] for s in reply["sentences"]), "every answer sentence carries a citation"
    cited = {c["id"] for c in reply["citations"]}
    assert "garcia-romeu-2020-survey" in cited
    survey = next(c for c in reply["citations"] if c["id"] == "garcia-romeu-2020-survey")
    assert survey["authors"] == "Garcia-Romeu et al."
    assert survey["year"] == 2020 and survey["journal"] == "Drug and Alcohol Dependence"
    assert survey["design"] == "Survey"
    assert survey["url"] == "https://doi.org/10.1016/j.drugalcdep.2020.107849"
    assert survey["quote"]
    assert "[1]" in reply["answer"]
    assert reply["index_version"]


def test_every_answer_sentence_is_a_kb_sentence(client: TestClient, engine) -> None:  # type: ignore[no-untyped-def]
    reply = ask(client, "What did animal studies find about mitragynine and anxiety?")
    kb_sentences = {s.text for s in engine.index.sentences}
    assert reply["sentences"] and all(s["text"] in kb_sentences for s in reply["sentences"])


def test_summary_sentence_cites_the_studies_it_names(client: TestClient) -> None:
    reply = ask(client, "Is the evidence that kratom helps depression only from surveys and mice?")
    vias = [c for c in reply["citations"] if c["via"] == "evidence-depression"]
    assert vias, reply["citations"]
    assert {c["id"] for c in vias} <= {"garcia-romeu-2020-survey", "farah-idayu-2011-fst"}


def test_abstains_on_a_question_the_kb_does_not_cover(client: TestClient) -> None:
    reply = ask(client, "Which shipping companies carry kratom from Indonesia to Europe?")
    assert reply["route"] == "answer" and reply["abstained"]
    assert reply["citations"] == []
    assert "none that answers this question" in reply["answer"] or "never mentions" in reply["answer"]
    assert 1 <= len(reply["suggestions"]) <= 3


def test_follow_up_is_resolved_from_history(client: TestClient) -> None:
    reply = ask(client, "How many overdose deaths in the CDC report had kratom detected?",
                "Kratom was detected in 152 of 27,338 overdose deaths [1].", "and how many had only kratom?")
    assert not reply["abstained"]
    assert "cdc-olsen-2019-deaths" in {c["id"] for c in reply["citations"]}


def test_topic_switch_follow_up(client: TestClient) -> None:
    reply = ask(client, "What did studies in rats find about mitragynine and depression?",
                "In mice, injected mitragynine shortened immobility [1].", "what about anxiety?")
    assert "hazim-2014-anxiolytic" in {c["id"] for c in reply["citations"]}


def test_draft_entries_never_reach_an_answer(client: TestClient) -> None:
    reply = ask(client, "What about kratom and zebrafish?")
    assert "zebrafish" not in reply["answer"]


def test_output_rail_removes_a_planted_dosing_sentence(client: TestClient) -> None:
    reply = ask(client, "What did users in the fictional fixture survey say about morning kratom tea routines?")
    assert reply["route"] == "answer"
    assert "you should take" not in reply["answer"].lower()
    assert not any("3 grams" in s["text"] for s in reply["sentences"])


def test_streaming_sends_a_sentence_event_each_then_the_reply(client: TestClient) -> None:
    body = {"messages": [{"role": "user", "content": "Do kratom users say it helps their depression?"}], "stream": True}
    with client.stream("POST", "/api/chat", json=body) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        raw = "".join(response.iter_text())
    events = [chunk for chunk in raw.split("\n\n") if chunk.strip()]
    kinds = [e.split("\n")[0].removeprefix("event: ") for e in events]
    assert kinds[-1] == "done" and set(kinds[:-1]) == {"sentence"}
    final = json.loads(events[-1].split("data: ", 1)[1])
    assert len(kinds) - 1 == len(final["sentences"])
    first = json.loads(events[0].split("data: ", 1)[1])
    assert first["text"] == final["sentences"][0]["text"] and first["citation_details"]


def test_accept_header_also_streams(client: TestClient) -> None:
    response = client.post("/api/chat", json={"messages": [{"role": "user", "content": "What is kratom?"}]},
                           headers={"Accept": "text/event-stream"})
    assert response.headers["content-type"].startswith("text/event-stream")
    assert "event: done" in response.text


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"messages": [{"role": "user", "content": "   "}]}, "message is empty"),
        ({"messages": [{"role": "user", "content": "x" * 2001}]}, "limit is 2000"),
        ({"messages": [{"role": "user", "content": "hi"}] * 21}, "limit is 20"),
        ({"messages": [{"role": "doctor", "content": "hi"}]}, "role must be 'user' or 'assistant'"),
        ({"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]},
         "last message must come from the user"),
        ({"messages": []}, "messages is empty"),
        ({}, "messages is required"),
        ({"messages": "what is kratom"}, "messages"),
    ],
)
def test_bad_input_gets_a_readable_422(client: TestClient, body: dict, fragment: str) -> None:  # type: ignore[type-arg]
    response = client.post("/api/chat", json=body)
    assert response.status_code == 422
    assert fragment in response.json()["detail"]


def test_invalid_json_gets_a_422(client: TestClient) -> None:
    response = client.post("/api/chat", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert "not valid JSON" in response.json()["detail"]


def test_sources_health_and_readiness(client: TestClient, engine) -> None:  # type: ignore[no-untyped-def]
    source = client.get("/api/sources/hazim-2014-anxiolytic").json()
    assert source["design"] == "Animal study" and source["sentences"] and source["text"]
    assert client.get("/api/sources/nope").status_code == 404
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["index_version"] == engine.index.version


def test_page_and_docs_are_served_with_a_strict_csp(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "unsafe-inline" not in page.headers["content-security-policy"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/docs-assets/swagger-ui-bundle.js" in docs.text
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/openapi.json").json()["paths"]["/api/chat"]


def test_concurrent_questions_each_get_their_own_answer(client: TestClient, engine) -> None:  # type: ignore[no-untyped-def]
    """Concurrent requests share batched model calls; no reply may carry another question's answer."""
    questions = [
        "Does kratom help depression?",
        "What is mitragynine?",
        "Is kratom withdrawal dangerous?",
        "What did surveys find about anxiety?",
    ] * 4
    alone = {q: ask(client, q) for q in set(questions)}
    batches_before = engine.queries.stats.batches
    with ThreadPoolExecutor(len(questions)) as pool:
        together = list(pool.map(lambda q: ask(client, q), questions))
    for q, reply in zip(questions, together, strict=True):
        assert reply["answer"] == alone[q]["answer"], q
    # fewer model calls than questions: some questions were encoded together
    assert engine.queries.stats.batches - batches_before < len(questions)


def test_a_lone_surrogate_gets_a_clear_422_not_a_5xx(client: TestClient) -> None:
    body = '{"messages": [{"role": "user", "content": "is kratom \\ud800 safe?"}]}'
    response = client.post("/api/chat", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert "unpaired surrogate" in response.json()["detail"]


def test_the_page_has_a_favicon(client: TestClient) -> None:
    for path in ("/favicon.ico", "/static/favicon.svg"):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")


def test_kb_info_says_when_the_kb_was_updated_and_lists_the_changes(client: TestClient, engine) -> None:  # type: ignore[no-untyped-def]
    from kbchat.service.web.api import long_date

    info = client.get("/api/kb").json()
    manifest = engine.index.manifest
    assert info["index_version"] == manifest.version and info["updated_at"] == manifest.published_at
    assert info["message"] == f"KB updated on {long_date(manifest.published_at)}"
    assert info["counts"]["entries"] == 6
    [change] = info["changes"]
    assert (change["action"], change["version"]) == ("ingest", manifest.version)
    assert "who" not in change, "editors' names stay in the changelog, not on the public API"
    assert long_date("2026-12-03T09:15:00+00:00") == "3 December 2026"


def test_a_source_says_when_it_was_last_reviewed(client: TestClient) -> None:
    assert client.get("/api/sources/hazim-2014-anxiolytic").json()["reviewed_on"] == "2026-11-22"


# --- POST /api/check ---------------------------------------------------------------------------


def test_a_claim_the_kb_states_is_supported_with_its_sentence(client: TestClient) -> None:
    got = client.post("/api/check", json={"claim": "In mice, mitragynine reduced immobility in the forced swim test."})
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["verdict"] in ("supported", "partly_supported")
    assert body["sentences"] and body["citations"]
    assert all(c["n"] >= 1 for c in body["citations"])


def test_a_dosing_claim_gets_the_refusal_not_a_verdict(client: TestClient) -> None:
    body = client.post("/api/check", json={"claim": "Take 2-5 g of kratom for anxiety."}).json()
    assert body["verdict"] == "refused" and body["route"] == "personal_dosing"
    assert body["sentences"] == [] and body["explanation"]


def test_a_claim_far_from_the_kb_has_no_evidence(client: TestClient) -> None:
    body = client.post("/api/check", json={"claim": "Bananas grow best in volcanic soil."}).json()
    assert body["verdict"] in ("no_evidence", "refused") and body["sentences"] == []


def test_an_empty_or_huge_claim_is_a_clear_422(client: TestClient) -> None:
    assert client.post("/api/check", json={"claim": ""}).status_code == 422
    assert client.post("/api/check", json={"claim": "x" * 1001}).status_code == 422
