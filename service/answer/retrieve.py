"""Hybrid retrieval: dense (Chroma) and lexical (BM25) passage ranks, fused.

Scores: `dense` is a cosine similarity (higher is closer); `fused` is the reciprocal-rank or
weighted fusion score (higher is better), comparable only within one question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from kbchat.core.text import tokens
from kbchat.ingest.index.loaded import LoadedIndex
from kbchat.ingest.index.store import reaching

Method = Literal["hybrid", "dense", "bm25"]


@dataclass(frozen=True)
class Hit:
    passage_id: str
    entry_id: str
    fused: float
    dense: float  # cosine similarity; 0.0 when the dense side did not return the passage
    lexical: float  # raw BM25 score


@dataclass(frozen=True)
class RetrievalParams:
    """Built from Settings (service/answer/engine.py), where each value is documented."""

    dense_k: int
    lexical_k: int
    fusion: Literal["rrf", "weighted"]
    rrf_k: int
    dense_weight: float


def dense_search(index: LoadedIndex, query_vec: np.ndarray, k: int) -> dict[str, float]:
    """passage id → cosine similarity, best first, from Chroma's HNSW index."""
    n = min(k, len(index.passages))
    if n == 0:
        return {}
    with reaching(index.where):  # a Chroma server that went away: IndexUnavailable, answered 503 at the edge
        got = index.passages_collection.query(
            query_embeddings=[query_vec.tolist()], n_results=n, include=["distances"]
        )
    return {pid: 1.0 - float(d) for pid, d in zip(got["ids"][0], got["distances"][0], strict=True)}  # type: ignore[index]


def lexical_search(index: LoadedIndex, query: str, k: int) -> dict[str, float]:
    """passage id → BM25 score, best first; empty when no query word is in the KB."""
    terms = tokens(query)
    if not terms or not index.bm25_ids:
        return {}
    scores = index.bm25.get_scores(terms)
    top = np.argsort(-scores)[:k]
    return {index.bm25_ids[i]: float(scores[i]) for i in top if scores[i] > 0}


def fuse(dense: dict[str, float], lexical: dict[str, float], params: RetrievalParams) -> dict[str, float]:
    """Merge two ranked lists into one score per passage (higher is better)."""
    if params.fusion == "rrf":
        fused: dict[str, float] = {}
        for ranked in (dense, lexical):
            for rank, pid in enumerate(ranked):
                fused[pid] = fused.get(pid, 0.0) + 1.0 / (params.rrf_k + rank + 1)
        return fused
    return _weighted(dense, lexical, params.dense_weight)


def _weighted(dense: dict[str, float], lexical: dict[str, float], w: float) -> dict[str, float]:
    top_lex = max(lexical.values(), default=0.0) or 1.0
    ids = set(dense) | set(lexical)
    return {pid: w * dense.get(pid, 0.0) + (1 - w) * lexical.get(pid, 0.0) / top_lex for pid in ids}


def retrieve(
    index: LoadedIndex,
    query: str,
    query_vec: np.ndarray,
    params: RetrievalParams,
    method: Method = "hybrid",
) -> list[Hit]:
    """Passages ranked for the question; `method` exists so eval can show each half alone."""
    dense = dense_search(index, query_vec, params.dense_k) if method != "bm25" else {}
    lexical = lexical_search(index, query, params.lexical_k) if method != "dense" else {}
    scores = fuse(dense, lexical, params) if method == "hybrid" else (dense or lexical)
    ranked = sorted(scores, key=lambda pid: -scores[pid])
    return [
        Hit(pid, index.passages[pid].entry_id, scores[pid], dense.get(pid, 0.0), lexical.get(pid, 0.0))
        for pid in ranked
    ]


def ranked_entries(hits: list[Hit]) -> list[str]:
    """Entry ids in the order their best passage appears (for recall@k and MRR)."""
    seen: list[str] = []
    for hit in hits:
        if hit.entry_id not in seen:
            seen.append(hit.entry_id)
    return seen
