"""The published index as the service holds it: built once at start-up, read by every request."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Collection

import numpy as np
from rank_bm25 import BM25Okapi

from kbchat.ingest.index.store import IndexStore, Manifest, read_all
from kbchat.core.text import tokens

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection


@dataclass(frozen=True)
class SentenceRow:
    id: str
    entry_id: str
    text: str
    position: int
    start: int
    end: int
    citations: tuple[str, ...]


@dataclass(frozen=True)
class PassageRow:
    id: str
    entry_id: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class EntryInfo:
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


@dataclass
class LoadedIndex:
    """Everything retrieval and composition need, in memory except the dense passage search."""

    manifest: Manifest
    passages_collection: "Collection"
    passages: dict[str, PassageRow]
    bm25_ids: list[str]
    bm25: BM25Okapi
    sentences: list[SentenceRow]
    sentence_matrix: np.ndarray  # (n, dim), unit rows: matrix @ query = cosine similarities
    entries: dict[str, EntryInfo]
    entry_ids: list[str]
    entry_matrix: np.ndarray
    sentences_of_passage: dict[str, list[int]] = field(default_factory=dict)
    sentences_of_entry: dict[str, list[int]] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return self.manifest.version

    @property
    def vocabulary(self) -> Collection[str]:
        """Every BM25 token of the passages and entry titles (service/coverage.py)."""
        return self.bm25.idf


def load_index(store: IndexStore, manifest: Manifest) -> LoadedIndex:
    """Read one published version from Chroma; warms the dense collection with one query."""
    collections = store.open_collections(manifest.version)
    entries, entry_ids, entry_matrix = _load_entries(collections["entries"])
    sentences, sentence_matrix = _load_sentences(collections["sentences"])
    passages = _load_passages(collections["passages"])
    bm25_ids = sorted(passages)
    corpus = [tokens(f"{entries[passages[i].entry_id].title} {passages[i].text}") or ["∅"] for i in bm25_ids]
    index = LoadedIndex(
        manifest=manifest,
        passages_collection=collections["passages"],
        passages=passages,
        bm25_ids=bm25_ids,
        bm25=BM25Okapi(corpus),
        sentences=sentences,
        sentence_matrix=sentence_matrix,
        entries=entries,
        entry_ids=entry_ids,
        entry_matrix=entry_matrix,
    )
    _link(index)
    if passages:  # the first query of a fresh process loads the HNSW index; pay it now
        collections["passages"].query(query_embeddings=[sentence_matrix[0].tolist()], n_results=1)
    return index


def _load_entries(collection: "Collection") -> tuple[dict[str, EntryInfo], list[str], np.ndarray]:
    got = read_all(collection, ["documents", "metadatas", "embeddings"])
    entries: dict[str, EntryInfo] = {}
    for doc, meta in zip(got["documents"], got["metadatas"]):
        entries[str(meta["entry_id"])] = _entry_info(doc, meta)
    ids = [str(m["entry_id"]) for m in got["metadatas"]]
    return entries, ids, np.asarray(got["embeddings"], dtype=np.float32)


def _entry_info(doc: str, meta: dict[str, Any]) -> EntryInfo:
    bib = json.loads(str(meta.get("bib") or "{}"))
    return EntryInfo(
        id=str(meta["entry_id"]), kind=str(meta["kind"]), title=str(meta["title"]),
        design=str(meta["design"]), year=int(meta.get("year") or 0), url=str(meta.get("url") or ""),
        authors=bib.get("authors", ""), authors_full=tuple(bib.get("authors_full", [])),
        journal=bib.get("journal", ""), doi=bib.get("doi", ""), pmid=bib.get("pmid", ""),
        population=bib.get("population", ""), topics=tuple(bib.get("topics", [])), body=doc,
    )


def _load_sentences(collection: "Collection") -> tuple[list[SentenceRow], np.ndarray]:
    got = read_all(collection, ["documents", "metadatas", "embeddings"])
    rows = []
    for rid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"]):
        cites = tuple(c for c in str(meta.get("citations") or "").split(";") if c)
        rows.append(SentenceRow(rid, str(meta["entry_id"]), doc, int(meta["position"]),
                                int(meta["start"]), int(meta["end"]), cites))
    order = sorted(range(len(rows)), key=lambda i: (rows[i].entry_id, rows[i].position))
    matrix = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(rows), -1)
    return [rows[i] for i in order], matrix[order] if rows else matrix


def _load_passages(collection: "Collection") -> dict[str, PassageRow]:
    got = read_all(collection, ["documents", "metadatas"])
    return {
        rid: PassageRow(rid, str(m["entry_id"]), doc, int(m["start"]), int(m["end"]))
        for rid, doc, m in zip(got["ids"], got["documents"], got["metadatas"])
    }


def _link(index: LoadedIndex) -> None:
    by_entry: dict[str, list[PassageRow]] = {}
    for passage in index.passages.values():
        by_entry.setdefault(passage.entry_id, []).append(passage)
    for i, sentence in enumerate(index.sentences):
        index.sentences_of_entry.setdefault(sentence.entry_id, []).append(i)
        for passage in by_entry.get(sentence.entry_id, []):
            if passage.start <= sentence.start and sentence.end <= passage.end:
                index.sentences_of_passage.setdefault(passage.id, []).append(i)
