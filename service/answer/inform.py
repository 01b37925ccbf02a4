"""Refuse, then inform: a dosing or treatment refusal for a question that also asks about an
effect ("best type of kratom for depression") keeps the refusal and adds, below it, what the
knowledge base can say with a citation about kratom and that effect.

A reader who is only refused goes back to the marketing page; one who also reads that no
controlled trial has tested kratom for depression has a reason not to.
"""

from __future__ import annotations

import re

# The effects readers ask strain and dose questions about, and the research question asked for each.
EFFECTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (topic, re.compile(pattern, re.IGNORECASE)) for topic, pattern in (
        ("depression", r"\b(?:depress\w*|antidepress\w*)"),
        ("anxiety", r"\b(?:anxi\w*|panic\w*|nerves)\b"),
        ("mood", r"\b(?:mood|euphori\w*|relax\w*)\b"),
        ("pain", r"\bpain\w*\b"),
        ("opioid withdrawal", r"\b(?:opiate|opioid|heroin|fentanyl)s?\b"),
        ("energy", r"\b(?:energy|focus|motivation|tired\w*|fatigue)\b"),
        ("sleep", r"\b(?:sleep\w*|insomnia)\b"),
    )
)
EVIDENCE_SENTENCES = 2
LEAD = "What research says about kratom and {topic}:"


def effect_asked(text: str) -> str | None:
    """The first effect the message asks about, if any."""
    return next((topic for topic, pattern in EFFECTS if pattern.search(text)), None)


def research_question(topic: str) -> str:
    return f"What does research say about kratom and {topic}?"
