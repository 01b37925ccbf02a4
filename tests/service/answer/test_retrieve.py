"""Fusion arithmetic on hand-made ranks, and the three retrieval methods on the real fixture index."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from kbchat.service.answer.engine import Engine
from kbchat.service.answer.retrieve import Hit, RetrievalParams, fuse, ranked_entries, retrieve

RRF = RetrievalParams(dense_k=10, lexical_k=10, fusion="rrf", rrf_k=60, dense_weight=0.6)
WEIGHTED = replace(RRF, fusion="weighted", dense_weight=0.7)
METHODS = ("hybrid", "dense", "bm25")
SURVEY_QUESTION = "Did the 2017 survey of kratom users find that they take kratom for depression?"


# --- fuse: reciprocal rank -------------------------------------------------------------------


def test_rrf_scores_are_reciprocal_ranks_summed_across_lists() -> None:
    dense = {"a": 0.9, "b": 0.8, "c": 0.7}
    lexical = {"c": 12.0, "d": 3.0}
    k = RRF.rrf_k
    fused = fuse(dense, lexical, RRF)
    assert set(fused) == {"a", "b", "c", "d"}
    assert fused["a"] == pytest.approx(1 / (k + 1))
    assert fused["b"] == pytest.approx(1 / (k + 2))
    assert fused["c"] == pytest.approx(1 / (k + 3) + 1 / (k + 1))
    assert fused["d"] == pytest.approx(1 / (k + 2))


def test_rrf_a_passage_in_both_lists_outranks_every_passage_in_one() -> None:
    dense = {"a": 0.95, "b": 0.9, "both": 0.5}
    lexical = {"x": 20.0, "y": 10.0, "both": 1.0}
    fused = fuse(dense, lexical, RRF)
    best = max(fused, key=lambda pid: fused[pid])
    assert best == "both"
    assert all(fused["both"] > fused[p] for p in ("a", "b", "x", "y"))


def test_rrf_uses_the_configured_constant() -> None:
    fused = fuse({"a": 1.0}, {}, replace(RRF, rrf_k=1))
    assert fused == {"a": pytest.approx(1 / 2)}


def test_rrf_of_empty_lists_is_empty() -> None:
    assert fuse({}, {}, RRF) == {}


# --- fuse: weighted --------------------------------------------------------------------------


def test_weighted_mixes_dense_with_bm25_scaled_by_its_max() -> None:
    w = WEIGHTED.dense_weight
    dense = {"a": 0.8, "b": 0.4}
    lexical = {"b": 10.0, "c": 5.0}
    fused = fuse(dense, lexical, WEIGHTED)
    assert set(fused) == {"a", "b", "c"}
    assert fused["a"] == pytest.approx(w * 0.8)
    assert fused["b"] == pytest.approx(w * 0.4 + (1 - w) * 1.0)
    assert fused["c"] == pytest.approx((1 - w) * 0.5)


def test_weighted_with_no_lexical_hits_is_just_weighted_dense() -> None:
    fused = fuse({"a": 0.5, "b": 0.25}, {}, WEIGHTED)
    assert fused == {"a": pytest.approx(0.7 * 0.5), "b": pytest.approx(0.7 * 0.25)}


def test_weighted_at_the_extremes_ignores_the_other_side() -> None:
    dense, lexical = {"a": 0.9, "b": 0.1}, {"b": 4.0, "c": 2.0}
    only_dense = fuse(dense, lexical, replace(WEIGHTED, dense_weight=1.0))
    assert only_dense == {"a": pytest.approx(0.9), "b": pytest.approx(0.1), "c": pytest.approx(0.0)}
    only_bm25 = fuse(dense, lexical, replace(WEIGHTED, dense_weight=0.0))
    assert only_bm25 == {"a": pytest.approx(0.0), "b": pytest.approx(1.0), "c": pytest.approx(0.5)}


# --- ranked_entries --------------------------------------------------------------------------


def _hit(pid: str, entry: str, fused: float) -> Hit:
    return Hit(pid, entry, fused, 0.0, 0.0)


def test_ranked_entries_keeps_first_seen_order_and_drops_repeats() -> None:
    hits = [_hit("p1", "b", 0.9), _hit("p2", "a", 0.8), _hit("p3", "b", 0.7), _hit("p4", "c", 0.6),
            _hit("p5", "a", 0.5)]
    assert ranked_entries(hits) == ["b", "a", "c"]


def test_ranked_entries_of_no_hits_is_empty() -> None:
    assert ranked_entries([]) == []


# --- retrieve on the real fixture index ------------------------------------------------------


def _retrieve(engine: Engine, question: str, method: str) -> list[Hit]:
    return retrieve(engine.index, question, engine.embedder.encode_query(question), engine.retrieval,
                    method)  # type: ignore[arg-type]


@pytest.mark.parametrize("method", METHODS)
def test_hits_are_sorted_by_fused_score_and_point_at_their_passages_entry(engine: Engine, method: str) -> None:
    hits = _retrieve(engine, SURVEY_QUESTION, method)
    assert hits
    fused = [h.fused for h in hits]
    assert fused == sorted(fused, reverse=True)
    assert len({h.passage_id for h in hits}) == len(hits)
    for h in hits:
        assert h.passage_id in engine.index.passages
        assert h.entry_id == engine.index.passages[h.passage_id].entry_id


@pytest.mark.parametrize("method", METHODS)
def test_no_hit_comes_from_an_unindexed_draft(engine: Engine, method: str) -> None:
    hits = _retrieve(engine, "kratom and zebrafish draft sentence", method)
    assert "draft-study" not in {h.entry_id for h in hits}


def test_dense_hits_carry_cosine_similarity_and_no_bm25(engine: Engine) -> None:
    question = SURVEY_QUESTION
    vec = engine.embedder.encode_query(question)
    hits = retrieve(engine.index, question, vec, engine.retrieval, "dense")
    assert len(hits) == min(engine.retrieval.dense_k, len(engine.index.passages))
    for h in hits:
        assert h.lexical == 0.0 and h.fused == h.dense
        assert -1.0 <= h.dense <= 1.0 + 1e-6
    # Chroma returns cosine distance; turned back into a similarity it matches the stored vectors' dot product.
    assert hits[0].dense > 0.3


def test_bm25_hits_carry_bm25_scores_and_no_dense(engine: Engine) -> None:
    hits = _retrieve(engine, SURVEY_QUESTION, "bm25")
    assert hits and len(hits) <= engine.retrieval.lexical_k
    for h in hits:
        assert h.dense == 0.0 and h.fused == h.lexical > 0.0


def test_bm25_returns_nothing_for_a_question_with_no_kb_words(engine: Engine) -> None:
    assert _retrieve(engine, "zzzz qqqq", "bm25") == []


def test_hybrid_still_ranks_by_dense_when_bm25_finds_nothing(engine: Engine) -> None:
    hits = _retrieve(engine, "zzzz qqqq", "hybrid")
    assert hits  # the dense side always returns its k nearest
    assert all(h.lexical == 0.0 for h in hits)
    dense_order = [h.passage_id for h in sorted(hits, key=lambda h: -h.dense)]
    assert [h.passage_id for h in hits] == dense_order


def test_hybrid_fused_scores_are_rrf_of_the_two_sides(engine: Engine) -> None:
    hits = _retrieve(engine, SURVEY_QUESTION, "hybrid")
    k = engine.retrieval.rrf_k
    assert engine.retrieval.fusion == "rrf"
    # No passage can beat first place in both lists; any hit found by one side scores at least last place.
    assert hits[0].fused <= 2 / (k + 1) + 1e-12
    assert all(h.fused >= 1 / (k + len(engine.index.passages)) - 1e-12 for h in hits)
    assert all(h.dense != 0.0 or h.lexical != 0.0 for h in hits)


def test_hybrid_ranks_the_2017_survey_first_for_its_own_finding(engine: Engine) -> None:
    hits = _retrieve(engine, SURVEY_QUESTION, "hybrid")
    assert hits[0].entry_id == "garcia-romeu-2020-survey"
    assert ranked_entries(hits)[0] == "garcia-romeu-2020-survey"


def test_retrieval_with_weighted_fusion_on_the_real_index(engine: Engine) -> None:
    params = replace(engine.retrieval, fusion="weighted", dense_weight=0.5)
    vec = engine.embedder.encode_query(SURVEY_QUESTION)
    hits = retrieve(engine.index, SURVEY_QUESTION, vec, params, "hybrid")
    top_lex = max(h.lexical for h in hits)
    for h in hits:
        assert h.fused == pytest.approx(0.5 * h.dense + 0.5 * h.lexical / top_lex)
    assert hits[0].entry_id == "garcia-romeu-2020-survey"


def test_query_vector_is_a_unit_vector(engine: Engine) -> None:
    vec = engine.embedder.encode_query(SURVEY_QUESTION)
    assert float(np.linalg.norm(vec)) == pytest.approx(1.0, abs=1e-4)
