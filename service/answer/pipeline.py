"""One request: guard → retrieve → compose → output rail → reply."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from kbchat.service.answer.compose import Answer, AnswerSentence, build_answer, select_sentences, suggest_questions
from kbchat.service.answer.coverage import uncovered_word
from kbchat.service.answer.engine import Engine
from kbchat.core.conversation import Turn, resolve_query
from kbchat.service.guard.templates import ABSTAIN_FOLLOW_UP, ABSTAIN_MISSING_WORD, ABSTAIN_SENTENCE, TEMPLATES, Resource
from kbchat.ingest.index.loaded import LoadedIndex
from kbchat.service.answer.rail import keep_sentence
from kbchat.service.answer.retrieve import retrieve


@dataclass
class Reply:
    route: str
    abstained: bool
    answer: Answer
    index_version: str
    suggestions: list[str] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    mode: str = "extractive"
    uncovered: str | None = None  # the word the question is about that the KB never mentions


def respond(turns: Sequence[Turn], engine: Engine) -> Reply:
    """The whole pipeline for the last user message of a conversation."""
    index = engine.index  # one version for the whole request, even if a reload happens meanwhile
    query = resolve_query(turns)
    query_vec = engine.queries.encode(query)
    decision = engine.guard.route(turns, query_vec)
    if decision.route != "answer":
        return template_reply(decision.route, index.version)
    hits = retrieve(index, query, query_vec, engine.retrieval)
    selection = select_sentences(index, query_vec, hits, engine.compose)
    rows = [r for r in selection.rows if keep_sentence(index.sentences[r].text)]  # output rail
    if not rows:
        return abstain_reply(index, query_vec)
    missing = uncovered_word(query, query_vec, selection.top_score, index.vocabulary, engine.queries.encode_many, engine.coverage)
    if missing:
        return abstain_reply(index, query_vec, missing)
    extractive = build_answer(index, rows)
    if engine.generator is not None:
        from kbchat.service.answer.generative import generate_verified

        generated = generate_verified(engine.generator, query, index, hits, engine.compose)
        if generated is not None:
            return Reply("answer", False, generated, index.version, mode="generative")
    return Reply("answer", False, extractive, index.version)


def template_reply(route: str, index_version: str) -> Reply:
    template = TEMPLATES[route]
    answer = Answer([_plain(s) for s in template.sentences], [])
    return Reply(route, False, answer, index_version, list(template.suggestions), list(template.resources))


def abstain_reply(index: LoadedIndex, query_vec: np.ndarray, missing: str | None = None) -> Reply:
    first = ABSTAIN_MISSING_WORD.format(word=missing) if missing else ABSTAIN_SENTENCE
    answer = Answer([_plain(first), _plain(ABSTAIN_FOLLOW_UP)], [])
    suggestions = suggest_questions(index, query_vec)
    return Reply("answer", True, answer, index.version, suggestions, uncovered=missing)


def _plain(text: str) -> AnswerSentence:
    """A fixed sentence of a template: not a KB claim, so it carries no citation."""
    return AnswerSentence(text=text, citations=(), entry_id="", evidence=())
