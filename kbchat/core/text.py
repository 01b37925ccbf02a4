"""Small text helpers shared by the lexical index, the guard and the rail."""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
STOPWORDS = frozenset(
    ["a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "about", "from",
     "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "there",
     "here", "what", "which", "who", "whom", "whose", "how", "why", "when", "where", "do", "does", "did", "can",
     "could", "should", "would", "will", "shall", "may", "might", "must", "i", "me", "my", "we", "our", "you", "your",
     "he", "she", "they", "them", "their", "his", "her", "not", "no", "so", "than", "then", "too", "very", "just",
     "also", "any", "some", "such", "into", "over", "under", "more", "most", "other", "kratom"]
)


def fold(text: str) -> str:
    """Lower-case, strip accents and normalise spacing (ﬁ → fi, é → e, NBSP → space)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text.lower()).strip()


def stem(token: str) -> str:
    """A light English stemmer: enough for BM25 to match 'surveys' with 'survey'."""
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("s", "")):
        if token.endswith(suffix) and len(token) > len(suffix) + 2 and not token.endswith("ss"):
            return token[: -len(suffix)] + keep
    return token


def tokens(text: str) -> list[str]:
    """BM25 tokens: folded words, stop words dropped ('kratom' is in every passage), stemmed."""
    return [stem(t) for t in WORD.findall(fold(text)) if t not in STOPWORDS]
