"""Split an entry body into sentences with character offsets and the citations each carries."""

from __future__ import annotations

import re
from dataclasses import dataclass

# `[@id]` or `[@id-a; @id-b]`, as written at the end of summary sentences.
CITATION_GROUP = re.compile(r"\s*\[(@[A-Za-z0-9][\w.-]*(?:\s*[;,]\s*@[A-Za-z0-9][\w.-]*)*)\]")
CITATION_ID = re.compile(r"@([A-Za-z0-9][\w-]*(?:\.[\w-]+)*)")
# A full stop that may end a sentence: followed by space, or closing quote/bracket then space.
END_CANDIDATE = re.compile(r"[.!?][\"'”’)\]]*(?=\s|$)")  # noqa: RUF001  # curly quotes
# Words whose trailing full stop never ends a sentence.
ABBREVIATIONS = frozenset(
    ["e.g", "i.e", "et", "al", "vs", "dr", "mr", "mrs", "ms", "prof", "approx", "fig", "no", "nos", "cf", "ca", "etc",
     "st", "u.s", "u.k", "jr", "sr", "inc", "ltd", "vol", "pp"]
)


@dataclass(frozen=True)
class Sentence:
    """A body sentence. `start`/`end` index the body; `text` keeps any citation markers."""

    text: str
    start: int
    end: int
    citations: tuple[str, ...]

    @property
    def clean(self) -> str:
        """The sentence as a reader sees it, without `[@id]` markers."""
        return strip_citations(self.text)


def strip_citations(text: str) -> str:
    stripped = CITATION_GROUP.sub("", text)
    return re.sub(r"\s+([.!?,;:])", r"\1", stripped).strip()


def citations_in(text: str) -> tuple[str, ...]:
    found: list[str] = []
    for group in CITATION_GROUP.finditer(text):
        for cid in CITATION_ID.findall(group.group(1)):
            if cid not in found:
                found.append(cid)
    return tuple(found)


def _is_abbreviation(body: str, dot: int) -> bool:
    word = re.search(r"(\S+)$", body[:dot])
    if word is None:
        return False
    token = word.group(1).lstrip("(\"'“‘[").lower().strip(".")  # noqa: RUF001  # curly quotes
    # Single capital initials ("J. Smith") and known abbreviations keep the sentence going;
    # "CYP3A." is a whole word and does end a sentence.
    return token in ABBREVIATIONS or (len(token) == 1 and body[dot - 1].isupper())


def _starts_sentence(body: str, pos: int) -> bool:
    rest = body[pos:].lstrip()
    return not rest or rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"'“‘(["  # noqa: RUF001  # curly quotes


def split_sentences(body: str) -> list[Sentence]:
    """Sentences in order; whitespace between them is not part of any sentence."""
    sentences: list[Sentence] = []
    start = 0
    for match in END_CANDIDATE.finditer(body):
        end = match.end()
        if match.group(0)[0] == "." and _is_abbreviation(body, match.start()):
            continue
        if not _starts_sentence(body, end):
            continue
        _append(body, start, end, sentences)
        start = end
    _append(body, start, len(body), sentences)
    return sentences


def _append(body: str, start: int, end: int, out: list[Sentence]) -> None:
    chunk = body[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    text = chunk.strip()
    if not text or text.startswith("#"):
        return
    s = start + lead
    out.append(Sentence(text=text, start=s, end=s + len(text), citations=citations_in(text)))
