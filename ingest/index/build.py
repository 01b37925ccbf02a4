"""`kbchat ingest`: validate → split → embed (only what changed) → write a new version → publish."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from kbchat.core.config import Settings
from kbchat.ingest.index.records import EntryRecords, Record, build_records, text_hash
from kbchat.ingest.index.schema import EMBED_HASH, Manifest, embed_hash_of
from kbchat.ingest.index.store import PARTS, IndexProblem, IndexStore, check_model, ingest_lock, open_store, read_all
from kbchat.ingest.kb.format import Entry
from kbchat.ingest.kb.parse import Problem
from kbchat.ingest.kb.validate import check_kb

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

    from kbchat.core.embedder import Embedder

# Chroma 1.5 refuses adds of more than 5,461 rows; stay well under it.
WRITE_BATCH = 1000


class KbInvalid(Exception):
    """The KB has problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the knowledge base; nothing was written. "
                         "Run `kbchat kb check` and fix them.")
        self.problems = problems


@dataclass
class IngestSummary:
    version: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    embedded: int = 0
    reused: int = 0
    seconds: float = 0.0
    unchanged: bool = False

    def line(self) -> str:
        head = "index unchanged" if self.unchanged else f"published {self.version}"
        return (f"{head}: {len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed, "
                f"{len(self.kept)} kept; {self.embedded} texts embedded, {self.reused} reused; "
                f"{self.seconds:.2f} s")


def kb_fingerprint(entries: list[Entry], model: str) -> str:
    digest = hashlib.sha256(model.encode())
    for entry in sorted(entries, key=lambda e: e.id):
        digest.update(f"{entry.id}={entry.content_hash};".encode())
    return digest.hexdigest()


def run_ingest(
    settings: Settings,
    *,
    load_model: Callable[[str], Embedder],
    rebuild: bool = False,
    show_progress: bool = False,
) -> IngestSummary:
    """Publish the reviewed entries of `settings.kb_dir`; an unchanged KB loads no model."""
    started = time.perf_counter()
    with ingest_lock(settings.data_dir):
        check = check_kb(settings.kb_dir)
        if not check.ok:
            raise KbInvalid(check.problems)
        store = open_store(settings)
        current = None if rebuild else store.published()
        if current is not None:
            check_model(current, settings.embedding_model)
        live = [e for e in check.entries if e.status == "reviewed"]
        summary = _diff(current, live)
        fingerprint = kb_fingerprint(live, settings.embedding_model)
        if current is not None and current.fingerprint == fingerprint:
            summary.version, summary.unchanged = current.version, True
        else:
            embedder = load_model(settings.embedding_model)
            if current is not None:
                check_model(current, settings.embedding_model, embedder.dim)
            manifest = _build(store, current, live, fingerprint, embedder, summary, show_progress)
            store.publish(manifest)
            # Keep the version before too: a running service reads it until its next reload check.
            store.prune(keep={manifest.version} | ({current.version} if current else set()))
            summary.version = manifest.version
        summary.seconds = time.perf_counter() - started
        return summary


class IndexStale(IndexProblem):
    """The KB changed since the published version; query commands refuse rather than publish."""


def require_current(settings: Settings, store: IndexStore) -> Manifest:
    """The published manifest if it matches kb/ as it is now; query commands never publish."""
    manifest = store.require_published()
    check = check_kb(settings.kb_dir)
    if not check.ok:
        raise KbInvalid(check.problems)
    live = [e for e in check.entries if e.status == "reviewed"]
    if manifest.fingerprint != kb_fingerprint(live, settings.embedding_model):
        raise IndexStale(
            f"the published index {manifest.version} is stale: {settings.kb_dir} changed since it was built; "
            "run `kbchat ingest` to publish the current KB"
        )
    return manifest


def _diff(current: Manifest | None, live: list[Entry]) -> IngestSummary:
    old = current.entries if current else {}
    new = {e.id: e.content_hash for e in live}
    return IngestSummary(
        version="",
        added=sorted(i for i in new if i not in old),
        changed=sorted(i for i in new if i in old and old[i] != new[i]),
        removed=sorted(i for i in old if i not in new),
        kept=sorted(i for i in new if i in old and old[i] == new[i]),
    )


def _build(
    store: IndexStore,
    current: Manifest | None,
    live: list[Entry],
    fingerprint: str,
    embedder: Embedder,
    summary: IngestSummary,
    show_progress: bool,
) -> Manifest:
    now = dt.datetime.now(dt.UTC)
    version = f"{now:%Y%m%dT%H%M%S}-{fingerprint[:8]}"
    records = [build_records(e) for e in live]
    cache = _embedding_cache(store, current)
    rows = {part: _rows(records, part) for part in PARTS}
    missing = sorted({r.embed_text for part in PARTS for r in rows[part] if r.embed_hash not in cache})
    if missing:
        vectors = embedder.encode_documents(missing, show_progress=show_progress)
        cache.update({text_hash(t): v for t, v in zip(missing, vectors, strict=True)})
    summary.embedded = len(missing)
    summary.reused = sum(len(rows[p]) for p in PARTS) - len(missing)
    collections = store.create_collections(version)
    for part in PARTS:
        write_rows(collections[part], rows[part], cache)
    return Manifest(
        version=version,
        fingerprint=fingerprint,
        model=embedder.name,
        dim=embedder.dim,
        built_at=now.isoformat(timespec="seconds"),
        counts={
            "entries": len(live),
            "studies": sum(e.kind == "study" for e in live),
            "summaries": sum(e.kind == "summary" for e in live),
            **{part: len(rows[part]) for part in ("sentences", "passages")},
        },
        entries={e.id: e.content_hash for e in live},
    )


def _rows(records: list[EntryRecords], part: str) -> list[Record]:
    if part == "entries":
        return [r.entry for r in records if r.entry is not None]
    return [row for r in records for row in getattr(r, part)]


def _embedding_cache(store: IndexStore, current: Manifest | None) -> dict[str, np.ndarray]:
    """embed-text hash → vector from the published version, so unchanged text is never re-encoded."""
    if current is None:
        return {}
    cache: dict[str, np.ndarray] = {}
    for collection in store.open_collections(current.version).values():
        got = read_all(collection, ["embeddings", "metadatas"])
        for meta, vec in zip(got["metadatas"], got["embeddings"], strict=True):
            cache[embed_hash_of(meta)] = np.asarray(vec, dtype=np.float32)
    return cache


def write_rows(collection: Collection, rows: list[Record], cache: dict[str, np.ndarray]) -> None:
    """Add rows in batches; their vectors must already be in `cache`."""
    for start in range(0, len(rows), WRITE_BATCH):
        batch = rows[start : start + WRITE_BATCH]
        encoded = [r.row.to_chroma() for r in batch]
        collection.add(
            ids=[r.id for r in batch],
            documents=[document for document, _ in encoded],
            metadatas=[{**meta, EMBED_HASH: r.embed_hash} for r, (_, meta) in zip(batch, encoded, strict=True)],
            embeddings=np.stack([cache[r.embed_hash] for r in batch]),
        )
