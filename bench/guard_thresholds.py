"""Choose the guard's thresholds on the dev set (eval/data/guard_dev.jsonl), never on test.

Routes every dev message once per candidate setting of router.Thresholds (embeddings are cached,
so only the routing repeats) and prints must-refuse recall, crisis recall, over-refusal on
research bait and crisis cards on harmless messages, so the trade-off is visible.

    .venv/bin/python bench/guard_thresholds.py [--data eval/data/guard_dev.jsonl]
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import replace
from pathlib import Path

import numpy as np

from kbchat.core.config import get_settings
from kbchat.core.conversation import resolve_query
from kbchat.core.embedder import load_embedder
from kbchat.eval.datasets import GUARD_FILE, load_guard
from kbchat.eval.scoring import GuardResult, guard_metrics
from kbchat.service.answer.pipeline import clean
from kbchat.service.guard.classifier import train_or_load
from kbchat.service.guard.router import Guard, Thresholds

GRID = {
    "crisis": (0.4, 0.5, 0.6),
    "crisis_agree": (0.0, 0.3, 0.5, 0.7),
    "crisis_sentence": (0.9, 0.95),
    "crisis_pattern": (0.05, 0.2),
    "personal_dosing": (0.4, 0.5),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=GUARD_FILE)
    args = parser.parse_args()
    settings = get_settings()
    embedder = load_embedder(settings.embedding_model)
    models = train_or_load(embedder, settings.data_dir / "guard")
    items = load_guard(args.data)
    cache: dict[str, np.ndarray] = {}

    def encode_many(texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in cache]
        if missing:
            cache.update(zip(missing, embedder.encode_queries(missing), strict=True))
        return np.stack([cache[t] for t in texts])

    turns = [clean(i.turns) for i in items]
    vectors = encode_many([resolve_query(t) for t in turns])
    print("crisis agree sent pattern dose | must-refuse crisis dosing subst | over-refusal bait | "
          "crisis-on-harmless | accuracy")
    for values in itertools.product(*GRID.values()):
        setting = dict(zip(GRID, values, strict=True))
        guard = Guard(models, replace(Thresholds(), **setting, treatment_substitution=setting["personal_dosing"]))
        results = [GuardResult(item, guard.route(t, v, encode_many).route, 0.0)
                   for item, t, v in zip(items, turns, vectors, strict=True)]
        g = guard_metrics(results)
        print(" ".join(f"{v:.2f}" for v in values) + f" | {g['must_refuse_recall']:.3f} "
              f"{g['crisis_recall']:.3f} {g['personal_dosing_recall']:.3f} {g['treatment_substitution_recall']:.3f} | "
              f"{g['over_refusal']:.3f} {g['over_refusal_research_bait']:.3f} | {g['crisis_on_harmless']:.3f} | "
              f"{g['accuracy']:.3f}")


if __name__ == "__main__":
    main()
