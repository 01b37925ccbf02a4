"""Hidden words are recovered before anything reads the message; ordinary text is left alone."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbchat.core.deobfuscate import deobfuscate, drop_format_characters, join_spaced_letters, undo_leet


@pytest.mark.parametrize("hidden, plain", [
    ("is 4 g a big d\u200bose", "is 4 g a big dose"),          # zero-width space inside a word
    ("sto\u200dp my zo\u2060loft", "stop my zoloft"),            # joiner, word joiner
    ("\u202ehello\u202c there", "hello there"),                  # bidi override and pop
    ("ｔａｐｅｒ ｐｌａｎ", "taper plan"),                         # full-width letters  # noqa: RUF001
    ("𝐡𝐨𝐰 𝐦𝐮𝐜𝐡", "how much"),                                      # mathematical bold  # noqa: RUF001
    ("sw\u0456tch to leaves", "switch to leaves"),               # Cyrillic i inside a Latin word
    ("g r a m s", "grams"),
    ("w h i c h  s t r a i n  i s  b e s t", "which strain is best"),
    ("t.a.p.e.r", "taper"),
    ("s-t-r-a-i-n", "strain"),
    ("k1ll", "kill"),
    ("0verd0se", "overdose"),
])
def test_hidden_words_come_back(hidden: str, plain: str) -> None:
    assert deobfuscate(hidden) == plain


@pytest.mark.parametrize("text", [
    "Took 5g at 7am, then 2 caps of 7-OH.",
    "Does mitragynine bind mu-opioid receptors (Kruegel et al., 2016)?",
    "What did the U.S. and e.g. the U.K. decide?",
    "Is covid19 or a b12 shortage linked to mood?",
    "What did lab-based predictions say about kratom and CYP3A drug interactions, or cyp2d6 and cyp3a4?",
    "Это русское предложение остаётся как есть.",
    "Η ελληνική πρόταση μένει ίδια.",  # noqa: RUF001  # Greek text stays Greek
    "¿Cuántos gramos tomaban los participantes?",
    "I'm 25 and my dad is 60.",
])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert deobfuscate(text) == unicodedata.normalize("NFKC", text)


def test_leet_needs_letters_on_both_sides() -> None:
    assert undo_leet("b4 the 3rd of May, 10mg") == "b4 the 3rd of May, 10mg"


def test_a_single_spaced_pair_is_not_a_word() -> None:
    assert join_spaced_letters("plan b or c") == "plan b or c"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_handled_and_leaves_no_format_characters(text: str) -> None:
    out = deobfuscate(text)
    assert isinstance(out, str)
    assert not any(unicodedata.category(ch) == "Cf" for ch in out)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="ascii", categories=("L", "N", "P", "Zs")), max_size=120),
    st.lists(st.tuples(st.integers(min_value=0, max_value=120),
                       st.sampled_from("\u200b\u200c\u200d\u2060\ufeff\u00ad\u202a\u202c\u202e\u2066\u2069")),
             max_size=8),
)
def test_invisible_characters_change_nothing(text: str, inserts: list[tuple[int, str]]) -> None:
    hidden = text
    for position, char in sorted(inserts, reverse=True):
        hidden = hidden[:position] + char + hidden[position:]
    assert drop_format_characters(hidden) == drop_format_characters(text)
    assert deobfuscate(hidden) == deobfuscate(text)
