"""Policy route 4, out_of_scope: what is not about kratom (shared/policy/guardrails.md).

These checks only say whether a message leaves the topic; router.py decides the route with them
after the rules and the classifier.
"""

from __future__ import annotations

from kbchat.service.guard.lexicon import KRATOM, OTHER_SUBSTANCE, TREATMENT, _rx

TOPIC_SWITCH = _rx(r"\b(?:unrelated|off[- ]topic|not (?:kratom|about kratom)[- ]related|not about kratom|forget (?:about )?kratom|different (?:topic|question)|change of subject|nothing to do with kratom)\b")
# Words that, with no other drug named, only come up in this chat about kratom.
TOPICAL = _rx(r"\b(?:doses?|dosing|withdrawal|withdrawl|alkaloids?|strains?|stimulant|sedating|sedative|opioid receptors?|rodent|antidepressant-like)\b",
              r"\b(?:red|green|white)\b.*\bor\b.*\b(?:red|green|white)\b", r"\b(?:cantidades|dosis|dose|encuestas|participantes)\b")
UNRELATED_SUBSTANCE = _rx(r"\b(?:phenibut|kava|cbd|thc|weed|cannabis|marijuana|psilocybin|mushrooms|ketamine|melatonin|ashwagandha|"
                          r"caffeine|coffee|nicotine|mdma|lsd|cocaine)\b", r"\bst\.? john'?s wort\b")


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
