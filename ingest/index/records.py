"""Turn a validated entry into the records the index stores: sentences, passages, the entry."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from kbchat.ingest.kb.format import Entry, short_authors, source_url
from kbchat.core.sentences import Sentence, split_sentences

# A passage is a run of consecutive sentences of one entry: long enough for BM25 and the dense
# model to see context, short enough (MiniLM reads 256 tokens) that nothing is truncated.
PASSAGE_MAX_CHARS = 700
PASSAGE_MAX_SENTENCES = 3


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Record:
    """One row of a Chroma collection. `embed_text` is what the model encodes."""

    id: str
    document: str
    embed_text: str
    metadata: dict[str, Any]

    @property
    def embed_hash(self) -> str:
        return text_hash(self.embed_text)


@dataclass
class EntryRecords:
    entry_id: str
    sentences: list[Record] = field(default_factory=list)
    passages: list[Record] = field(default_factory=list)
    entry: Record | None = None


def entry_metadata(entry: Entry) -> dict[str, Any]:
    """Scalar metadata Chroma can store, shared by every record of the entry."""
    meta = entry.meta
    return {
        "entry_id": entry.id,
        "kind": entry.kind,
        "design": entry.design,
        "year": int(meta.get("year") or 0),
        "title": entry.title,
        "url": source_url(meta),
        "status": entry.status,
    }


def bibliography(entry: Entry) -> dict[str, Any]:
    """What a citation and the source panel show, serialised to one JSON string for Chroma."""
    meta = entry.meta
    return {
        "authors": short_authors(meta.get("authors")),
        "authors_full": list(meta.get("authors") or []),
        "journal": str(meta.get("journal") or ""),
        "doi": str(meta.get("doi") or ""),
        "pmid": str(meta.get("pmid") or ""),
        "population": str(meta.get("population") or ""),
        "topics": list(meta.get("topics") or []),
        "reviewed_on": str(meta.get("reviewed_on") or ""),
    }


def build_records(entry: Entry) -> EntryRecords:
    """Split one entry; ids come from entry id + position + content, so they are stable."""
    base = entry_metadata(entry)
    sentences = split_sentences(entry.body)
    out = EntryRecords(entry_id=entry.id)
    for pos, sentence in enumerate(sentences):
        out.sentences.append(_sentence_record(entry, base, pos, sentence))
    for pos, group in enumerate(_group_passages(sentences)):
        out.passages.append(_passage_record(entry, base, pos, group))
    out.entry = Record(
        id=f"{entry.id}:entry:{entry.content_hash[:16]}",
        document=entry.body,
        embed_text=f"{entry.title}. " + " ".join(s.clean for s in sentences),
        metadata={**base, "bib": json.dumps(bibliography(entry)), "content_hash": entry.content_hash},
    )
    return out


def _sentence_record(entry: Entry, base: dict[str, Any], pos: int, sentence: Sentence) -> Record:
    clean = sentence.clean
    return Record(
        id=f"{entry.id}:s{pos}:{text_hash(sentence.text)}",
        document=clean,
        embed_text=clean,
        metadata={
            **base,
            "position": pos,
            "start": sentence.start,
            "end": sentence.end,
            "citations": ";".join(sentence.citations),
            "raw": sentence.text,
        },
    )


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


def _passage_record(entry: Entry, base: dict[str, Any], pos: int, group: list[Sentence]) -> Record:
    clean = " ".join(s.clean for s in group)
    return Record(
        id=f"{entry.id}:p{pos}:{text_hash(clean)}",
        document=clean,
        # The title gives a passage its topic ("anxiolytic", "liver injury") for both retrievers.
        embed_text=f"{entry.title}. {clean}",
        metadata={**base, "position": pos, "start": group[0].start, "end": group[-1].end},
    )
