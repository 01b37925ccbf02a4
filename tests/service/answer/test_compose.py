"""Sentence selection, reading order and citation numbering on the real fixture index."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from itertools import combinations

import numpy as np
import pytest

from kbchat.ingest.index.loaded import LoadedIndex
from kbchat.ingest.index.schema import NO_YEAR, EntryRow
from kbchat.service.answer.citations import Answer, Citation, cite
from kbchat.service.answer.compose import (
    DUPLICATE_SIM,
    RELATIVE_DROP,
    build_answer,
    order_for_reading,
    select_sentences,
)
from kbchat.service.answer.engine import Engine
from kbchat.service.answer.retrieve import retrieve
from kbchat.service.web.schemas import CitationOut

SUMMARY = "evidence-depression"
SURVEY = "garcia-romeu-2020-survey"
MICE = "farah-idayu-2011-fst"
RATS = "hazim-2014-anxiolytic"
QUESTIONS = (
    "Do kratom users say it helps their depression?",
    "Does kratom help depression?",
    "What did the 2017 survey of kratom users find?",
    "Does mitragynine reduce anxiety in rats?",
    "How many overdose deaths had kratom detected in the CDC report?",
)


def row_of(index: LoadedIndex, entry_id: str, position: int) -> int:
    matches = [i for i, s in enumerate(index.sentences) if s.entry_id == entry_id and s.position == position]
    assert len(matches) == 1, (entry_id, position)
    return matches[0]


def select(engine: Engine, question: str, index: LoadedIndex | None = None, **params: object):  # type: ignore[no-untyped-def]
    index = index or engine.index
    vec = engine.embedder.encode_query(question)
    hits = retrieve(index, question, vec, engine.retrieval)
    return select_sentences(index, vec, hits, replace(engine.compose, **params)), vec  # type: ignore[arg-type]


def numbers_in_first_use_order(answer: Answer) -> list[int]:
    seen: list[int] = []
    for sentence in answer.sentences:
        for n in sentence.citations:
            if n not in seen:
                seen.append(n)
    return seen


# --- select_sentences ------------------------------------------------------------------------


@pytest.mark.parametrize("question", QUESTIONS)
def test_selection_respects_the_caps_the_floor_and_the_duplicate_rule(engine: Engine, question: str) -> None:
    index, params = engine.index, engine.compose
    selection, vec = select(engine, question)
    rows = selection.rows
    assert rows, "every question here is answerable from the fixture KB"
    assert len(rows) == len(set(rows)) <= params.max_sentences
    per_entry: dict[str, int] = {}
    for i in rows:
        per_entry[index.sentences[i].entry_id] = per_entry.get(index.sentences[i].entry_id, 0) + 1
    assert max(per_entry.values()) <= params.max_per_entry
    for i, j in combinations(rows, 2):
        assert float(index.sentence_matrix[i] @ index.sentence_matrix[j]) < DUPLICATE_SIM
    sims = index.sentence_matrix @ vec
    assert selection.top_score >= params.abstain_threshold
    assert all(float(sims[i]) <= selection.top_score + 1e-6 for i in rows)
    assert all(float(sims[i]) >= params.sentence_floor for i in rows)
    assert all(float(sims[i]) >= selection.top_score - RELATIVE_DROP - 1e-6 for i in rows[2:])


def test_a_tighter_per_entry_cap_is_obeyed(engine: Engine) -> None:
    # With the default cap this question takes two sentences of the survey (see the next test).
    loose, _ = select(engine, "Does kratom help depression?")
    assert sum(engine.index.sentences[i].entry_id == SURVEY for i in loose.rows) == 2
    tight, _ = select(engine, "Does kratom help depression?", max_per_entry=1)
    entries = [engine.index.sentences[i].entry_id for i in tight.rows]
    assert len(entries) == len(set(entries))
    assert SURVEY in entries


def test_a_smaller_max_sentences_is_obeyed(engine: Engine) -> None:
    selection, _ = select(engine, "Does kratom help depression?", max_sentences=2)
    assert len(selection.rows) == 2


def test_a_near_duplicate_sentence_is_never_chosen_beside_its_twin(engine: Engine) -> None:
    index = engine.index
    twin = row_of(index, SURVEY, 0)
    # The same sentence again under another entry, so the per-entry cap cannot be what keeps it out.
    copy = replace(index.sentences[twin], id="copy", entry_id="cdc-olsen-2019-deaths", position=9)
    doubled = replace(
        index,
        sentences=[*index.sentences, copy],
        sentence_matrix=np.vstack([index.sentence_matrix, index.sentence_matrix[twin]]),
    )
    selection, _ = select(engine, "What share of kratom users took it for depression in the 2017 survey?", doubled)
    assert twin in selection.rows or len(index.sentences) in selection.rows
    assert not {twin, len(index.sentences)} <= set(selection.rows)


def test_selection_reports_its_two_best_similarities_and_leaves_the_decision_to_answerability(
        engine: Engine) -> None:
    question = "Do kratom users say it helps their depression?"
    selection, vec = select(engine, question)
    sims = np.sort(engine.index.sentence_matrix @ vec)[::-1]
    assert selection.rows
    assert selection.top_score == pytest.approx(float(sims[0]), abs=1e-6)
    assert selection.second_score <= selection.top_score
    assert selection.second_score == pytest.approx(float(sims[1]), abs=1e-6)


# --- order_for_reading -----------------------------------------------------------------------


def test_the_best_sentence_leads_then_summaries_then_each_entry_in_text_order(engine: Engine) -> None:
    index = engine.index
    survey_2, survey_0 = row_of(index, SURVEY, 2), row_of(index, SURVEY, 0)
    mice_0, summary_1, summary_0 = row_of(index, MICE, 0), row_of(index, SUMMARY, 1), row_of(index, SUMMARY, 0)
    ordered = order_for_reading(index, [survey_2, mice_0, summary_1, survey_0, summary_0])
    assert ordered == [survey_2, summary_0, summary_1, survey_0, mice_0]


def test_reading_order_keeps_the_rank_order_of_entries(engine: Engine) -> None:
    index = engine.index
    rats, mice, survey = row_of(index, RATS, 1), row_of(index, MICE, 0), row_of(index, SURVEY, 0)
    assert order_for_reading(index, [survey, rats, mice]) == [survey, rats, mice]
    assert order_for_reading(index, [survey, mice, rats]) == [survey, mice, rats]


@pytest.mark.parametrize("question", QUESTIONS)
def test_reading_order_of_a_real_selection_leads_with_its_best_sentence(engine: Engine, question: str) -> None:
    index = engine.index
    selection, vec = select(engine, question)
    ordered = order_for_reading(index, selection.rows)
    assert sorted(ordered) == sorted(selection.rows)
    assert ordered[0] == selection.rows[0]
    assert float(index.sentence_matrix[ordered[0]] @ vec) == pytest.approx(selection.top_score, abs=1e-6)
    kinds = [index.entries[index.sentences[i].entry_id].kind for i in ordered[1:]]
    assert kinds == sorted(kinds, key=lambda k: k != "summary")


# --- build_answer ----------------------------------------------------------------------------


def test_a_summary_sentence_cites_the_studies_it_names(engine: Engine) -> None:
    index = engine.index
    summary_0, summary_1 = row_of(index, SUMMARY, 0), row_of(index, SUMMARY, 1)
    assert index.sentences[summary_0].citations == (SURVEY,)
    assert index.sentences[summary_1].citations == (MICE,)
    rats = row_of(index, RATS, 0)

    answer = build_answer(index, [summary_0, rats, summary_1])

    assert [s.entry_id for s in answer.sentences] == [SUMMARY, SUMMARY, RATS]
    assert [s.citations for s in answer.sentences] == [(1,), (2,), (3,)]
    assert [s.evidence for s in answer.sentences] == [("Survey",), ("Animal study",), ("Animal study",)]
    assert [(c.n, c.id) for c in answer.citations] == [(1, SURVEY), (2, MICE), (3, RATS)]
    assert answer.evidence_note == ("The cited evidence is one survey and two animal studies; "
                                    "none of it is a randomised trial.")
    survey, mice, rat = answer.citations
    assert survey.via == SUMMARY and mice.via == SUMMARY and rat.via is None
    # A cited study's quote is one of its own sentences (what the reader should check), not the summary's.
    assert survey.quote in {index.sentences[i].text for i in index.sentences_of_entry[SURVEY]}
    assert mice.quote in {index.sentences[i].text for i in index.sentences_of_entry[MICE]}
    assert rat.quote == index.sentences[rats].text
    assert "[@" not in answer.text and "[1]" in answer.text


def test_citations_are_numbered_in_order_of_first_use_and_reused(engine: Engine) -> None:
    index = engine.index
    survey_0, survey_1, mice_0 = row_of(index, SURVEY, 0), row_of(index, SURVEY, 1), row_of(index, MICE, 0)
    answer = build_answer(index, [mice_0, survey_1, survey_0])
    assert [s.entry_id for s in answer.sentences] == [MICE, SURVEY, SURVEY]
    assert [s.citations for s in answer.sentences] == [(1,), (2,), (2,)]
    assert [(c.n, c.id) for c in answer.citations] == [(1, MICE), (2, SURVEY)]
    # The quote is the first sentence that cited it in reading order (text order within the entry).
    assert answer.citations[1].quote == index.sentences[survey_0].text
    assert [s.text for s in answer.sentences[1:]] == [index.sentences[survey_0].text, index.sentences[survey_1].text]


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_citation_number_of_a_real_answer_exists_and_runs_from_one(engine: Engine, question: str) -> None:
    selection, _ = select(engine, question)
    answer = build_answer(engine.index, selection.rows)
    assert len(answer.sentences) == len(selection.rows)
    numbers = [c.n for c in answer.citations]
    assert numbers == list(range(1, len(answer.citations) + 1))
    assert len({c.id for c in answer.citations}) == len(answer.citations)
    assert numbers_in_first_use_order(answer) == numbers
    for sentence in answer.sentences:
        assert sentence.citations, sentence.text
        assert set(sentence.citations) <= set(numbers)
        labels = {answer.citations[n - 1].design for n in sentence.citations}
        assert set(sentence.evidence) == labels


def test_a_summary_sentence_whose_studies_are_not_indexed_cites_the_summary(engine: Engine) -> None:
    index = engine.index
    summary_0 = row_of(index, SUMMARY, 0)
    orphan = replace(index.sentences[summary_0], citations=("draft-study", "no-such-study"))
    sentences = list(index.sentences)
    sentences[summary_0] = orphan
    answer = build_answer(replace(index, sentences=sentences), [summary_0])
    assert [(c.n, c.id, c.via) for c in answer.citations] == [(1, SUMMARY, None)]
    citation = answer.citations[0]
    assert citation.year is None and index.entries[SUMMARY].year == NO_YEAR
    assert citation.design == "Editors' summary"
    assert citation.quote == orphan.text


def test_no_rows_build_an_empty_answer(engine: Engine) -> None:
    answer = build_answer(engine.index, [])
    assert answer.sentences == [] and answer.citations == [] and answer.text == ""


# --- citations.cite and the API mirror -------------------------------------------------------


def _entry(**changes: object) -> EntryRow:
    base = EntryRow(
        id="s1", kind="study", title="A survey", design="cross_sectional_survey", year=2020,
        url="https://example.org/s1", authors="Tester", authors_full=("Tester, Ada",), journal="J Tests",
        doi="10.1/s1", pmid="", population="100 adults", topics=("mood",), body="Body.",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_cite_maps_year_zero_to_none_and_keeps_a_real_year() -> None:
    assert cite(_entry(year=NO_YEAR), 1, "q").year is None
    assert cite(_entry(year=2020), 1, "q").year == 2020


def test_cite_uses_the_design_label_a_reader_sees() -> None:
    assert cite(_entry(design="cross_sectional_survey"), 1, "q").design == "Survey"
    assert cite(_entry(design="animal_study"), 1, "q").design == "Animal study"
    assert cite(_entry(design="agency_statement"), 1, "q").design == "Agency statement"


def test_cite_copies_the_entry_and_the_arguments() -> None:
    entry = _entry()
    citation = cite(entry, 4, "the sentence to check", via="a-summary")
    assert citation == Citation(
        n=4, id="s1", title="A survey", authors="Tester", year=2020, journal="J Tests", design="Survey",
        url="https://example.org/s1", quote="the sentence to check", via="a-summary",
    )
    assert cite(entry, 1, "q").via is None


def test_the_api_citation_mirrors_the_citation_dataclass_field_for_field() -> None:
    assert set(CitationOut.model_fields) == {f.name for f in dataclasses.fields(Citation)}


def test_a_real_citation_validates_into_the_api_model_unchanged(engine: Engine) -> None:
    index = engine.index
    answer = build_answer(index, [row_of(index, SUMMARY, 0), row_of(index, RATS, 0)])
    for citation in answer.citations:
        assert CitationOut.model_validate(citation).model_dump() == dataclasses.asdict(citation)


# --- evidence_note and overviews ------------------------------------------------------------------


def test_the_evidence_note_counts_designs_strongest_first_and_ignores_summaries() -> None:
    from kbchat.service.answer.compose import evidence_note

    assert evidence_note([]) == ""
    assert evidence_note(["summary"]) == ""
    assert evidence_note(["case_report"]) == (
        "The cited evidence is one single case report; it is not a randomised trial.")
    assert evidence_note(["animal_study", "randomized_trial", "cross_sectional_survey", "animal_study"]) == (
        "The cited evidence is one randomised trial, one survey and two animal studies.")


def test_an_overview_is_the_opening_of_a_summary_in_text_order(engine: Engine) -> None:
    from kbchat.service.answer.compose import OVERVIEW_SENTENCES, overview_rows

    index = engine.index
    rows = overview_rows(index, SUMMARY)
    assert rows and len(rows) <= OVERVIEW_SENTENCES
    assert [index.sentences[i].position for i in rows] == list(range(len(rows)))
    assert {index.sentences[i].entry_id for i in rows} == {SUMMARY}
    assert overview_rows(index, "no-such-entry") == []
