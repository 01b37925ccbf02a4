"""Ingest against a real Chroma on a temp dir and the real bundled model."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbchat.core.embedder import Embedder
from kbchat.ingest.index import build as pipeline
from kbchat.ingest.index.build import KbInvalid, run_ingest
from kbchat.ingest.index.store import IndexLocked, ModelMismatch, ingest_lock, open_store, read_all
from tests.helpers import STUDY_FRONT, copy_kb, settings_for, write_entry


class CountingLoader:
    """Hands out the session's real model and counts what gets encoded."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder, self.loads, self.encoded = embedder, 0, 0

    def __call__(self, name: str) -> Embedder:
        self.loads += 1
        loader = self

        class Counting(Embedder):
            def encode_documents(self, texts, show_progress=False):  # type: ignore[no-untyped-def]
                loader.encoded += len(texts)
                return super().encode_documents(texts, show_progress)

        return Counting(name=name, model=self.embedder.model)


@pytest.fixture
def env(tmp_path: Path, embedder: Embedder):  # type: ignore[no-untyped-def]
    kb = copy_kb(tmp_path)
    settings = settings_for(kb, tmp_path / "data")
    return kb, settings, CountingLoader(embedder)


def indexed_entries(settings) -> set[str]:  # type: ignore[no-untyped-def]
    store = open_store(settings)
    manifest = store.require_published()
    rows = read_all(store.open_collections(manifest.version)["sentences"], ["metadatas"])
    return {m["entry_id"] for m in rows["metadatas"]}


def test_first_ingest_indexes_only_reviewed_entries(env) -> None:  # type: ignore[no-untyped-def]
    _kb, settings, loader = env
    summary = run_ingest(settings, load_model=loader)
    assert "draft-study" not in indexed_entries(settings)
    assert indexed_entries(settings) == set(summary.added)
    assert len(summary.added) == 6 and loader.encoded > 0


def test_unchanged_rerun_loads_no_model_and_embeds_nothing(env) -> None:  # type: ignore[no-untyped-def]
    _kb, settings, loader = env
    first = run_ingest(settings, load_model=loader)
    loads = loader.loads
    second = run_ingest(settings, load_model=loader)
    assert second.unchanged and second.version == first.version
    assert loader.loads == loads
    assert "0 added, 0 changed, 0 removed, 6 kept" in second.line()


def test_add_edit_retire_delete(env) -> None:  # type: ignore[no-untyped-def]
    kb, settings, loader = env
    run_ingest(settings, load_model=loader)
    write_entry(kb, "studies", "new-study", STUDY_FRONT.format(id="new-study"),
                "In a new test survey, 40% reported calm.")
    path = kb / "studies" / "hazim-2014-anxiolytic.md"
    path.write_text(path.read_text().replace("much as diazepam did.", "much as diazepam did in that test."))
    retired = kb / "studies" / "farah-idayu-2011-fst.md"
    retired.write_text(retired.read_text().replace("status: reviewed", "status: retired"))
    (kb / "studies" / "cdc-olsen-2019-deaths.md").unlink()
    # The summary cites the retired study: point it at a reviewed one so the KB stays valid.
    summary_path = kb / "summaries" / "evidence-depression.md"
    summary_path.write_text(summary_path.read_text().replace("@farah-idayu-2011-fst", "@hazim-2014-anxiolytic"))
    before = loader.encoded
    summary = run_ingest(settings, load_model=loader)
    assert summary.added == ["new-study"]
    assert summary.changed == ["evidence-depression", "hazim-2014-anxiolytic"]
    assert summary.removed == ["cdc-olsen-2019-deaths", "farah-idayu-2011-fst"]
    assert indexed_entries(settings) == {"new-study", "hazim-2014-anxiolytic", "garcia-romeu-2020-survey",
                                         "evidence-depression", "fixture-planted-dosing"}
    # Only the new and the edited text is encoded; unchanged sentences reuse their vectors.
    assert 0 < loader.encoded - before <= 6


def test_invalid_kb_writes_nothing(env) -> None:  # type: ignore[no-untyped-def]
    kb, settings, loader = env
    first = run_ingest(settings, load_model=loader)
    write_entry(kb, "studies", "bad", STUDY_FRONT.format(id="bad").replace("year: 2021", "year: 1"), "Body.")
    with pytest.raises(KbInvalid) as err:
        run_ingest(settings, load_model=loader)
    assert any("bad year" in str(p) for p in err.value.problems)
    assert open_store(settings).require_published().version == first.version


def test_failure_mid_write_leaves_previous_version_published(env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    kb, settings, loader = env
    first = run_ingest(settings, load_model=loader)
    write_entry(kb, "studies", "new-study", STUDY_FRONT.format(id="new-study"),
                "In a new test survey, 40% reported calm.")
    calls = {"n": 0}
    real_write = pipeline.write_rows

    def crash_on_second_collection(collection, rows, cache):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full (injected)")
        real_write(collection, rows, cache)

    monkeypatch.setattr(pipeline, "write_rows", crash_on_second_collection)
    with pytest.raises(RuntimeError, match="injected"):
        run_ingest(settings, load_model=loader)
    assert open_store(settings).require_published().version == first.version
    assert "new-study" not in indexed_entries(settings)
    monkeypatch.setattr(pipeline, "write_rows", real_write)
    recovered = run_ingest(settings, load_model=loader)  # the half-built version is cleaned up
    assert recovered.added == ["new-study"]
    versions = sorted(p.name for p in (settings.data_dir / "versions").iterdir())
    assert versions == sorted({first.version, recovered.version})


def test_second_concurrent_ingest_is_refused(env) -> None:  # type: ignore[no-untyped-def]
    _kb, settings, loader = env
    with ingest_lock(settings.data_dir), pytest.raises(IndexLocked, match="already running"):
        run_ingest(settings, load_model=loader)


def test_model_mismatch_is_refused_until_rebuild(env, embedder) -> None:  # type: ignore[no-untyped-def]
    _kb, settings, loader = env
    run_ingest(settings, load_model=loader)
    other = settings.model_copy(update={"embedding_model": "some/other-model"})
    with pytest.raises(ModelMismatch, match="kbchat ingest --rebuild"):
        run_ingest(other, load_model=loader)
    from kbchat.service.answer.engine import build_engine

    with pytest.raises(ModelMismatch):
        build_engine(settings, Embedder(name="some/other-model", model=embedder.model))
