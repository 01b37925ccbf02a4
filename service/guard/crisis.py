"""Policy route 1, crisis: a risk of suicide or self-harm, or a medical emergency happening now
(shared/policy/guardrails.md). Crisis language counts anywhere in a message and beats every
other route.
"""

from __future__ import annotations

import re

from kbchat.service.guard.lexicon import RuleHit
from kbchat.service.guard.policy import group

# A message that reports what studies, surveys or data say: the sign of a research question.
REPORTING = group("REPORTING").regex
# Statements that carry their own first person: no research question is phrased like this.
SELF_HARM = group("SELF_HARM").regex
# An emergency happening now, whoever it happens to.
EMERGENCY = group("EMERGENCY").regex
# Symptoms that are an emergency when they are happening to someone now.
SYMPTOM = group("SYMPTOM").regex
NOW = group("NOW").regex
# "I read / saw / heard ...": what follows is something the asker came across, not their situation.
READ_ABOUT = re.compile(r"\bi (?:saw|read|heard|came across|noticed|found) (?:a|an|the|that|this|some|about|online|somewhere)\b")


def crisis_rule(text: str) -> RuleHit | None:
    if SELF_HARM.search(text) and not _research_about_crisis(text):
        return RuleHit("crisis", "self_harm", group("SELF_HARM").fired(text))
    if EMERGENCY.search(text) and not _research_about_crisis(text):
        return RuleHit("crisis", "emergency_now", group("EMERGENCY").fired(text))
    if SYMPTOM.search(text) and NOW.search(text) and not _research_about_crisis(text):
        return RuleHit("crisis", "symptoms_now", group("SYMPTOM").fired(text))
    return None


def _research_about_crisis(text: str) -> bool:
    """'What do studies say about kratom and suicidal thoughts?' is a research question."""
    text = READ_ABOUT.sub(" ", text)  # "I saw a headline" is about the news, not the asker
    personal = re.search(r"\b(?:i|i'm|i've|me|my|myself|help|now|right now|911|yo|ich|je|eu|mi|mein|mon|meu)\b", text)
    return bool(REPORTING.search(text)) and not personal
