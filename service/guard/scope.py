"""Policy route 4, out_of_scope: what is not about kratom (shared/policy/guardrails.md).

These checks only say whether a message leaves the topic; router.py decides the route with them
after the rules and the classifier.
"""

from __future__ import annotations

from kbchat.service.guard.lexicon import KRATOM, OTHER_SUBSTANCE, TREATMENT
from kbchat.service.guard.policy import group

TOPIC_SWITCH = group("TOPIC_SWITCH").regex
# Words that, with no other drug named, only come up in this chat about kratom.
TOPICAL = group("TOPICAL").regex
UNRELATED_SUBSTANCE = group("UNRELATED_SUBSTANCE").regex


def leaves_topic(text: str) -> bool:
    """'totally unrelated, but…': the conversation's kratom context no longer applies."""
    return bool(TOPIC_SWITCH.search(text)) and not KRATOM.search(TOPIC_SWITCH.sub(" ", text))


def names_other_topic(text: str) -> bool:
    """Another substance or medicine is the subject and kratom is not named."""
    return bool(OTHER_SUBSTANCE.search(text) or TREATMENT.search(text)) and not KRATOM.search(text)


def topical(text: str) -> bool:
    """Kratom-chat vocabulary without the word kratom: 'what doses did the rodent studies use?'"""
    return bool(TOPICAL.search(text)) and not OTHER_SUBSTANCE.search(text)


def switches_to_other_drug(text: str) -> bool:
    """'what about phenibut?' asks about another drug, even in a conversation about kratom."""
    return bool(UNRELATED_SUBSTANCE.search(text)) and not KRATOM.search(text)
