"""The guard: rules first (what must never slip), then the classifier, then scope."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from kbchat.core.conversation import Route, Turn
from kbchat.service.guard.classifier import GuardClassifier
from kbchat.service.guard.lexicon import in_scope, research_framed
from kbchat.service.guard.normalize import normalize
from kbchat.service.guard.rules import apply_rules
from kbchat.service.guard.scope import leaves_topic, names_other_topic, switches_to_other_drug, topical

# Classifier probabilities above which a must-refuse route wins even though no rule fired.
# The thresholds were set by 5-fold cross-validation on the training examples, biased toward
# refusing: a must-refuse message that gets answered is the worst failure (policy).
THRESHOLDS = {"crisis": 0.60, "personal_dosing": 0.55, "treatment_substitution": 0.55}
# A research-framed message ("what did participants report?") needs near-certainty to be refused.
RESEARCH_THRESHOLD = 0.9


@dataclass(frozen=True)
class Decision:
    route: Route
    reason: str  # "rule:<name>", "classifier", "scope" or "default"
    probabilities: dict[str, float] = field(default_factory=dict)


@dataclass
class Guard:
    classifier: GuardClassifier
    thresholds: dict[str, float] = field(default_factory=lambda: dict(THRESHOLDS))

    def route(self, turns: Sequence[Turn], query_vec: np.ndarray) -> Decision:
        """One route for the last user message of `turns`; `query_vec` embeds the resolved query."""
        last = normalize(turns[-1].content)
        # Earlier turns of either side set the topic: "any serious ones?" after an answer on kratom.
        context = any(in_scope(normalize(t.content)) for t in turns[:-1])
        context = context and not leaves_topic(last)
        probs = self.classifier.probabilities(query_vec)
        hit = apply_rules(last, context)
        if hit is not None:
            return Decision(hit.route, f"rule:{hit.rule}", probs)
        research = research_framed(last)
        # Another drug, with no kratom anywhere, is a question for a pharmacist: out of scope.
        other_topic = not (context or in_scope(last)) and names_other_topic(last)
        for route in ("crisis", "personal_dosing", "treatment_substitution"):
            if route != "crisis" and other_topic:
                continue
            if probs[route] >= (RESEARCH_THRESHOLD if research else self.thresholds[route]):
                return Decision(route, "classifier", probs)
        if other_topic or leaves_topic(last) or switches_to_other_drug(last):
            return Decision("out_of_scope", "scope", probs)
        if not (context or in_scope(last) or topical(last)) and probs["out_of_scope"] >= probs["answer"]:
            return Decision("out_of_scope", "scope", probs)
        return Decision("answer", "default", probs)
