"""Output rail: no reply may instruct or recommend an amount, frequency, timing or strain.

Policy (shared/policy/guardrails.md, "Output rail"): such sentences are removed even when they
come from the KB; what study participants *reported* stays, as a research fact.
"""

from __future__ import annotations

import re

from kbchat.core.text import fold

# Words that address the reader or recommend.
INSTRUCTION = re.compile(
    r"\b(you (?:should|can|could|may|might want to|need to|must)|we (?:recommend|suggest|advise)|"
    r"(?:is|are) (?:recommended|advised|best|ideal)|(?:start|begin|stick|stay) (?:with|at|to|on|around|below|under)|"
    r"try (?:taking|a|an|\d)|take (?:it|them|\d|a|an|your|between|about|around|no more)|"
    r"(?:do not|don't|never) (?:exceed|go over|take more)|no more than|at most|"
    r"(?:best|ideal|optimal|safe|right|perfect) (?:dose|dosage|amount|strain|time|way to dose)|"
    r"(?:dose|use|consume|mix|brew) (?:it|kratom|them|\d)|aim for|work (?:your way )?up to|"
    r"for (?:the )?best (?:results|effects?|mood))\b"
)
# An amount, frequency, timing or strain (a range may be typed with an en dash).
DOSING_DETAIL = re.compile(
    r"(\b\d+(?:[.,]\d+)?\s*(?:-|to|–)?\s*\d*(?:[.,]\d+)?\s*(?:g|gr|grams?|mg|milligrams?|kg|ml|tsp|teaspoons?|"  # noqa: RUF001
    r"tablespoons?|tbsp|capsules?|caps|pills?|tablets?|scoops?|cups?|shots?)\b|"
    r"\b(?:once|twice|three times|\d+ times) (?:a|per) (?:day|week)\b|"
    r"\bevery (?:day|morning|night|evening|\d+ hours?)\b|"
    r"\b(?:daily|nightly|each morning|in the morning|at night|before (?:bed|breakfast|work|meals?)|on an empty stomach|"
    r"after (?:meals?|eating))\b|"
    r"\b(?:red|green|white|yellow|gold) (?:vein|veined|strain)|\bmaeng da\b|"
    r"\b(?:bali|borneo|malay|thai|indo|sumatra)\b|"
    r"\bteaspoons?\b|\bdose\b|\bdosage\b|\bstrains?\b)"
)
# A sentence that reports what a study did or found is research, not advice.
REPORTING = re.compile(
    r"\b(participants?|respondents?|users (?:reported|said|described)|surveyed|survey|study|studies|trial|"
    r"reported|were given|was given|received|patients?|rats?|mice|authors?|researchers?|sample)\b"
)


def is_dosing_instruction(sentence: str) -> bool:
    """True for a sentence that tells someone how much, how often, when or which strain to use."""
    text = fold(sentence)
    if not INSTRUCTION.search(text) or not DOSING_DETAIL.search(text):
        return False
    # "you should take 3 g" stays an instruction even inside a survey context.
    second_person = re.search(r"\byou(?:r)?\b|\bwe (?:recommend|suggest|advise)\b", text)
    return bool(second_person) or not REPORTING.search(text)


def keep_sentence(sentence: str) -> bool:
    return not is_dosing_instruction(sentence)
