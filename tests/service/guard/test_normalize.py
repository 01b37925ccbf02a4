"""Text normalisation before the rules read it (service/guard/normalize.py)."""

from __future__ import annotations

import pytest

from kbchat.service.guard.normalize import SPELLING, _one_edit_apart, correct_token, normalize, squeeze_repeats


@pytest.mark.parametrize("raw, expected", [
    ("Wat strane shud I tke 4 sleep???", "what strain should i take 4 sleep??"),
    ("Can I swap my Zoloft 4 kratum?", "can i swap my sertraline 4 kratom?"),
    ("took 5gs , feeling weird", "took 5 g, feeling weird"),
    ("Est-ce que je peux arrêter?", "est - ce que je peux arreter?"),
])
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize("token, expected", [
    ("prozak", "fluoxetine"),
    ("oded", "overdosed"),
    ("pls", "please"),
    ("sertralin", "sertraline"),  # one edit from a keyword
    ("wellbutrn", "bupropion"),  # one edit from a brand name, then its generic name
    ("welbutrn", "welbutrn"),  # two edits from "wellbutrin": left alone
    ("kratm", "kratom"),
    ("cat", "cat"),  # too short to correct
])
def test_correct_token(token: str, expected: str) -> None:
    assert correct_token(token) == expected


def test_spelling_keys_are_lower_case_since_text_is_folded_first() -> None:
    assert all(key == key.lower() for key in SPELLING)


@pytest.mark.parametrize("a, b, expected", [
    ("kratom", "kratom", True),
    ("kratom", "kartom", True),  # swap
    ("kratom", "kratomm", True),  # insertion
    ("kratom", "kraom", True),  # deletion
    ("kratom", "krotom", True),  # substitution
    ("kratom", "kortam", False),
    ("kratom", "kr", False),
])
def test_one_edit_apart(a: str, b: str, expected: bool) -> None:
    assert _one_edit_apart(a, b) is expected


@pytest.mark.parametrize("text, expected", [
    ("soooo muuuuch", "soo muuch"),
    ("good", "good"),
    ("!!!!", "!!"),
])
def test_squeeze_repeats(text: str, expected: str) -> None:
    assert squeeze_repeats(text) == expected
