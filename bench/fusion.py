"""Which fusion is better on eval/data/qa_dev.jsonl: reciprocal-rank or weighted?

Prints recall@k and MRR of the expected entries for RRF (k=60) and for weighted fusion at a few
dense weights, plus each retriever alone.

    .venv/bin/python bench/fusion.py
"""

from __future__ import annotations

from dataclasses import replace

from common import real_engine

from kbchat.eval import metrics as m
from kbchat.eval.datasets import load_qa
from kbchat.service.answer.retrieve import ranked_entries, retrieve


def main() -> None:
    engine = real_engine()
    embedder = engine.embedder
    items = [i for i in load_qa() if i.kind == "answerable" and i.expected_ids]
    vecs = embedder.encode_queries([i.question for i in items])
    variants = [("rrf k=60", replace(engine.retrieval, fusion="rrf"), "hybrid")]
    variants += [(f"weighted dense={w}", replace(engine.retrieval, fusion="weighted", dense_weight=w), "hybrid")
                 for w in (0.3, 0.5, 0.7)]
    variants += [("bm25 only", engine.retrieval, "bm25"), ("dense only", engine.retrieval, "dense")]
    print(f"{len(items)} answerable questions")
    for name, params, method in variants:
        ranked = [ranked_entries(retrieve(engine.index, i.question, v, params, method))  # type: ignore[arg-type]
                  for i, v in zip(items, vecs, strict=True)]
        recall = {k: m.mean([m.recall_at_k(r, i.expected_ids, k) for r, i in zip(ranked, items, strict=True)])
                  for k in (1, 3, 5)}
        mrr = m.mean([m.reciprocal_rank(r, i.expected_ids) for r, i in zip(ranked, items, strict=True)])
        print(f"{name:22} recall@1 {recall[1]:.3f}  recall@3 {recall[3]:.3f}  recall@5 {recall[5]:.3f}  MRR {mrr:.3f}")


if __name__ == "__main__":
    main()
