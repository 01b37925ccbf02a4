"""Calibrate the fallback abstention threshold on eval/data/qa_dev.jsonl.

The service decides with the fitted answerability model (`kbchat answers calibrate`); only
without one does it compare the best cosine similarity between the question and any candidate KB
sentence (`Selection.top_score`) with KBCHAT_ABSTAIN_THRESHOLD. This prints, for
each candidate threshold, how many unanswerable questions would abstain and how many answerable
ones would wrongly abstain, and the threshold with the best balanced accuracy.

    .venv/bin/python bench/calibrate_abstain.py
"""

from __future__ import annotations

import numpy as np
from common import real_engine

from kbchat.eval.datasets import load_qa
from kbchat.service.answer.compose import select_sentences
from kbchat.service.answer.retrieve import retrieve


def main() -> None:
    engine = real_engine()
    embedder = engine.embedder
    items = load_qa()
    scores, unanswerable = [], []
    params = engine.compose.__class__(**{**engine.compose.__dict__, "abstain_threshold": -1.0})
    for item in items:
        vec = embedder.encode_query(item.question)
        hits = retrieve(engine.index, item.question, vec, engine.retrieval)
        scores.append(select_sentences(engine.index, vec, hits, params).top_score)
        unanswerable.append(item.kind == "unanswerable")
    s, u = np.array(scores), np.array(unanswerable)
    print(f"answerable: n={int((~u).sum())} top-similarity median {np.median(s[~u]):.3f}; "
          f"unanswerable: n={int(u.sum())} median {np.median(s[u]):.3f}")
    best = (0.0, 0.0)
    print("threshold  abstain-recall(unanswerable)  wrong-abstention(answerable)  balanced-acc")
    for t in np.arange(0.40, 0.80, 0.02):
        recall = float((s[u] < t).mean())
        wrong = float((s[~u] < t).mean())
        balanced = (recall + 1 - wrong) / 2
        best = max(best, (balanced, float(t)))
        print(f"  {t:.2f}     {recall:.3f}                        {wrong:.3f}                        {balanced:.3f}")
    print(f"best balanced accuracy {best[0]:.3f} at threshold {best[1]:.2f}")


if __name__ == "__main__":
    main()
