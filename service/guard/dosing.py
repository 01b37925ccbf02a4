"""Policy route 2, personal_dosing: how much, how often, when, which form, strain or product, or
how to taper or stop kratom, for the asker or a specific person (shared/policy/guardrails.md).
"""

from __future__ import annotations

from kbchat.service.guard.lexicon import (
    OTHER_SUBSTANCE,
    PERSONAL_INTENT,
    REPORTED_AMOUNTS,
    TREATMENT,
    RuleHit,
    in_scope,
)
from kbchat.service.guard.policy import ASK_WORD as ASK_WORD
from kbchat.service.guard.policy import UNIT as UNIT
from kbchat.service.guard.policy import group

# Something about amount, frequency, timing, form, strain, product or tapering.
DOSING_CUE = group("DOSING_CUE").regex
# The message asks for something to do (as opposed to stating or asking what research found).
ADVICE_ASK = group("ADVICE_ASK").regex
# An amount of kratom itself: with one, a dosing hit beats a substitution hit (see rules.py).
KRATOM_AMOUNT_ASK = group("KRATOM_AMOUNT_ASK").regex
# Dosing words strong enough to count when kratom is not named and no other drug is.
STRONG_DOSE = group("STRONG_DOSE").regex


def dosing_rule(text: str, kratom_context: bool, personal_elsewhere: bool = False) -> RuleHit | None:
    if not (DOSING_CUE.search(text) and ADVICE_ASK.search(text)):
        return None
    if not (kratom_context or in_scope(text)) and (
        OTHER_SUBSTANCE.search(text) or TREATMENT.search(text) or not STRONG_DOSE.search(text)
    ):
        return None  # "starting dose of sertraline?" or "how much is a flight?": not about kratom
    if REPORTED_AMOUNTS.search(text) and not (PERSONAL_INTENT.search(text) or personal_elsewhere):
        return None  # what participants reported is a research fact (policy, route 5)
    return RuleHit("personal_dosing", "dose_request", group("DOSING_CUE").fired(text))
