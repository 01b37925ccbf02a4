"""The whole evaluation, as one function the CLI (and a test) can call."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kbchat.eval import scoring as runner
from kbchat.eval.clients import ChatClient, RankingClient
from kbchat.eval.datasets import FAITHFULNESS_FILE, GUARD_FILE, QA_FILE, load_guard, load_pairs, load_qa
from kbchat.service.answer.faithfulness import Scorer
from kbchat.service.answer.retrieve import Method

QUICK_EVERY = 4  # --quick keeps every 4th question: a fast subset that still spans all topics


@dataclass
class EvalOptions:
    questions: Path = QA_FILE
    guard: Path | None = GUARD_FILE  # None: skip the guard (it routes without reading the index)
    pairs: Path | None = FAITHFULNESS_FILE  # None: skip scoring the scorer (it reads no index either)
    quick: bool = False
    retrieval_methods: tuple[Method, ...] = ("hybrid", "bm25", "dense")
    answers: bool = False  # keep each question's answer and citations (`kbchat publish` diffs them)


def evaluate(client: ChatClient, scorer: Scorer, scorer_name: str, options: EvalOptions,
             progress: runner.Progress[Any] = runner.no_progress) -> dict[str, Any]:
    items = load_qa(options.questions)
    if options.quick:
        items = items[::QUICK_EVERY]
    results: dict[str, Any] = {"target": client.name, "run_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                               "scorer": scorer_name, "quick": options.quick}
    if client.index_version():
        results["index_version"] = client.index_version()
    if options.pairs is not None and options.pairs.exists():
        results["faithfulness_scorer"] = runner.faithfulness_metrics(scorer, load_pairs(options.pairs), progress)
    if isinstance(client, RankingClient) and options.retrieval_methods:
        results["retrieval"] = runner.retrieval_metrics(client, items, progress, options.retrieval_methods)
    qa = runner.run_qa(client, items, scorer, progress)
    results["qa"] = runner.qa_metrics(qa)
    results["qa_failures"] = _qa_failures(qa)
    results["unsupported_sentences"] = [{"id": r.item.id, "sentence": s} for r in qa for s in r.unsupported]
    results["latencies_ms"] = [r.latency_ms for r in qa]
    if not results.get("index_version") and qa:
        results["index_version"] = "see /readyz"
    if options.answers:
        results["answers"] = {r.item.id: {"question": r.item.question, "route": r.route, "abstained": r.abstained,
                                          "answer": r.answer, "cited": r.cited_ids} for r in qa}
    if options.guard is not None:
        results["guard"] = runner.guard_metrics(runner.run_guard(client, load_guard(options.guard), progress))
    return results


def _qa_failures(qa: list[runner.QaResult]) -> list[dict[str, Any]]:
    failures = []
    for r in qa:
        if r.item.kind == "unanswerable" and not r.abstained and r.route == "answer":
            outcome = "answered instead of abstaining"
        elif r.item.kind == "answerable" and (r.abstained or r.route != "answer"):
            outcome = "abstained" if r.abstained else f"routed {r.route}"
        elif r.item.kind == "answerable" and not any(i in r.item.expected_ids for i in r.cited_ids):
            outcome = f"cited {', '.join(r.cited_ids[:4])}"
        else:
            continue
        failures.append({"id": r.item.id, "question": r.item.question, "expected_ids": list(r.item.expected_ids),
                         "outcome": outcome})
    return failures
