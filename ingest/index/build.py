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
from kbchat.ingest.index.changelog import Action, Change, now, record
from kbchat.ingest.index.records import EntryRecords, Record, build_records, text_hash
from kbchat.ingest.index.schema import EMBED_HASH, Manifest, embed_hash_of
from kbchat.ingest.index.store import (
    PARTS,
    IndexCorrupt,
    IndexProblem,
    IndexStore,
    check_model,
    ingest_lock,
    open_store,
    read_all,
)
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
    pinned: bool = False  # a rollback pinned the published version; start-up publishing left it alone

    def line(self) -> str:
        if self.pinned:
            return (f"index {self.version} was pinned by `kbchat rollback`; kb/ was not published "
                    "(run `kbchat publish` when it should be)")
        head = "index unchanged" if self.unchanged else f"published {self.version}"
        return (f"{head}: {len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed, "
                f"{len(self.kept)} kept; {self.embedded} texts embedded, {self.reused} reused; "
                f"{self.seconds:.2f} s")


def kb_fingerprint(entries: list[Entry], model: str) -> str:
    digest = hashlib.sha256(model.encode())
    for entry in sorted(entries, key=lambda e: e.id):
        digest.update(f"{entry.id}={entry.content_hash};".encode())
    return digest.hexdigest()


@dataclass
class Staged:
    """kb/ built as a new version beside the published one, not yet visible to any reader.
    `manifest` is None when kb/ matches the published version (nothing to publish)."""

    manifest: Manifest | None
    current: Manifest | None
    summary: IngestSummary


def run_ingest(
    settings: Settings,
    *,
    load_model: Callable[[str], Embedder],
    rebuild: bool = False,
    show_progress: bool = False,
    who: str = "kbchat ingest",
    respect_pin: bool = False,
) -> IngestSummary:
    """Publish the reviewed entries of `settings.kb_dir` without the eval gate; an unchanged KB loads
    no model. With `respect_pin` (start-up of `kbchat serve`), a version pinned by a rollback stays."""
    started = time.perf_counter()
    with ingest_lock(settings.data_dir):
        store = open_store(settings)
        current = _published(store, rebuild)
        if respect_pin and current is not None and current.pinned:
            return IngestSummary(version=current.version, kept=sorted(current.entries), unchanged=True, pinned=True)
        staged = stage(settings, store, load_model=load_model, rebuild=rebuild, show_progress=show_progress)
        if staged.manifest is not None:
            publish_staged(settings, store, staged, who=who, action="ingest")
        staged.summary.seconds = time.perf_counter() - started
        return staged.summary


def stage(
    settings: Settings,
    store: IndexStore,
    *,
    load_model: Callable[[str], Embedder],
    rebuild: bool = False,
    show_progress: bool = False,
) -> Staged:
    """Validate kb/ and write it as a new version beside the published one; publish nothing.
    Call it under `ingest_lock`, then `publish_staged` or `discard` the result."""
    check = check_kb(settings.kb_dir)
    if not check.ok:
        raise KbInvalid(check.problems)
    published = _published(store, rebuild)
    current = None if rebuild else published
    if current is not None:
        check_model(current, settings.embedding_model)
    live = [e for e in check.entries if e.status == "reviewed"]
    summary = _diff(current, live)
    fingerprint = kb_fingerprint(live, settings.embedding_model)
    if current is not None and current.fingerprint == fingerprint:
        summary.version, summary.unchanged = current.version, True
        return Staged(None, published, summary)
    embedder = load_model(settings.embedding_model)
    if current is not None:
        check_model(current, settings.embedding_model, embedder.dim)
    manifest = _build(store, current, live, fingerprint, embedder, summary, show_progress)
    summary.version = manifest.version
    return Staged(manifest, published, summary)


def publish_staged(
    settings: Settings,
    store: IndexStore,
    staged: Staged,
    *,
    who: str,
    action: Action,
    floor_failures: list[str] | None = None,
    eval_figures: dict[str, float] | None = None,
) -> Change:
    """Make a staged version live in one atomic step, record it in the changelog, prune old versions."""
    if staged.manifest is None:
        raise ValueError("nothing was staged: kb/ matches the published version")
    manifest = staged.manifest
    manifest.published_at, manifest.pinned, manifest.eval = now(), False, dict(eval_figures or {})
    store.publish(manifest)
    # Kept (rollback-able) only once published: a run killed before the switch leaves a version
    # without this record, and the next ingest prunes it.
    store.keep_version(manifest)
    change = Change(at=manifest.published_at, who=who, action=action, version=manifest.version,
                    previous=staged.current.version if staged.current else None, summary=_counts(staged.summary),
                    forced=bool(floor_failures), floor_failures=list(floor_failures or []), eval=manifest.eval)
    record(store, change)
    prune_versions(store, settings.keep_versions, previous=change.previous)
    return change


def _published(store: IndexStore, rebuild: bool) -> Manifest | None:
    """The published manifest; with `rebuild`, an unreadable pointer counts as none (the rebuild is
    what the IndexCorrupt message tells the editor to run, so it must get past it)."""
    try:
        return store.published()
    except IndexCorrupt:
        if rebuild:
            return None
        raise


# Version names built in this process: never reused, even after their folder is deleted.
_built_here: set[str] = set()


def discard(store: IndexStore, staged: Staged) -> None:
    """Delete a staged version that will not be published (the published ones are untouched)."""
    if staged.manifest is not None:
        keep = {m.version for m in store.kept_versions()}
        published = store.published()
        store.prune(keep | ({published.version} if published else set()))


def prune_versions(store: IndexStore, keep_versions: int, *, previous: str | None = None) -> list[str]:
    """Keep the newest `keep_versions` published versions, the live one, and the one live before it
    (a running service reads that until its next reload check); delete every other version."""
    published = store.published()
    keep = {m.version for m in store.kept_versions()[-keep_versions:]}
    keep |= {v for v in (published.version if published else None, previous) if v}
    return store.prune(keep)


def _counts(summary: IngestSummary) -> str:
    return (f"{len(summary.added)} added, {len(summary.changed)} changed, {len(summary.removed)} removed, "
            f"{len(summary.kept)} kept")


class IndexStale(IndexProblem):
    """The KB changed since the published version; query commands refuse rather than publish."""


def require_current(settings: Settings, store: IndexStore) -> Manifest:
    """The published manifest if it matches kb/ as it is now; query commands never publish."""
    manifest = store.require_published()
    check = check_kb(settings.kb_dir)
    if not check.ok:
        raise KbInvalid(check.problems)
    if manifest.pinned:  # an editor rolled back on purpose: kb/ is ahead of it, and that is not stale
        return manifest
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
    # Milliseconds keep versions built within one second in build order (rollback sorts by name).
    stamp = f"{now:%Y%m%dT%H%M%S}{now.microsecond // 1000:03d}"
    version = f"{stamp}-{fingerprint[:8]}"
    # A staged version refused and discarded moments ago would otherwise be rebuilt at the same
    # path, where Chroma's process-wide client cache still holds the deleted database.
    n = 1
    while version in _built_here:
        n += 1
        version = f"{stamp}-{fingerprint[:8]}-{n}"
    _built_here.add(version)
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
    """embed-text hash → vector from the published version, and from the newest kept version (after a
    rollback that is where kb/'s newer text was embedded), so unchanged text is never re-encoded."""
    if current is None:
        return {}
    newest = [m for m in store.kept_versions()[-1:] if m.version != current.version and m.model == current.model]
    cache: dict[str, np.ndarray] = {}
    for manifest in [*newest, current]:
        _add_vectors(store, manifest, cache)
    return cache


def _add_vectors(store: IndexStore, manifest: Manifest, cache: dict[str, np.ndarray]) -> None:
    for collection in store.open_collections(manifest.version).values():
        got = read_all(collection, ["embeddings", "metadatas"])
        for meta, vec in zip(got["metadatas"], got["embeddings"], strict=True):
            cache[embed_hash_of(meta)] = np.asarray(vec, dtype=np.float32)


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
