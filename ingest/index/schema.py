"""The index's rows in both directions: what ingest writes to Chroma and what the service reads.

This is the only module that knows Chroma's metadata keys. A field added to a row is added
here, once, and mypy follows it to every reader and writer.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

# Chroma metadata values are scalars; lists and the bibliography are encoded below.
Metadata = dict[str, str | int | float | bool]

# Every row also carries the hash of the text its vector was computed from, so the next ingest
# can reuse the vector of unchanged text (ingest/index/build.py).
EMBED_HASH = "embed_hash"
NO_YEAR = 0  # Chroma cannot store None: an undated agency page has year 0
CITATION_SEPARATOR = ";"


@dataclass(frozen=True)
class EntryRow:
    """One KB entry: what a citation and the source panel show, and its body."""

    id: str
    kind: str
    title: str
    design: str
    year: int
    url: str
    authors: str
    authors_full: tuple[str, ...]
    journal: str
    doi: str
    pmid: str
    population: str
    topics: tuple[str, ...]
    body: str
    content_hash: str = ""
    reviewed_on: str = ""  # YYYY-MM-DD of the last editorial review, shown in the source panel

    def to_chroma(self) -> tuple[str, Metadata]:
        bib = {
            "authors": self.authors, "authors_full": list(self.authors_full), "journal": self.journal,
            "doi": self.doi, "pmid": self.pmid, "population": self.population, "topics": list(self.topics),
            "reviewed_on": self.reviewed_on,
        }
        return self.body, {
            "entry_id": self.id, "kind": self.kind, "title": self.title, "design": self.design,
            "year": self.year, "url": self.url, "bib": json.dumps(bib), "content_hash": self.content_hash,
        }

    @classmethod
    def from_chroma(cls, document: str, meta: dict[str, Any]) -> EntryRow:
        bib = json.loads(str(meta.get("bib") or "{}"))
        return cls(
            id=str(meta["entry_id"]), kind=str(meta["kind"]), title=str(meta["title"]),
            design=str(meta["design"]), year=int(meta.get("year") or NO_YEAR), url=str(meta.get("url") or ""),
            authors=bib.get("authors", ""), authors_full=tuple(bib.get("authors_full", [])),
            journal=bib.get("journal", ""), doi=bib.get("doi", ""), pmid=bib.get("pmid", ""),
            population=bib.get("population", ""), topics=tuple(bib.get("topics", [])), body=document,
            content_hash=str(meta.get("content_hash") or ""), reviewed_on=bib.get("reviewed_on", ""),
        )


@dataclass(frozen=True)
class SentenceRow:
    """One body sentence, as a reader sees it; `start`/`end` index the entry body."""

    id: str
    entry_id: str
    text: str
    position: int
    start: int
    end: int
    citations: tuple[str, ...]  # ids of the studies a summary sentence cites

    def to_chroma(self) -> tuple[str, Metadata]:
        return self.text, {
            "entry_id": self.entry_id, "position": self.position, "start": self.start, "end": self.end,
            "citations": CITATION_SEPARATOR.join(self.citations),
        }

    @classmethod
    def from_chroma(cls, row_id: str, document: str, meta: dict[str, Any]) -> SentenceRow:
        cites = tuple(c for c in str(meta.get("citations") or "").split(CITATION_SEPARATOR) if c)
        return cls(row_id, str(meta["entry_id"]), document, int(meta["position"]), int(meta["start"]),
                   int(meta["end"]), cites)


@dataclass(frozen=True)
class PassageRow:
    """A run of consecutive sentences of one entry: the unit both retrievers rank."""

    id: str
    entry_id: str
    text: str
    position: int
    start: int
    end: int

    def to_chroma(self) -> tuple[str, Metadata]:
        return self.text, {"entry_id": self.entry_id, "position": self.position, "start": self.start, "end": self.end}

    @classmethod
    def from_chroma(cls, row_id: str, document: str, meta: dict[str, Any]) -> PassageRow:
        return cls(row_id, str(meta["entry_id"]), document, int(meta.get("position") or 0), int(meta["start"]),
                   int(meta["end"]))


Row = EntryRow | SentenceRow | PassageRow


def embed_hash_of(meta: dict[str, Any]) -> str:
    return str(meta[EMBED_HASH])


@dataclass
class Manifest:
    """What was published: enough to serve it and to ingest the next version incrementally."""

    version: str
    fingerprint: str
    model: str
    dim: int
    built_at: str
    counts: dict[str, int] = field(default_factory=dict)
    entries: dict[str, str] = field(default_factory=dict)  # entry id -> content hash
    published_at: str = ""  # when this version was last made live (by a publish or a rollback)
    # Set by `kbchat rollback`: kb/ is ahead of this version on purpose, so start-up publishing
    # (`kbchat serve`) leaves it alone and query commands do not call it stale.
    pinned: bool = False
    eval: dict[str, float] = field(default_factory=dict)  # headline eval figures from `kbchat publish`

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        return cls(**json.loads(text))

    @property
    def live_since(self) -> str:
        """When this version went live; a pointer written before `published_at` existed has its build time."""
        return self.published_at or self.built_at
