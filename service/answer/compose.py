"""Extractive answers: choose KB sentences for the question, order them, attach citations.

Every answer sentence is a sentence of the KB, so an answer cannot say what the KB does not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kbchat.ingest.index.loaded import LoadedIndex
from kbchat.service.answer.citations import Answer, AnswerSentence, Citation, cite
from kbchat.service.answer.retrieve import Hit

# Sentences in a top-ranked passage get this much extra cosine similarity: the passage-level
# hybrid ranking (BM25 + dense) knows about context a single sentence does not.
PASSAGE_BONUS = 0.05
# Stop adding sentences that score this far below the best one: they answer something else.
RELATIVE_DROP = 0.15
# MMR trade-off between relevance (1.0) and novelty (0.0).
MMR_LAMBDA = 0.75
# Two KB sentences this similar say the same thing; keep one.
DUPLICATE_SIM = 0.85
SUGGESTIONS = 3
MIN_SENTENCES = 2


@dataclass(frozen=True)
class ComposeParams:
    """Built from Settings (service/answer/engine.py), where each value is documented."""

    candidate_passages: int
    max_sentences: int
    max_per_entry: int
    abstain_threshold: float
    sentence_floor: float


@dataclass
class Selection:
    """Chosen sentence rows (indices into `index.sentences`) and the two best similarities seen.
    Whether to answer with them at all is decided afterwards (answerability.py)."""

    rows: list[int]
    top_score: float
    second_score: float = 0.0


def select_sentences(index: LoadedIndex, query_vec: np.ndarray, hits: list[Hit], params: ComposeParams) -> Selection:
    """Pick 2–5 relevant, diverse sentences, at most `max_per_entry` from one entry."""  # noqa: RUF002  # en dash
    if not index.sentences:
        return Selection([], 0.0)
    sims = index.sentence_matrix @ query_vec
    scores = _candidate_scores(index, sims, hits, params)
    best = [*sorted((float(sims[i]) for i in scores), reverse=True)[:2], 0.0, 0.0]
    return Selection(_mmr(index, sims, scores, best[0], params), best[0], best[1])


def _candidate_scores(index: LoadedIndex, sims: np.ndarray, hits: list[Hit], params: ComposeParams) -> dict[int, float]:
    scores: dict[int, float] = {}
    for hit in hits[: params.candidate_passages]:
        for i in index.sentences_of_passage.get(hit.passage_id, []):
            scores[i] = float(sims[i]) + PASSAGE_BONUS
    for i in np.argsort(-sims)[: params.candidate_passages * 2]:
        scores.setdefault(int(i), float(sims[i]))
    return scores


def _mmr(index: LoadedIndex, sims: np.ndarray, scores: dict[int, float], top: float,
         params: ComposeParams) -> list[int]:
    chosen: list[int] = []
    per_entry: dict[str, int] = {}
    pool = {i: s for i, s in scores.items() if sims[i] >= params.sentence_floor}
    while pool and len(chosen) < params.max_sentences:
        best, best_value = None, -np.inf
        for i, score in pool.items():
            redundancy = max((float(index.sentence_matrix[i] @ index.sentence_matrix[j]) for j in chosen), default=0.0)
            if redundancy >= DUPLICATE_SIM:
                continue
            value = MMR_LAMBDA * score - (1 - MMR_LAMBDA) * redundancy
            if value > best_value:
                best, best_value = i, value
        if best is None:
            break
        pool.pop(best)
        entry = index.sentences[best].entry_id
        if per_entry.get(entry, 0) >= params.max_per_entry:
            continue
        if len(chosen) >= MIN_SENTENCES and sims[best] < top - RELATIVE_DROP:
            break
        chosen.append(best)
        per_entry[entry] = per_entry.get(entry, 0) + 1
    return chosen


def order_for_reading(index: LoadedIndex, rows: list[int]) -> list[int]:
    """The best-scoring sentence first (the direct answer), then the rest grouped by entry:
    summaries (the overview) before studies, each entry's sentences in text order."""
    if not rows:
        return []
    lead, rest = rows[0], rows[1:]
    first_seen: dict[str, int] = {}
    for rank, i in enumerate(rows):
        first_seen.setdefault(index.sentences[i].entry_id, rank)

    def key(i: int) -> tuple[int, int, int]:
        sentence = index.sentences[i]
        is_study = int(index.entries[sentence.entry_id].kind != "summary")
        return is_study, first_seen[sentence.entry_id], sentence.position

    return [lead, *sorted(rest, key=key)]


def build_answer(index: LoadedIndex, rows: list[int]) -> Answer:
    """Number citations in order of first use; a summary sentence cites the studies it names."""
    citations: dict[str, Citation] = {}
    sentences = []
    for i in order_for_reading(index, rows):
        sentence = index.sentences[i]
        numbers = [_cite(index, citations, sid, i) for sid in _sources_of(index, i)]
        labels = tuple(dict.fromkeys(citations[s].design for s in _sources_of(index, i)))
        sentences.append(AnswerSentence(sentence.text, tuple(numbers), sentence.entry_id, labels))
    ordered = sorted(citations.values(), key=lambda c: c.n)
    return Answer(sentences, ordered, evidence_note([index.entries[c.id].design for c in ordered]))


# Plural labels for the evidence note, in the order a reader should weigh them (strongest first).
DESIGN_WORDS = {
    "systematic_review": ("systematic review", "systematic reviews"),
    "randomized_trial": ("randomised trial", "randomised trials"),
    "cohort": ("cohort study", "cohort studies"),
    "human_lab_study": ("laboratory study in people", "laboratory studies in people"),
    "cross_sectional_survey": ("survey", "surveys"),
    "case_series": ("case series", "case series"),
    "case_report": ("single case report", "case reports"),
    "surveillance_report": ("surveillance report", "surveillance reports"),
    "narrative_review": ("narrative review", "narrative reviews"),
    "animal_study": ("animal study", "animal studies"),
    "in_vitro": ("cell or receptor study", "cell or receptor studies"),
    "agency_statement": ("agency statement", "agency statements"),
    "other": ("other source", "other sources"),
}
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight")
HUMAN_TRIALS = ("randomized_trial",)


def evidence_note(designs: list[str]) -> str:
    """'It rests on one survey and two animal studies; none is a randomised trial.' from the
    designs of the cited sources (summaries are not evidence of their own and are not counted)."""
    counts: dict[str, int] = {}
    for design in designs:
        if design in DESIGN_WORDS:
            counts[design] = counts.get(design, 0) + 1
    if not counts:
        return ""
    parts = []
    for design, (one, many) in DESIGN_WORDS.items():
        n = counts.get(design, 0)
        if n:
            parts.append(f"{NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else n} {one if n == 1 else many}")
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    total = sum(counts.values())
    note = f"The cited evidence is {listed}"
    if not any(d in counts for d in HUMAN_TRIALS):
        note += "; none of it is a randomised trial" if total > 1 else "; it is not a randomised trial"
    return note + "."


def _sources_of(index: LoadedIndex, row: int) -> list[str]:
    sentence = index.sentences[row]
    if index.entries[sentence.entry_id].kind != "summary":
        return [sentence.entry_id]
    cited = [c for c in sentence.citations if c in index.entries]
    return cited or [sentence.entry_id]


def _cite(index: LoadedIndex, citations: dict[str, Citation], source_id: str, row: int) -> int:
    if source_id not in citations:
        entry = index.entries[source_id]
        sentence = index.sentences[row]
        via = sentence.entry_id if sentence.entry_id != source_id else None
        quote = _supporting_sentence(index, source_id, row) if via else sentence.text
        citations[source_id] = cite(entry, len(citations) + 1, quote, via)
    return citations[source_id].n


def _supporting_sentence(index: LoadedIndex, study_id: str, row: int) -> str:
    """The cited study's sentence closest to the summary sentence: what the reader should check."""
    rows = index.sentences_of_entry.get(study_id, [])
    if not rows:
        return ""
    sims = index.sentence_matrix[rows] @ index.sentence_matrix[row]
    return index.sentences[rows[int(np.argmax(sims))]].text


def _summaries_by_closeness(index: LoadedIndex, query_vec: np.ndarray) -> list[str]:
    summaries = [k for k, eid in enumerate(index.entry_ids) if index.entries[eid].kind == "summary"]
    if not summaries:
        return []
    sims = index.entry_matrix[summaries] @ query_vec
    return [index.entry_ids[summaries[k]] for k in np.argsort(-sims)]


def suggest_questions(index: LoadedIndex, query_vec: np.ndarray, n: int = SUGGESTIONS) -> list[str]:
    """Titles of the topic summaries nearest the question: things the KB does cover."""
    return [index.entries[eid].title for eid in _summaries_by_closeness(index, query_vec)[:n]]


def nearest_summaries(index: LoadedIndex, query_vec: np.ndarray, n: int = 2) -> list[str]:
    """Titles of the closest topic summaries, for saying what the KB has instead."""
    return suggest_questions(index, query_vec, n)


OVERVIEW_SENTENCES = 3


def overview_rows(index: LoadedIndex, summary_id: str) -> list[int]:
    """The opening sentences of a topic summary: an editor's overview of a bare topic."""
    rows = sorted(index.sentences_of_entry.get(summary_id, []), key=lambda i: index.sentences[i].position)
    return rows[:OVERVIEW_SENTENCES]
