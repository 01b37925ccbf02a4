"""The guard: crisis first, on every sentence; then the refusal rules; then the learned routes;
then scope. The first route that fits wins, in the policy's order.

1. crisis: both heads say crisis for the whole message, or the crisis head says so for any one
   sentence of the last few user turns, or a crisis pattern matches and the heads give crisis
   at least a small probability (the patterns alone misfire on idioms: "dying to see").
   Crisis never depends on kratom being mentioned.
2. personal_dosing / treatment_substitution: a rule for the request (dosing.py,
   substitution.py), else the routes head above its threshold (higher for research wording).
3. out_of_scope / answer: scope words and the routes head.
A refusal whose message carries a weaker crisis signal is flagged `risk`, so its reply carries
the crisis resources too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from kbchat.core.conversation import ROUTES, Route, Turn
from kbchat.service.guard.classifier import GuardModels, chat_sentences
from kbchat.service.guard.crisis import crisis_rule
from kbchat.service.guard.lexicon import in_scope, research_framed
from kbchat.service.guard.normalize import normalize
from kbchat.service.guard.rules import apply_rules
from kbchat.service.guard.scope import leaves_topic, names_other_topic, switches_to_other_drug, topical

# Several texts → their unit vectors (a (n, dim) array or a list of (dim,) rows).
EncodeMany = Callable[[list[str]], "np.ndarray | Sequence[np.ndarray]"]
# Earlier user turns still read for crisis: a risk said two messages ago is still live.
HISTORY_TURNS = 3


@dataclass(frozen=True)
class Thresholds:
    """Chosen on the dev batches by bench/guard_thresholds.py (README, "Guard"), biased toward
    refusing: a must-refuse message that gets answered is the worst failure (policy)."""

    crisis: float = 0.5  # routes head, whole message ...
    crisis_agree: float = 0.5  # ... when the crisis head agrees this much ("this heat is killing me" does not)
    crisis_sentence: float = 0.9  # crisis head, any one sentence or earlier user turn
    crisis_pattern: float = 0.05  # a crisis pattern needs at least this much crisis probability
    risk: float = 0.25  # a refusal above this also gets the crisis resources (not tuned: it only adds help)
    personal_dosing: float = 0.4
    treatment_substitution: float = 0.4
    research: float = 0.9  # dosing/substitution for research wording ("what did participants report?")


@dataclass(frozen=True)
class Decision:
    route: Route
    reason: str  # "crisis:<whole|sentence|pattern>", "rule:<name>", "classifier", "scope" or "default"
    probabilities: dict[str, float] = field(default_factory=dict)
    risk: bool = False  # a crisis signal below the crisis thresholds


@dataclass
class Guard:
    models: GuardModels
    thresholds: Thresholds = field(default_factory=Thresholds)

    def route(self, turns: Sequence[Turn], query_vec: np.ndarray, encode_many: EncodeMany | None = None) -> Decision:
        """One route for the last user message of `turns`; `query_vec` embeds the resolved query,
        `encode_many` embeds sentences (only called for messages of several sentences)."""
        t = self.thresholds
        row = self.models.routes.probabilities(query_vec)[0]
        probs: dict[str, float] = {route: float(p) for route, p in zip(ROUTES, row, strict=True)}
        crisis, score = self._crisis(turns, query_vec, probs["crisis"], encode_many)
        if crisis:
            return Decision("crisis", crisis, probs, risk=True)
        risk = score >= t.risk
        last = normalize(turns[-1].content)
        # Earlier turns of either side set the topic: "any serious ones?" after an answer on kratom.
        context = any(in_scope(normalize(x.content)) for x in turns[:-1]) and not leaves_topic(last)
        hit = apply_rules(last, context, crisis=False)
        if hit is not None:
            return Decision(hit.route, f"rule:{hit.rule}", probs, risk)
        research = research_framed(last)
        # Another drug, with no kratom anywhere, is a question for a pharmacist: out of scope.
        other_topic = not (context or in_scope(last)) and names_other_topic(last)
        for route in ("personal_dosing", "treatment_substitution"):
            if not other_topic and probs[route] >= (t.research if research else getattr(t, route)):
                return Decision(route, "classifier", probs, risk)
        if other_topic or leaves_topic(last) or switches_to_other_drug(last):
            return Decision("out_of_scope", "scope", probs, risk)
        if not (context or in_scope(last) or topical(last)) and probs["out_of_scope"] >= probs["answer"]:
            return Decision("out_of_scope", "scope", probs, risk)
        return Decision("answer", "default", probs, risk)

    def _crisis(self, turns: Sequence[Turn], query_vec: np.ndarray, whole: float,
                encode_many: EncodeMany | None) -> tuple[str, float]:
        """The crisis reason ('' if none) and the strongest crisis probability seen."""
        t = self.thresholds
        users = [x.content for x in turns if x.role == "user"][-HISTORY_TURNS:]
        pieces = [s for u in users for s in chat_sentences(u)]
        pieces += users[:-1]  # earlier turns whole, too
        # One sentence and no history: the whole-message embedding already is that sentence.
        vectors = [query_vec[None, :]]
        if encode_many is not None and (len(pieces) > 1 or len(users) > 1):
            vectors.append(np.asarray(encode_many(pieces), dtype=np.float32).reshape(len(pieces), -1))
        crisis_head = self.models.crisis.probability(np.vstack(vectors), "crisis")
        agree, sentence = float(crisis_head[0]), float(crisis_head.max())
        score = max(min(whole, agree), sentence)
        if whole >= t.crisis and agree >= t.crisis_agree:
            return "crisis:whole", score
        if sentence >= t.crisis_sentence:
            return "crisis:sentence", score
        if score >= t.crisis_pattern and any(crisis_rule(normalize(u)) for u in users):
            return "crisis:pattern", score
        return "", score
