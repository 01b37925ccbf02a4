"""Turn a validated entry into the rows the index stores: sentences, passages, the entry."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from kbchat.core.sentences import Sentence, split_sentences
from kbchat.ingest.index.schema import NO_YEAR, EntryRow, PassageRow, Row, SentenceRow
from kbchat.ingest.kb.format import Entry, short_authors, source_url

# A passage is a run of consecutive sentences of one entry: long enough for BM25 and the dense
# model to see context, short enough (MiniLM reads 256 tokens) that nothing is truncated.
PASSAGE_MAX_CHARS = 700
PASSAGE_MAX_SENTENCES = 3


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Record:
    """One Chroma row to write: its id, its typed row, and the text the model encodes."""

    id: str
    row: Row
    embed_text: str

    @property
    def embed_hash(self) -> str:
        return text_hash(self.embed_text)


@dataclass
class EntryRecords:
    entry_id: str
    sentences: list[Record] = field(default_factory=list)
    passages: list[Record] = field(default_factory=list)
    entry: Record | None = None


def entry_row(entry: Entry) -> EntryRow:
    """What a citation and the source panel show about `entry`."""
    meta = entry.meta
    return EntryRow(
        id=entry.id, kind=entry.kind, title=entry.title, design=entry.design,
        year=int(meta.get("year") or NO_YEAR), url=source_url(meta),
        authors=short_authors(meta.get("authors")), authors_full=tuple(meta.get("authors") or []),
        journal=str(meta.get("journal") or ""), doi=str(meta.get("doi") or ""), pmid=str(meta.get("pmid") or ""),
        population=str(meta.get("population") or ""), topics=tuple(meta.get("topics") or []),
        body=entry.body, content_hash=entry.content_hash, reviewed_on=str(meta.get("reviewed_on") or ""),
    )


def build_records(entry: Entry) -> EntryRecords:
    """Split one entry; ids come from entry id + position + content, so they are stable."""
    sentences = split_sentences(entry.body)
    out = EntryRecords(entry_id=entry.id)
    for pos, sentence in enumerate(sentences):
        out.sentences.append(_sentence_record(entry, pos, sentence))
    for pos, group in enumerate(_group_passages(sentences)):
        out.passages.append(_passage_record(entry, pos, group))
    out.entry = Record(
        id=f"{entry.id}:entry:{entry.content_hash[:16]}",
        row=entry_row(entry),
        embed_text=f"{entry.title}. " + " ".join(s.clean for s in sentences),
    )
    return out


def _sentence_record(entry: Entry, pos: int, sentence: Sentence) -> Record:
    clean = sentence.clean
    row_id = f"{entry.id}:s{pos}:{text_hash(sentence.text)}"
    row = SentenceRow(row_id, entry.id, clean, pos, sentence.start, sentence.end, sentence.citations)
    return Record(id=row_id, row=row, embed_text=clean)


def _group_passages(sentences: list[Sentence]) -> list[list[Sentence]]:
    groups: list[list[Sentence]] = []
    for sentence in sentences:
        current = groups[-1] if groups else None
        fits = current is not None and len(current) < PASSAGE_MAX_SENTENCES and (
            sum(len(s.text) for s in current) + len(sentence.text) <= PASSAGE_MAX_CHARS
        )
        if fits and current is not None:
            current.append(sentence)
        else:
            groups.append([sentence])
    return groups


def _passage_record(entry: Entry, pos: int, group: list[Sentence]) -> Record:
    clean = " ".join(s.clean for s in group)
    row_id = f"{entry.id}:p{pos}:{text_hash(clean)}"
    row = PassageRow(row_id, entry.id, clean, pos, group[0].start, group[-1].end)
    # The title gives a passage its topic ("anxiolytic", "liver injury") for both retrievers.
    return Record(id=row_id, row=row, embed_text=f"{entry.title}. {clean}")
