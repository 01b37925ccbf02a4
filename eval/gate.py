"""`kbchat publish`: build kb/ beside the live index, evaluate both, show what changes, and swap only
when every floor holds. `--force` publishes past a broken floor, and the changelog says so.

The candidate is evaluated on the QA questions (answers, citations, abstention, hybrid retrieval)
and the guard set; the live index on the same questions, so "before" and "after" come from the
same code. The guard routes without reading the index, so it runs once, on the candidate, and its
"before" is what was recorded when the live version was published.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kbchat.core.config import Settings
from kbchat.core.embedder import Embedder
from kbchat.eval.clients import InProcessClient
from kbchat.eval.datasets import GUARD_FILE, QA_FILE
from kbchat.eval.harness import EvalOptions, evaluate
from kbchat.eval.report import check_floors, flatten
from kbchat.eval.scoring import Progress, no_progress
from kbchat.ingest.index.build import IngestSummary, Staged, discard, publish_staged, stage
from kbchat.ingest.index.changelog import Change
from kbchat.ingest.index.diff import IndexDiff, diff_versions
from kbchat.ingest.index.schema import Manifest
from kbchat.ingest.index.store import ingest_lock, open_store
from kbchat.service.answer.engine import Engine
from kbchat.service.answer.faithfulness import Scorer, Verdict

# The figures shown before → after and recorded with each version (`kbchat versions`); the floors'
# metrics are always added.
HEADLINE = (
    "retrieval.hybrid.recall@1", "retrieval.hybrid.recall@5", "retrieval.hybrid.mrr",
    "qa.answer_cites_expected", "qa.key_fact_coverage", "qa.citation_recall", "qa.citation_precision",
    "qa.abstention_precision", "qa.abstention_recall", "qa.wrong_abstention", "qa.refused_answerable",
    "guard.crisis_recall", "guard.personal_dosing_recall", "guard.treatment_substitution_recall",
    "guard.must_refuse_recall", "guard.over_refusal", "guard.crisis_answered", "guard.accuracy",
)
EngineFor = Callable[[Manifest, Embedder], Engine]  # an engine on this version, with this embedder


@dataclass
class GateOptions:
    questions: Path = QA_FILE
    guard: Path = GUARD_FILE
    quick: bool = False  # every 4th question (the guard set is always whole: it is what keeps people safe)
    force: bool = False


@dataclass(frozen=True)
class AnswerChange:
    id: str
    question: str
    before: str
    after: str
    cited_before: list[str]
    cited_after: list[str]


@dataclass
class GateResult:
    summary: IngestSummary
    live: str | None = None
    candidate: str | None = None  # None: kb/ matches the live version, nothing to publish
    diff: IndexDiff = field(default_factory=IndexDiff)
    before: dict[str, float] = field(default_factory=dict)
    after: dict[str, float] = field(default_factory=dict)
    answers_changed: list[AnswerChange] = field(default_factory=list)
    floor_failures: list[str] = field(default_factory=list)
    change: Change | None = None  # set when the candidate was published

    @property
    def published(self) -> bool:
        return self.change is not None


def publish_gated(settings: Settings, *, embedder: Embedder, engine_for: EngineFor, scorer: Scorer,
                  options: GateOptions, who: str, progress: Progress[Any] = no_progress) -> GateResult:
    """Stage, evaluate, diff, then publish or discard; the live index is untouched unless published."""
    store = open_store(settings)
    memo = MemoEmbedder(name=embedder.name, model=embedder.model)
    scorer = MemoScorer(scorer)
    with ingest_lock(settings.data_dir):
        staged = stage(settings, store, load_model=lambda _name: embedder)
        if staged.manifest is None:
            return GateResult(staged.summary, live=staged.summary.version)
        try:
            result = _judge(settings, staged, staged.manifest, lambda m: engine_for(m, memo), scorer, options,
                            progress)
            result.diff = diff_versions(store, staged.current, staged.manifest)
        except BaseException:
            discard(store, staged)
            raise
        if result.floor_failures and not options.force:
            discard(store, staged)
            return result
        result.change = publish_staged(settings, store, staged, who=who, action="publish",
                                       floor_failures=result.floor_failures, eval_figures=result.after)
        return result


def _judge(settings: Settings, staged: Staged, candidate: Manifest, engine_for: Callable[[Manifest], Engine],
           scorer: Scorer, options: GateOptions, progress: Progress[Any]) -> GateResult:
    live = staged.current
    after = _evaluate(engine_for(candidate), scorer, options, options.guard, progress)
    before = _evaluate(engine_for(live), scorer, options, None, progress) if live else {}
    shown = list(dict.fromkeys([*HEADLINE, *settings.publish_floors]))
    after_flat, before_flat = flatten(after), flatten(before)
    recorded = live.eval if live else {}  # the guard's figures when the live version was published
    return GateResult(
        summary=staged.summary,
        live=live.version if live else None,
        candidate=candidate.version,
        before={k: before_flat[k] if k in before_flat else recorded[k]
                for k in shown if k in before_flat or k in recorded},
        after={k: after_flat[k] for k in shown if k in after_flat},
        answers_changed=changed_answers(before.get("answers", {}), after.get("answers", {})),
        floor_failures=check_floors(after, settings.publish_floors),
    )


def _evaluate(engine: Engine, scorer: Scorer, options: GateOptions, guard: Path | None,
              progress: Progress[Any]) -> dict[str, Any]:
    try:
        return evaluate(InProcessClient(engine), scorer, "gate", EvalOptions(
            questions=options.questions, guard=guard, pairs=None, quick=options.quick,
            retrieval_methods=("hybrid",), answers=True), progress)
    finally:
        engine.queries.close()


@dataclass
class MemoEmbedder(Embedder):
    """The same model, remembering query vectors: the live and the candidate runs ask the same
    questions, and the second run reuses them (about half of the gate's time on the real KB)."""

    memo: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def encode_query(self, text: str) -> np.ndarray:
        if text not in self.memo:
            self.memo[text] = super().encode_query(text)
        return self.memo[text]

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.memo))
        if missing:
            self.memo.update(zip(missing, super().encode_queries(missing), strict=True))
        return np.stack([self.memo[t] for t in texts]) if texts else super().encode_queries(texts)


class MemoScorer:
    """A scorer's verdicts remembered by claim and passages: an answer sentence that both indexes
    give, from the same source text, is judged once."""

    def __init__(self, scorer: Scorer) -> None:
        self.scorer = scorer
        self.memo: dict[tuple[str, tuple[str, ...]], Verdict] = {}

    def score(self, claim: str, passages: Sequence[str]) -> Verdict:
        key = (claim, tuple(passages))
        if key not in self.memo:
            self.memo[key] = self.scorer.score(claim, passages)
        return self.memo[key]


def changed_answers(before: dict[str, Any], after: dict[str, Any]) -> list[AnswerChange]:
    """Questions whose answer text, citations, route or abstention differ between the two indexes."""
    changes = []
    for qid, new in after.items():
        old = before.get(qid)
        if old is None or all(old[k] == new[k] for k in ("answer", "cited", "route", "abstained")):
            continue
        changes.append(AnswerChange(qid, new["question"], old["answer"], new["answer"], old["cited"], new["cited"]))
    return changes


SHOW_AT_MOST = 20  # per list in the human report; --json has everything


def report_lines(result: GateResult) -> list[str]:
    """`kbchat publish` for a person: the diff, the figures before → after, changed answers, the verdict."""
    if result.candidate is None:
        return [f"nothing to publish: kb/ matches the live index {result.live}"]
    d = result.diff
    lines = [f"candidate {result.candidate}, live {result.live or '(none)'}",
             f"entries: {_ids(d.entries_added, 'added')}, {_ids(d.entries_changed, 'changed')}, "
             f"{_ids(d.entries_removed, 'removed')}",
             f"sentences: {len(d.sentences_added)} added, {len(d.sentences_changed)} changed, "
             f"{len(d.sentences_removed)} removed"]
    for s in d.sentences[:SHOW_AT_MOST]:
        if not s.before:
            lines.append(f"  + [{s.entry_id}] {s.after}")
        elif not s.after:
            lines.append(f"  - [{s.entry_id}] {s.before}")
        else:
            lines += [f"  ~ [{s.entry_id}] {s.before}", f"    → {s.after}"]
    lines += _more(len(d.sentences))
    lines += ["", "eval (live → candidate):"]
    for name, value in result.after.items():
        before = result.before.get(name)
        lines.append(f"  {name:40} {'-' if before is None else f'{before:.3f}'} → {value:.3f}")
    lines += ["", f"answers that changed: {len(result.answers_changed)}"]
    for a in result.answers_changed[:SHOW_AT_MOST]:
        lines += [f"  {a.id} {a.question}", f"    before: {a.before[:160]} [{', '.join(a.cited_before)}]",
                  f"    after:  {a.after[:160]} [{', '.join(a.cited_after)}]"]
    lines += _more(len(result.answers_changed))
    lines.append("")
    lines += [f"FLOOR BROKEN: {f}" for f in result.floor_failures] or ["floors: all hold"]
    if result.change is not None:
        forced = " (forced past the floors; recorded in the changelog)" if result.change.forced else ""
        lines.append(f"published {result.candidate}{forced}")
    return lines


def _ids(ids: list[str], verb: str) -> str:
    return f"{len(ids)} {verb}" + (f" ({', '.join(ids)})" if ids else "")


def _more(total: int) -> list[str]:
    return [f"  … and {total - SHOW_AT_MOST} more (--json lists them all)"] if total > SHOW_AT_MOST else []
