"""The explicit rules for what must never slip through: policy routes 1-3, in priority order.

They read normalised text (see normalize.py). Each rule lives with its route (crisis.py,
dosing.py, substitution.py) and names the policy line it enforces. A rule that fires decides the
route; otherwise the classifier does (router.py).
"""

from __future__ import annotations

import re

from kbchat.service.guard.crisis import crisis_rule
from kbchat.service.guard.dosing import KRATOM_AMOUNT_ASK, dosing_rule
from kbchat.service.guard.lexicon import PERSONAL_INTENT, RuleHit, in_scope
from kbchat.service.guard.substitution import substitution_rule

# RuleHit is defined in lexicon.py (every route module returns one) and re-exported here.
__all__ = ["DISCLAIMER", "SENTENCE_END", "RuleHit", "apply_rules", "request_sentences"]

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# "I'm not asking for a dose", "I'm not taking it myself": a sentence that rules a request out.
DISCLAIMER = re.compile(r"\b(?:i'?m|i am|we'?re|i'?ll|i will|i)\s+(?:not|never|don'?t|do not)\s+(?:asking|going to|trying|looking|taking|planning|plan|here to|want(?:ing)? to)\b"
                        r"|\bthat'?s (?:not my role|between them)\b|\bnot (?:asking|looking) for\b")


def request_sentences(text: str) -> list[str]:
    """Windows of two consecutive sentences that may carry a request ("I stopped my Cymbalta and
    started kratom. Was that OK?"); disclaimers are dropped."""
    kept = [s for s in SENTENCE_END.split(text) if s.strip() and not DISCLAIMER.search(s)]
    return [" ".join(kept[i : i + 2]) for i in range(max(len(kept) - 1, 1))] if kept else []


def apply_rules(text: str, kratom_context: bool, crisis: bool = True) -> RuleHit | None:
    """The first rule that fires, in the policy's priority order: crisis, then personal_dosing, then
    treatment_substitution (out_of_scope and answer are decided in router.py).

    Crisis language counts anywhere in the message. Dosing and substitution requests are looked
    for sentence by sentence, so a long message with a buried request is caught and a research
    question that mentions doses in passing is not. One exception to the order: a message that
    asks to change or combine a treatment and mentions an amount only of that treatment ("my
    Zoloft dose is 50 mg, can I combine?") is a substitution question. With `crisis=False` the
    crisis patterns are left to the router, which weighs them against the learned heads.
    """
    hit = crisis_rule(text) if crisis else None
    if hit:
        return hit
    context = kratom_context or in_scope(text)
    sentences = request_sentences(text)
    personal = any(PERSONAL_INTENT.search(s) for s in sentences)
    dosing = next((h for s in sentences if (h := dosing_rule(s, context, personal))), None)
    substitution = next((h for s in sentences if (h := substitution_rule(s, context))), None)
    if dosing and substitution and not KRATOM_AMOUNT_ASK.search(text):
        return substitution
    return dosing or substitution
