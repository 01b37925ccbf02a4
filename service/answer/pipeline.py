"""One request as named stages: clean → resolve → encode → route → retrieve → select → rail →
cover → compose. `run` records every stage's output in a `Trace`; `respond` turns it into a `Reply`.

Eval and bench call the stages they measure (`encode`, `route`, `rank`) instead of reaching into
the engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from kbchat.core.conversation import Mode, Route, Turn, resolve_query
from kbchat.core.deobfuscate import deobfuscate
from kbchat.ingest.index.loaded import LoadedIndex
from kbchat.service.answer.citations import Answer, plain
from kbchat.service.answer.compose import Selection, build_answer, select_sentences, suggest_questions
from kbchat.service.answer.coverage import uncovered_word
from kbchat.service.answer.engine import Engine
from kbchat.service.answer.inform import EVIDENCE_SENTENCES, LEAD, effect_asked, research_question
from kbchat.service.answer.rail import keep_sentence
from kbchat.service.answer.replies import ABSTAIN_FOLLOW_UP, ABSTAIN_MISSING_WORD, ABSTAIN_SENTENCE
from kbchat.service.answer.retrieve import Hit, Method, ranked_entries, retrieve
from kbchat.service.guard.router import Decision
from kbchat.service.guard.templates import CRISIS_RESOURCES, RISK_SENTENCE, TEMPLATES, Resource


@dataclass
class Reply:
    route: Route
    abstained: bool
    answer: Answer
    index_version: str
    suggestions: list[str] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    mode: Mode = "extractive"
    uncovered: str | None = None  # the word the question is about that the KB never mentions


@dataclass
class Trace:
    """What each stage produced for one request; later stages stay empty when an earlier one decides."""

    index: LoadedIndex
    query: str
    query_vec: np.ndarray
    decision: Decision
    hits: list[Hit] = field(default_factory=list)
    selection: Selection | None = None
    rows: list[int] = field(default_factory=list)  # selected sentence rows that passed the rail
    uncovered: str | None = None


# --- the stages -------------------------------------------------------------------------------
def clean(turns: Sequence[Turn]) -> list[Turn]:
    """Every turn as its writer meant it to be read: invisible characters, look-alike letters,
    spaced-out letters and digits for letters undone (core/deobfuscate.py), before anything reads it."""
    return [Turn(t.role, deobfuscate(t.content)) for t in turns]


def resolve(turns: Sequence[Turn]) -> str:
    """The question to answer: the last user message, completed from the previous one if it is a follow-up."""
    return resolve_query(turns)


def encode(engine: Engine, query: str) -> np.ndarray:
    """The question's unit vector, batched with concurrent requests."""
    return engine.queries.encode(query)


def route(engine: Engine, turns: Sequence[Turn], query_vec: np.ndarray) -> Decision:
    return engine.guard.route(turns, query_vec, engine.queries.encode_many)


def rank(engine: Engine, index: LoadedIndex, query: str, query_vec: np.ndarray, method: Method = "hybrid") -> list[Hit]:
    """Passages ranked for the question (`method` lets eval show each retriever alone)."""
    return retrieve(index, query, query_vec, engine.retrieval, method)


def ranked_entry_ids(engine: Engine, question: str, method: Method = "hybrid") -> list[str]:
    """Entry ids in rank order for one question, for the retrieval metrics."""
    return ranked_entries(rank(engine, engine.index, question, encode(engine, question), method))


def select(engine: Engine, index: LoadedIndex, query_vec: np.ndarray, hits: list[Hit]) -> Selection:
    return select_sentences(index, query_vec, hits, engine.compose)


def rail(index: LoadedIndex, rows: list[int]) -> list[int]:
    """The output rail: drop any sentence that instructs an amount, frequency, timing or strain."""
    return [r for r in rows if keep_sentence(index.sentences[r].text)]


def cover(engine: Engine, index: LoadedIndex, query: str, query_vec: np.ndarray, top_score: float) -> str | None:
    """The word the question is about that the KB never uses, if any (service/answer/coverage.py)."""
    return uncovered_word(query, query_vec, top_score, index.vocabulary, engine.queries.encode_many, engine.coverage)


# --- the request ------------------------------------------------------------------------------
def run(turns: Sequence[Turn], engine: Engine) -> Trace:
    """Every stage up to composition, for the last user message of `turns`."""
    index = engine.index  # one version for the whole request, even if a reload happens meanwhile
    turns = clean(turns)
    query = resolve(turns)
    query_vec = encode(engine, query)
    trace = Trace(index, query, query_vec, route(engine, turns, query_vec))
    if trace.decision.route != "answer":
        return trace
    trace.hits = rank(engine, index, query, query_vec)
    trace.selection = select(engine, index, query_vec, trace.hits)
    trace.rows = rail(index, trace.selection.rows)
    if trace.rows:
        trace.uncovered = cover(engine, index, query, query_vec, trace.selection.top_score)
    return trace


def respond(turns: Sequence[Turn], engine: Engine) -> Reply:
    """The whole pipeline for the last user message of a conversation."""
    trace = run(turns, engine)
    index = trace.index
    if trace.decision.route != "answer":
        reply = template_reply(trace.decision.route, index.version, risk=trace.decision.risk)
        return inform(engine, index, trace.query, reply)
    if not trace.rows:
        return abstain_reply(index, trace.query_vec)
    if trace.uncovered:
        return abstain_reply(index, trace.query_vec, trace.uncovered)
    if engine.generator is not None:
        from kbchat.service.answer.generative import generate_verified

        generated = generate_verified(engine.generator, trace.query, index, trace.hits, engine.compose)
        if generated is not None:
            return Reply("answer", False, generated, index.version, mode="generative")
    return Reply("answer", False, build_answer(index, trace.rows), index.version)


def template_reply(route: Route, index_version: str, risk: bool = False) -> Reply:
    """The reviewed reply for a route; a refusal that carries a crisis signal adds the crisis resources."""
    template = TEMPLATES[route]
    sentences = [plain(s) for s in template.sentences]
    resources = list(template.resources)
    if risk and route != "crisis":
        sentences.insert(0, plain(RISK_SENTENCE))
        resources = [*CRISIS_RESOURCES, *resources]
    return Reply(route, False, Answer(sentences, []), index_version, list(template.suggestions), resources)


def inform(engine: Engine, index: LoadedIndex, question: str, reply: Reply) -> Reply:
    """Below a dosing or treatment refusal that also asks about an effect, the cited evidence on
    kratom and that effect (service/answer/inform.py). Crisis replies carry no KB content (policy)."""
    topic = effect_asked(question) if reply.route in ("personal_dosing", "treatment_substitution") else None
    if topic is None:
        return reply
    question = research_question(topic)
    vec = encode(engine, question)
    selection = select(engine, index, vec, rank(engine, index, question, vec))
    rows = rail(index, selection.rows)[:EVIDENCE_SENTENCES]
    if not rows:
        return reply
    evidence = build_answer(index, rows)
    sentences = [*reply.answer.sentences, plain(LEAD.format(topic=topic)), *evidence.sentences]
    reply.answer = Answer(sentences, evidence.citations)
    return reply


def abstain_reply(index: LoadedIndex, query_vec: np.ndarray, missing: str | None = None) -> Reply:
    first = ABSTAIN_MISSING_WORD.format(word=missing) if missing else ABSTAIN_SENTENCE
    answer = Answer([plain(first), plain(ABSTAIN_FOLLOW_UP)], [])
    suggestions = suggest_questions(index, query_vec)
    return Reply("answer", True, answer, index.version, suggestions, uncovered=missing)
