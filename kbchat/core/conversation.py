"""The conversation types every floor shares (`Turn`, `Route`, `Mode`), and follow-up
resolution ("what about anxiety?", "is that dangerous?") against earlier turns."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from kbchat.core.text import fold

# Words that swap the subject of the previous question for a new one of the same kind.
SLOTS = {
    "condition": r"depress\w*|anxi\w*|ptsd|adhd|pain|insomnia|sleep|mood|stress|panic|bipolar|addiction|opioid use",
    "population": r"animals?|mice|mouse|rats?|rodents?|humans?|people|women|men|teens?|adolescents?|pregnan\w*|"
                  r"babies|newborns?|elderly|older adults",
    "place": r"malaysia|thailand|indonesia|the us|the united states|america|europe|uk|canada|australia|states?",
    "substance": r"7-?oh|mitragynine|alcohol|ssris?|antidepressants?|opioids?|benzodiazepines?|buprenorphine|methadone",
}
FOLLOW_UP_START = re.compile(
    r"^(?:and|but|so|also|what about|how about|and what about|what of|is (?:that|it|this)|are (?:they|those|these)|"
    r"does (?:that|it|this)|do (?:they|those)|was (?:that|it)|were (?:they|those)|can (?:it|that)|could (?:it|that)|"
    r"why|how come|in (?:animals|humans|people|mice|rats)|for (?:anxiety|depression|ptsd|adhd|pain)|"
    r"then|ok(?:ay)?|really|same (?:for|with)|what if)\b"
)
PRONOUN = re.compile(r"\b(?:it|that|this|those|these|they|them|its|their)\b")
SHORT = 6  # words; a message this short usually leans on the previous one
TOPIC_WORDS = re.compile(r"\b(?:kratom|mitragyn\w*|7-?oh|speciosa|kratom's)\b")


# The routes of shared/policy/guardrails.md, in its priority order (the first that fits wins).
Route = Literal["crisis", "personal_dosing", "treatment_substitution", "out_of_scope", "answer"]
ROUTES: tuple[Route, ...] = get_args(Route)
MUST_REFUSE: tuple[Route, ...] = ("crisis", "personal_dosing", "treatment_substitution")
# How an answer was written: KB sentences as they are, or a chat model's verified sentences.
Mode = Literal["extractive", "generative"]
Role = Literal["user", "assistant"]


@dataclass(frozen=True)
class Turn:
    role: Role
    content: str


def previous_user_question(turns: Sequence[Turn]) -> str | None:
    users = [t.content for t in turns if t.role == "user"]
    return users[-2] if len(users) >= 2 else None


def is_follow_up(message: str) -> bool:
    text = fold(message)
    if TOPIC_WORDS.search(text) and (len(text.split()) > SHORT or not FOLLOW_UP_START.search(text)):
        return False  # names its own subject: a new question
    return bool(FOLLOW_UP_START.search(text) or len(text.split()) <= SHORT or
                (PRONOUN.search(text) and not TOPIC_WORDS.search(text)))


def resolve_query(turns: Sequence[Turn]) -> str:
    """The question to retrieve (and classify) for: the last user message, completed from the
    previous user message when it is a follow-up."""
    last = turns[-1].content
    previous = previous_user_question(turns)
    if previous is None or not is_follow_up(last):
        return last
    return f"{_without_replaced_slots(previous, last).rstrip('?.! ')} {_strip_lead(last)}".strip()


def _strip_lead(message: str) -> str:
    return re.sub(r"^(?:and|but|so|also|what about|how about|and what about|what of|same for|same with)\s+", "",
                  message.strip(), flags=re.I)


def _without_replaced_slots(previous: str, follow_up: str) -> str:
    """Drop words of the previous question that the follow-up replaces: 'depression' when the
    follow-up asks 'what about anxiety?'."""
    result = previous
    for pattern in SLOTS.values():
        if re.search(rf"\b(?:{pattern})\b", follow_up, flags=re.I):
            result = re.sub(rf"\b(?:{pattern})\b", " ", result, flags=re.I)
    result = re.sub(r"\b(?:and|or)\s*(?=[?.!]|$)", "", re.sub(r"\s+", " ", result).strip())
    return re.sub(r"\s+([?.!,])", r"\1", result).strip()
