"""Answers on one QA split, in process, without the guard and faithfulness parts of `kbchat eval`:
`.venv/bin/python bench/qa_split.py test|dev`. Prints the QA metrics and writes the misses to
qa_<split>_misses.json. The test split is scored once, at the end of a round.
"""

import json
import sys

from kbchat import bootstrap
from kbchat.core.config import Settings
from kbchat.eval import scoring as runner
from kbchat.eval.clients import InProcessClient
from kbchat.eval.datasets import QA_FILE, QA_TEST_FILE, load_qa

settings = Settings()
engine = bootstrap.build(settings, require_current=True)
scorer = bootstrap.scorer_from_settings(settings, engine.embedder)
client = InProcessClient(engine)
which = sys.argv[1]
items = load_qa(QA_TEST_FILE if which == "test" else QA_FILE)
qa = runner.run_qa(client, items, scorer)
m = runner.qa_metrics(qa)
ret = runner.retrieval_metrics(client, items)
out = {"qa": m, "retrieval_hybrid": ret.get("hybrid"), "misses": [
    {"id": r.item.id, "kind": r.item.kind, "q": r.item.question, "abstained": r.abstained, "route": r.route,
     "cited": r.cited_ids[:4], "expected": list(r.item.expected_ids)[:4]} for r in qa
    if (r.item.kind == "unanswerable" and not r.abstained and r.route == "answer")
    or (r.item.kind == "answerable"
        and (r.abstained or r.route != "answer" or not set(r.cited_ids) & set(r.item.expected_ids)))]}
with open(f"qa_{which}_misses.json", "w", encoding="utf-8") as fh:  # the misses, for reading
    json.dump(out, fh, indent=1, default=str)
print({k: v for k, v in m.items() if not isinstance(v, list)})
