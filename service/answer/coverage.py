"""Does the question name something the knowledge base never mentions?

A similarity threshold cannot tell "a nearby topic" from "the thing asked about": "Is kratom legal
in Canada?" sits close to the KB's sentences on US and Thai law. Such questions name a word the KB
never uses ("Canada"). Many answerable questions do too ("find", "please", "diary"), so a missing
word alone proves nothing; what matters is whether the question is *about* it. That is measured
by dropping the word and re-encoding: if the question's meaning moves a lot, the word carried it.

Only questions in the grey zone of similarity are checked (see `CoverageParams`), so the extra
encodings (one per missing word, batched with the other requests) are rare.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import numpy as np

from kbchat.core.text import WORD, fold, stem, tokens

# Everyday words of questions that are never what a question is about, even when the KB happens
# not to use them ("Does kratom *help*…", "Is it *true*…", "*please*"). Stems, as tokens() gives.
QUESTION_WORDS = frozenset(
    ["help", "work", "cause", "make", "take", "get", "give", "find", "show", "say", "tell", "know", "think", "feel",
     "try", "need", "want", "mean", "happen", "change", "affect", "stop", "start", "keep", "seem", "look", "come", "go",
     "put", "use", "really", "actually", "please", "anyone", "anybody", "someone", "somebody", "something", "anything",
     "nothing", "nobody", "everyone", "everybody", "everything", "thing", "way", "lot", "kind", "sort", "type", "good",
     "bad", "better", "worse", "best", "worst", "safe", "true", "false", "real", "big", "small", "little", "much",
     "many", "long", "often", "ever", "still", "else", "always", "never", "quickly", "fast", "slow", "well", "okay",
     "ok", "yes", "sure", "exactly", "basically"]
)
# A word within this difflib ratio of a KB word is a spelling of it ("mitragynin"), not a new topic.
SPELLING_RATIO = 0.85
# A word sharing its first this-many letters with a KB word is another form of it ("addictive").
SHARED_PREFIX = 6
# Never re-encode more than this many missing words for one question.
MAX_CHECKED = 4
# The word is quoted back to the user; a longer "word" is pasted junk, not a topic.
MAX_WORD_CHARS = 40


@dataclass(frozen=True)
class CoverageParams:
    """Built from Settings (service/answer/engine.py), where each value is documented."""

    min_shift: float  # 1 - cosine(question, question without the word) that makes a word the topic
    check_below: float  # best-sentence similarity under which the check runs


def missing_words(question: str, vocabulary: Collection[str]) -> list[str]:
    """Stemmed question words absent from the KB, ignoring everyday question words, other forms
    and near-spellings of KB words."""
    missing: list[str] = []
    for term in dict.fromkeys(tokens(question)):
        if term in vocabulary or term in QUESTION_WORDS or term.isdigit():
            continue
        if len(term) > SHARED_PREFIX and any(word.startswith(term[:SHARED_PREFIX]) for word in vocabulary):
            continue
        if difflib.get_close_matches(term, vocabulary, n=1, cutoff=SPELLING_RATIO):
            continue
        missing.append(term)
    return missing


def without(question: str, term: str) -> tuple[str, str]:
    """The question with every word of stem `term` removed, and the first such word as written."""
    kept, removed = [], ""
    for word in question.split():
        if any(stem(t) == term for t in WORD.findall(fold(word))):
            removed = removed or word.strip(".,;:!?\"'()[]")
        else:
            kept.append(word)
    return " ".join(kept), removed


@dataclass(frozen=True)
class Coverage:
    """The missing word whose removal moves the question's meaning most, and by how much."""

    word: str | None
    shift: float
    missing: int  # question words the KB never uses


def coverage_of(
    question: str,
    query_vec: np.ndarray,
    top_similarity: float,
    vocabulary: Collection[str],
    encode_many: Callable[[Sequence[str]], Sequence[np.ndarray]],
    params: CoverageParams,
) -> Coverage:
    """Measure how much the question is about words the KB never uses (re-encoding only in the
    grey zone of similarity, where it can change the decision)."""
    missing = missing_words(question, vocabulary)
    if top_similarity >= params.check_below or not missing:
        return Coverage(None, 0.0, len(missing))
    candidates = [without(question, term) for term in missing[:MAX_CHECKED]]
    candidates = [(text, word) for text, word in candidates if text and 0 < len(word) <= MAX_WORD_CHARS]
    if not candidates:
        return Coverage(None, 0.0, len(missing))
    vectors = encode_many([text for text, _ in candidates])
    shifts = [1.0 - float(np.dot(query_vec, v)) for v in vectors]
    best = int(np.argmax(shifts))
    return Coverage(candidates[best][1], shifts[best], len(missing))


def uncovered_word(
    question: str,
    query_vec: np.ndarray,
    top_similarity: float,
    vocabulary: Collection[str],
    encode_many: Callable[[Sequence[str]], Sequence[np.ndarray]],
    params: CoverageParams,
) -> str | None:
    """The word (as the user wrote it) that the question is about and the KB never mentions."""
    found = coverage_of(question, query_vec, top_similarity, vocabulary, encode_many, params)
    return found.word if found.shift >= params.min_shift else None
