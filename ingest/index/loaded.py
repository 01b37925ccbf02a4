"""The published index as the service holds it: built once at start-up, read by every request."""

from __future__ import annotations

from collections.abc import Collection as SizedContainer
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from rank_bm25 import BM25Okapi

from kbchat.core.text import tokens
from kbchat.ingest.index.schema import EntryRow, Manifest, PassageRow, SentenceRow
from kbchat.ingest.index.store import IndexStore, reaching, read_all

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection


@dataclass
class LoadedIndex:
    """Everything retrieval and composition need, in memory except the dense passage search."""

    manifest: Manifest
    passages_collection: Collection
    passages: dict[str, PassageRow]
    bm25_ids: list[str]
    bm25: BM25Okapi
    sentences: list[SentenceRow]
    sentence_matrix: np.ndarray  # (n, dim), unit rows: matrix @ query = cosine similarities
    entries: dict[str, EntryRow]
    entry_ids: list[str]
    entry_matrix: np.ndarray
    sentences_of_passage: dict[str, list[int]] = field(default_factory=dict)
    sentences_of_entry: dict[str, list[int]] = field(default_factory=dict)
    where: str = ""  # the store's location, for error messages

    @property
    def version(self) -> str:
        return self.manifest.version

    @property
    def vocabulary(self) -> SizedContainer[str]:
        """Every BM25 token of the passages and entry titles (service/answer/coverage.py)."""
        idf: dict[str, float] = self.bm25.idf
        return idf


def load_index(store: IndexStore, manifest: Manifest) -> LoadedIndex:
    """Read one published version from Chroma; warms the dense collection with one query."""
    collections = store.open_collections(manifest.version)
    with reaching(store.where):
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
        where=store.where,
    )
    _link(index)
    if passages:  # the first query of a fresh process loads the HNSW index; pay it now
        with reaching(store.where):
            collections["passages"].query(query_embeddings=[sentence_matrix[0].tolist()], n_results=1)
    return index


def _load_entries(collection: Collection) -> tuple[dict[str, EntryRow], list[str], np.ndarray]:
    got = read_all(collection, ["documents", "metadatas", "embeddings"])
    rows = [EntryRow.from_chroma(doc, meta) for doc, meta in zip(got["documents"], got["metadatas"], strict=True)]
    return {r.id: r for r in rows}, [r.id for r in rows], np.asarray(got["embeddings"], dtype=np.float32)


def _load_sentences(collection: Collection) -> tuple[list[SentenceRow], np.ndarray]:
    got = read_all(collection, ["documents", "metadatas", "embeddings"])
    rows = [SentenceRow.from_chroma(rid, doc, meta)
            for rid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)]
    order = sorted(range(len(rows)), key=lambda i: (rows[i].entry_id, rows[i].position))
    matrix = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(rows), -1)
    return [rows[i] for i in order], matrix[order] if rows else matrix


def _load_passages(collection: Collection) -> dict[str, PassageRow]:
    got = read_all(collection, ["documents", "metadatas"])
    return {
        rid: PassageRow.from_chroma(rid, doc, meta)
        for rid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
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
