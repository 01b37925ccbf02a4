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
from kbchat.core.text import STOPWORDS, WORD, fold, stem
from kbchat.ingest.index.loaded import LoadedIndex
from kbchat.service.answer.answerability import Signals
from kbchat.service.answer.citations import Answer, plain
from kbchat.service.answer.compose import (
    Selection,
    build_answer,
    nearest_summaries,
    overview_rows,
    select_sentences,
    suggest_questions,
)
from kbchat.service.answer.coverage import QUESTION_WORDS, Coverage, coverage_of
from kbchat.service.answer.engine import Engine
from kbchat.service.answer.inform import EVIDENCE_SENTENCES, LEAD, effect_asked, research_question
from kbchat.service.answer.rail import keep_sentence
from kbchat.service.answer.replies import ABSTAIN_FOLLOW_UP, ABSTAIN_MISSING_WORD, ABSTAIN_NEAREST, ABSTAIN_SENTENCE
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
    coverage: Coverage | None = None
    signals: Signals | None = None
    answerable: bool = False
    overview: bool = False  # a bare topic ("kratom", "withdrawal?") answered with its summary's opening


# "kratom", "withdrawal?", "is it addictive": at most this many words the question is about.
BARE_TOPIC_WORDS = 2
# A bare topic gets a summary's overview only when its cosine to the summary's title plus its cosine
# to the summary's text reaches this: "pregnancy" 0.65, "is it addictive" 0.70, "kratom" 1.43, while
# "ayahuasca" 0.55 and "Valium" 0.44 get the abstention instead.
OVERVIEW_FLOOR = 0.60
# 'kratom' is a stop word for retrieval (every passage has it) but is what a bare "kratom" is about.
PLANT_NAMES = frozenset({"kratom", "ketum", "mitragyna", "speciosa"})


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


def cover(engine: Engine, index: LoadedIndex, query: str, query_vec: np.ndarray, top_score: float) -> Coverage:
    """How much the question is about words the KB never uses (service/answer/coverage.py)."""
    return coverage_of(query, query_vec, top_score, index.vocabulary, engine.queries.encode_many, engine.coverage)


def signals(index: LoadedIndex, hits: list[Hit], selection: Selection, coverage: Coverage) -> Signals:
    dense_top = {h.passage_id for h in sorted(hits, key=lambda h: -h.dense)[:3]}
    lexical_best = max(hits, key=lambda h: h.lexical, default=None)
    return Signals(
        top_sentence=selection.top_score,
        second_sentence=selection.second_score,
        top_passage_dense=max((h.dense for h in hits), default=0.0),
        lexical_agrees=float(lexical_best is not None and lexical_best.lexical > 0
                             and lexical_best.passage_id in dense_top),
        uncovered_shift=coverage.shift,
        missing_words=coverage.missing,
    )


def decide(engine: Engine, trace: Trace) -> bool:
    """Answer or abstain: the calibrated model when one is fitted, else the two old thresholds."""
    assert trace.signals is not None and trace.coverage is not None
    if engine.answerability is not None:
        return engine.answerability.answers(trace.signals)
    return (trace.signals.top_sentence >= engine.compose.abstain_threshold
            and trace.coverage.shift < engine.coverage.min_shift)


def uncovered(engine: Engine, trace: Trace) -> str | None:
    """The word the question is about that the KB never mentions, named to the reader as the reason
    only when dropping it moved the question at least KBCHAT_COVERAGE_MIN_SHIFT; otherwise the
    abstention names the nearest topics instead."""
    found = trace.coverage
    if trace.answerable or found is None or found.word is None:
        return None
    return found.word if found.shift >= engine.coverage.min_shift else None


def is_bare_topic(query: str) -> bool:
    """A topic rather than a question: one or two words it is about ("kratom", "is it addictive?")."""
    words = [w for w in WORD.findall(fold(query)) if w not in STOPWORDS or w in PLANT_NAMES]
    about = [w for w in dict.fromkeys(stem(w) for w in words) if w not in QUESTION_WORDS]
    return 0 < len(about) <= BARE_TOPIC_WORDS and len(query.split()) <= BARE_TOPIC_WORDS + 3


def overview_summary(engine: Engine, index: LoadedIndex, query_vec: np.ndarray) -> str | None:
    """The topic summary a bare topic names, if one is close enough (by its title and its text)."""
    ids, title_vectors = engine.summary_titles(index)
    if not ids:
        return None
    by_title = title_vectors @ query_vec
    by_text = np.array([float(index.entry_matrix[index.entry_ids.index(eid)] @ query_vec) for eid in ids])
    closeness = by_title + by_text
    best = int(np.argmax(closeness))
    return ids[best] if closeness[best] >= OVERVIEW_FLOOR else None


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
    trace.coverage = cover(engine, index, query, query_vec, trace.selection.top_score)
    trace.signals = signals(index, trace.hits, trace.selection, trace.coverage)
    trace.answerable = bool(trace.rows) and decide(engine, trace)
    if is_bare_topic(query):
        summary = overview_summary(engine, index, query_vec)
        rows = rail(index, overview_rows(index, summary)) if summary else []
        if rows:
            trace.rows, trace.overview, trace.answerable = rows, True, True
    return trace


def respond(turns: Sequence[Turn], engine: Engine) -> Reply:
    """The whole pipeline for the last user message of a conversation."""
    trace = run(turns, engine)
    index = trace.index
    if trace.decision.route != "answer":
        reply = template_reply(trace.decision.route, index.version, risk=trace.decision.risk)
        return inform(engine, index, trace.query, reply)
    if not trace.answerable:
        return abstain_reply(index, trace.query_vec, uncovered(engine, trace))
    if engine.generator is not None and not trace.overview:
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
    """Say why: the word the KB never mentions, or the nearest topics it does cover; then suggest those."""
    nearest = nearest_summaries(index, query_vec)
    if missing:
        first = ABSTAIN_MISSING_WORD.format(word=missing)
    elif nearest:
        first = ABSTAIN_NEAREST.format(topics=_joined([t[0].lower() + t[1:] for t in nearest[:2]]))
    else:
        first = ABSTAIN_SENTENCE
    answer = Answer([plain(first), plain(ABSTAIN_FOLLOW_UP)], [])
    return Reply("answer", True, answer, index.version, suggest_questions(index, query_vec), uncovered=missing)


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
