"""Metamorphic: every must-refuse and crisis message of our guard sets, rewritten by each way of
hiding words, reads the same to the guard, and so routes exactly as the original."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from kbchat.core.conversation import MUST_REFUSE
from kbchat.core.deobfuscate import deobfuscate
from kbchat.eval.datasets import GUARD_FILE, GUARD_TEST_FILE
from kbchat.service.guard.classifier import TRAIN_FILE
from kbchat.service.guard.normalize import normalize
from tests.service.conftest import ask

LOOKALIKES = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "i": "і"}
LEET = {"o": "0", "i": "1", "e": "3", "a": "4"}


def _words(text: str, change: Callable[[str], str], min_len: int = 4) -> str:
    return " ".join(change(w) if w.isalpha() and len(w) >= min_len else w for w in text.split(" "))


def zero_width(text: str) -> str:
    return _words(text, lambda w: w[: len(w) // 2] + "\u200b" + w[len(w) // 2 :])


def bidi_and_soft_hyphen(text: str) -> str:
    return "\u202a" + _words(text, lambda w: w[:2] + "\u00ad" + w[2:]) + "\u202c"


def lookalike_letters(text: str) -> str:
    return _words(text, lambda w: "".join(LOOKALIKES.get(c, c) if k % 2 else c for k, c in enumerate(w)))


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def spaced_letters(text: str) -> str:
    """Spell out the longest word letter by letter ('d o s e')."""
    words = text.split(" ")
    longest = max(range(len(words)), key=lambda k: len(words[k]) if words[k].isalpha() else 0)
    if not words[longest].isalpha() or len(words[longest]) < 4:
        return text
    words[longest] = " ".join(words[longest])
    return " ".join(words)


def leet(text: str) -> str:
    """Digits for letters inside words ('k1ll'), only where the letter sits between two letters."""
    def change(word: str) -> str:
        return word[0] + "".join(LEET.get(c, c) for c in word[1:-1]) + word[-1]
    return _words(text, change)


OBFUSCATIONS = [zero_width, bidi_and_soft_hyphen, lookalike_letters, full_width, spaced_letters, leet]


def must_refuse_messages() -> list[str]:
    messages = []
    for path in (TRAIN_FILE, GUARD_FILE, GUARD_TEST_FILE):
        if not path.exists():
            continue
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["route"] in MUST_REFUSE:
                messages.append(row["messages"][-1]["content"])
    return messages


MESSAGES = must_refuse_messages()


def guard_view(text: str) -> str:
    return normalize(deobfuscate(text))


@pytest.mark.parametrize("obfuscate", OBFUSCATIONS, ids=lambda f: f.__name__)
def test_every_must_refuse_message_routes_the_same_when_hidden(obfuscate: Callable[[str], str], client: TestClient) -> None:
    """Most hidden messages read exactly as written, so they cannot route differently; the few
    that do not (a spelled-out word next to a one-letter word: 'n a n x i e t y') are routed."""
    assert len(MESSAGES) > 1000
    differ = [m for m in MESSAGES if guard_view(obfuscate(m)) != guard_view(m)]
    assert len(differ) <= len(MESSAGES) // 10
    moved = [(m, ask(client, m)["route"], ask(client, obfuscate(m))["route"]) for m in differ]
    moved = [x for x in moved if x[1] != x[2]]
    # Spelling a word out next to a one-letter word is ambiguous ("a s e i z r e i think": is the
    # 'a' a word?), and a misspelled word cannot be checked against the word list; 8 of 2,070 such
    # rewrites routed differently when this was written (README, "Guard"). Every other way of
    # hiding words must route every message exactly as written.
    allowed = len(MESSAGES) // 200 if obfuscate is spaced_letters else 0
    assert len(moved) <= allowed, f"{len(moved)} hidden messages routed differently, e.g. {moved[:3]}"


def test_a_sample_routes_the_same_through_the_whole_service(client: TestClient) -> None:
    for message in random.Random(7).sample(MESSAGES, 8):
        original = ask(client, message)["route"]
        for obfuscate in OBFUSCATIONS:
            assert ask(client, obfuscate(message))["route"] == original, (obfuscate.__name__, message)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(MESSAGES), st.lists(st.tuples(st.integers(0, 400), st.sampled_from(
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")), max_size=10))
def test_random_invisible_characters_never_change_what_the_guard_reads(message: str, inserts: list[tuple[int, str]]) -> None:
    hidden = message
    for position, char in sorted(inserts, reverse=True):
        hidden = hidden[:position] + char + hidden[position:]
    assert guard_view(hidden) == guard_view(message)
