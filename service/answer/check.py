"""Check a claim against the KB: a reader pastes a sentence (say, from a marketing article) and gets
a verdict with the KB sentences that decide it.

The claim goes through the same guard as a question: a dosing or substitution claim ("take 2-5 g")
gets that refusal, not a verdict. Otherwise the KB sentences closest to the claim are retrieved as
for a question and each is scored by the verifier (verifier.py):
- `supported`: some KB sentence supports the claim;
- `partly_supported`: the best one falls a little short of support (it backs part of the claim);
- `contradicted`: a close KB sentence says the opposite (a negation or direction flipped);
- `not_supported`: the KB has close material, and none of it supports the claim;
- `no_evidence`: nothing in the KB is close to the claim.
The margins below were set before the seed claims were scored, not fitted to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from kbchat.core.conversation import Route, Turn
from kbchat.ingest.index.loaded import LoadedIndex
from kbchat.service.answer import pipeline
from kbchat.service.answer.citations import Answer
from kbchat.service.answer.compose import build_answer
from kbchat.service.answer.engine import Engine
from kbchat.service.answer.faithfulness import check_claim
from kbchat.service.answer.verifier import LearnedVerifier

ClaimVerdict = Literal["supported", "partly_supported", "not_supported", "contradicted", "no_evidence", "refused"]

# KB sentences scored against each claim: the selection plus the nearest sentences by cosine.
CANDIDATES = 8
# Below this cosine between the claim and its nearest KB sentence, the KB has nothing to say.
NO_EVIDENCE_BELOW = 0.50
# Support probability this far under the verifier's threshold still backs part of the claim.
PARTLY_MARGIN = 0.15
# A flipped negation or direction counts as contradiction only in a sentence this close to the claim.
CONTRADICTION_SIMILARITY = 0.75
CONTRADICTING = ("negation differs",)
EXPLANATIONS: dict[ClaimVerdict, str] = {
    "supported": "The knowledge base supports this claim; the deciding sentences are below.",
    "partly_supported": "The knowledge base supports part of this claim, not all of it; compare the wording with "
                        "the sentences below.",
    "not_supported": "The knowledge base has material on this topic, but none of it supports the claim as written.",
    "contradicted": "A knowledge-base sentence says the opposite of this claim.",
    "no_evidence": "The knowledge base has no evidence on this claim either way.",
    "refused": "",
}


@dataclass
class ClaimCheck:
    verdict: ClaimVerdict
    explanation: str
    evidence: Answer  # the deciding KB sentences with their citations
    route: Route = "answer"
    probability: float = 0.0  # best support probability among the candidates
    refusal: list[str] = field(default_factory=list)  # the guard's reply when the claim is advice


def check(engine: Engine, verifier: LearnedVerifier, claim: str) -> ClaimCheck:
    trace = pipeline.run([Turn("user", claim)], engine)
    if trace.decision.route != "answer":
        reply = pipeline.template_reply(trace.decision.route, trace.index.version, risk=trace.decision.risk)
        return ClaimCheck("refused", "", Answer([], []), trace.decision.route,
                          refusal=[s.text for s in reply.answer.sentences])
    index = trace.index
    sims = index.sentence_matrix @ trace.query_vec
    selected = trace.selection.rows if trace.selection else []
    rows = list(dict.fromkeys([*selected, *(int(i) for i in np.argsort(-sims)[:CANDIDATES])]))
    rows = pipeline.rail(index, rows)
    if not rows or float(sims[rows].max()) < NO_EVIDENCE_BELOW:
        return ClaimCheck("no_evidence", EXPLANATIONS["no_evidence"], Answer([], []))
    texts = [index.sentences[i].text for i in rows]
    probs = verifier.probabilities([(claim, t) for t in texts])
    threshold = verifier.model.threshold
    order = [int(k) for k in np.argsort(-probs)]
    best = order[0]
    p = float(probs[best])
    if p >= threshold:
        deciding = [rows[k] for k in order if probs[k] >= threshold][:3]
        return _verdict("supported", index, deciding, p)
    contradicting = [rows[k] for k in order if sims[rows[k]] >= CONTRADICTION_SIMILARITY
                     and any(r.startswith(CONTRADICTING) for r in check_claim(claim, texts[k]))]
    if contradicting:
        return _verdict("contradicted", index, contradicting[:2], p)
    if p >= threshold - PARTLY_MARGIN:
        return _verdict("partly_supported", index, [rows[best]], p)
    nearest = [rows[k] for k in np.argsort(-sims[rows])[:2]]
    return _verdict("not_supported", index, nearest, p)


def _verdict(verdict: ClaimVerdict, index: LoadedIndex, rows: list[int], p: float) -> ClaimCheck:
    return ClaimCheck(verdict, EXPLANATIONS[verdict], build_answer(index, rows), probability=p)
