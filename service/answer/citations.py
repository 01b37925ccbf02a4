"""What an answer is made of: sentences that carry numbered citations, and the citations.

One builder, `cite`, turns a KB entry into a citation for both the extractive and the
generative answerer.
"""

from __future__ import annotations

from dataclasses import dataclass

from kbchat.ingest.index.schema import NO_YEAR, EntryRow
from kbchat.ingest.kb.format import design_label


@dataclass(frozen=True)
class Citation:
    n: int
    id: str
    title: str
    authors: str
    year: int | None
    journal: str
    design: str  # the label a reader sees ("Animal study")
    url: str
    quote: str  # the sentence of the source the reader should check
    via: str | None = None  # the summary whose sentence cited this study


@dataclass(frozen=True)
class AnswerSentence:
    text: str
    citations: tuple[int, ...]
    entry_id: str
    evidence: tuple[str, ...]  # design labels of the cited sources


@dataclass
class Answer:
    sentences: list[AnswerSentence]
    citations: list[Citation]
    # How strong the cited evidence is, in words ("It rests on one survey and two animal studies…");
    # derived from the citations' study designs, so it is not a KB claim and carries no citation.
    evidence_note: str = ""

    @property
    def text(self) -> str:
        return " ".join(s.text + "".join(f" [{n}]" for n in s.citations) for s in self.sentences)


def cite(entry: EntryRow, n: int, quote: str, via: str | None = None) -> Citation:
    """Citation number `n` of an answer, pointing at `entry`."""
    return Citation(
        n=n, id=entry.id, title=entry.title, authors=entry.authors,
        year=entry.year if entry.year != NO_YEAR else None, journal=entry.journal,
        design=design_label(entry.design), url=entry.url, quote=quote, via=via,
    )


def plain(text: str) -> AnswerSentence:
    """A fixed sentence of a template: not a KB claim, so it carries no citation."""
    return AnswerSentence(text=text, citations=(), entry_id="", evidence=())
