"""The heavy objects, built once at start-up and passed to every request."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from kbchat.core.config import Settings
from kbchat.ingest.index.loaded import LoadedIndex, load_index
from kbchat.ingest.index.schema import Manifest
from kbchat.ingest.index.store import IndexStore, check_model, open_store
from kbchat.service.answer.answerability import Answerability
from kbchat.service.answer.answerability import load as load_answerability
from kbchat.service.answer.batching import QueryBatcher
from kbchat.service.answer.compose import ComposeParams
from kbchat.service.answer.coverage import CoverageParams
from kbchat.service.answer.retrieve import RetrievalParams
from kbchat.service.answer.verifier import LearnedVerifier
from kbchat.service.guard.classifier import train_or_load
from kbchat.service.guard.router import Guard

if TYPE_CHECKING:
    from kbchat.core.embedder import Embedder
    from kbchat.service.answer.generative import Generator

log = logging.getLogger(__name__)


class IndexHolder:
    """The index in use; a newly published version is loaded beside it and swapped in whole,
    so a request always sees one consistent version (publishing needs no downtime)."""

    def __init__(self, store: IndexStore, index: LoadedIndex) -> None:
        self.store = store
        self._index = index
        self._lock = threading.Lock()

    @property
    def current(self) -> LoadedIndex:
        return self._index

    def refresh(self) -> bool:
        """Load the published version if it changed; True when a new version was swapped in."""
        manifest = self.store.require_published()
        if manifest.version == self._index.version:
            return False
        with self._lock:
            if manifest.version != self._index.version:
                check_model(manifest, self._index.manifest.model, self._index.manifest.dim)
                self._index = load_index(self.store, manifest)
                log.info("switched to index version %s", manifest.version)
        return True


@dataclass
class Engine:
    settings: Settings
    embedder: Embedder
    queries: QueryBatcher  # encodes each request's question, batched across concurrent requests
    holder: IndexHolder
    guard: Guard
    retrieval: RetrievalParams
    compose: ComposeParams
    coverage: CoverageParams
    generator: Generator | None = None
    answerability: Answerability | None = None  # None until `kbchat answers calibrate` has fitted one
    verifier: LearnedVerifier | None = None  # checks readers' claims (check.py); None if not trained
    _titles: dict[str, tuple[list[str], np.ndarray]] = field(default_factory=dict, repr=False)

    @property
    def index(self) -> LoadedIndex:
        return self.holder.current

    def summary_titles(self, index: LoadedIndex) -> tuple[list[str], np.ndarray]:
        """Summary ids and their titles' vectors, encoded once per index version (a bare topic such
        as "kratom" is closest to the title "What kratom is", not to any one passage)."""
        if index.version not in self._titles:
            ids = [eid for eid in index.entry_ids if index.entries[eid].kind == "summary"]
            vectors = self.embedder.encode_queries([index.entries[eid].title for eid in ids]) if ids \
                else np.zeros((0, 1), dtype=np.float32)
            self._titles = {index.version: (ids, vectors)}  # only the serving version is kept
        return self._titles[index.version]


def build_engine(settings: Settings, embedder: Embedder, generator: Generator | None = None,
                 manifest: Manifest | None = None, verifier: LearnedVerifier | None = None) -> Engine:
    """Open the published index, or the version `manifest` names (`kbchat publish` evaluates a staged
    version before anyone can read it), refusing a model mismatch; train or load the guard."""
    store = open_store(settings)
    manifest = manifest or store.require_published()
    check_model(manifest, embedder.name, embedder.dim)
    index = load_index(store, manifest)
    classifier = train_or_load(embedder, settings.data_dir / "guard")
    return Engine(
        settings=settings,
        embedder=embedder,
        queries=QueryBatcher(embedder),
        holder=IndexHolder(store, index),
        guard=Guard(classifier),
        retrieval=RetrievalParams(
            dense_k=settings.dense_k, lexical_k=settings.lexical_k, fusion=settings.fusion, rrf_k=settings.rrf_k,
            dense_weight=settings.dense_weight,
        ),
        compose=ComposeParams(
            candidate_passages=settings.candidate_passages, max_sentences=settings.max_sentences,
            max_per_entry=settings.max_per_entry, abstain_threshold=settings.abstain_threshold,
            sentence_floor=settings.sentence_floor,
        ),
        coverage=CoverageParams(min_shift=settings.coverage_min_shift, check_below=settings.coverage_check_below),
        generator=generator,
        answerability=load_answerability(),
        verifier=verifier,
    )


def start_reloader(engine: Engine, stop: threading.Event) -> threading.Thread | None:
    """Poll for a newly published index every `reload_interval_s` seconds, in the background."""
    interval = engine.settings.reload_interval_s
    if interval <= 0:
        return None

    def loop() -> None:
        while not stop.wait(interval):
            try:
                engine.holder.refresh()
            except Exception as exc:  # keep serving the loaded version whatever went wrong
                log.warning("index reload failed, still serving %s: %s", engine.index.version, exc)

    thread = threading.Thread(target=loop, name="index-reloader", daemon=True)
    thread.start()
    return thread
