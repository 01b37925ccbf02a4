"""Kept versions, the changelog and rollback, on a real Chroma and the real model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kbchat.core.embedder import Embedder
from kbchat.ingest.index.build import IndexStale, require_current, run_ingest
from kbchat.ingest.index.changelog import read_changes
from kbchat.ingest.index.store import IndexCorrupt, IndexMissing, collection_name, open_store
from kbchat.ingest.index.versions import UnknownVersion, list_versions, rollback, version_lines
from tests.helpers import STUDY_FRONT, copy_kb, settings_for, write_entry


@pytest.fixture
def env(tmp_path: Path, embedder: Embedder):  # type: ignore[no-untyped-def]
    kb = copy_kb(tmp_path)
    settings = settings_for(kb, tmp_path / "data", keep_versions=2)
    return kb, settings, (lambda _name: embedder)


def add_study(kb: Path, entry_id: str) -> None:
    write_entry(kb, "studies", entry_id, STUDY_FRONT.format(id=entry_id), f"In the {entry_id} survey, 40% felt calm.")


def test_each_publish_is_kept_logged_and_old_versions_pruned(env) -> None:  # type: ignore[no-untyped-def]
    kb, settings, load = env
    versions = [run_ingest(settings, load_model=load, who="ada").version]
    for n in (1, 2):
        add_study(kb, f"new-{n}")
        versions.append(run_ingest(settings, load_model=load, who="bo").version)
    kept, live = list_versions(settings)
    assert live is not None and live.version == versions[2] and live.published_at
    # keep_versions=2, plus the one live before the last publish (a running service may still read it).
    assert [m.version for m in kept] == versions[1:]
    assert sorted(p.name for p in (settings.data_dir / "versions").iterdir()) == sorted(versions[1:])
    changes = read_changes(open_store(settings))
    assert [(c.action, c.who, c.version, c.previous) for c in changes] == [
        ("ingest", "ada", versions[0], None), ("ingest", "bo", versions[1], versions[0]),
        ("ingest", "bo", versions[2], versions[1])]
    assert changes[1].summary == "1 added, 0 changed, 0 removed, 6 kept"
    lines = (settings.data_dir / "changelog.jsonl").read_text().splitlines()
    assert len(lines) == 3 and json.loads(lines[0])["who"] == "ada", "one JSON object per line"


def test_rollback_pins_an_earlier_version_that_start_up_publishing_leaves_alone(env) -> None:  # type: ignore[no-untyped-def]
    kb, settings, load = env
    first = run_ingest(settings, load_model=load).version
    add_study(kb, "new-1")
    second = run_ingest(settings, load_model=load).version
    change = rollback(settings, who="ada")
    assert (change.action, change.version, change.previous, change.who) == ("rollback", first, second, "ada")
    store = open_store(settings)
    live = store.require_published()
    assert live.version == first and live.pinned and live.published_at >= change.at
    # kb/ is ahead of the pinned version, on purpose: query commands serve it and do not call it stale.
    assert require_current(settings, store).version == first
    # `kbchat serve` at start-up respects the pin ...
    summary = run_ingest(settings, load_model=load, respect_pin=True)
    assert summary.pinned and "pinned by `kbchat rollback`" in summary.line()
    assert store.require_published().version == first
    # ... an explicit publish does not, and reuses the newer version's vectors (nothing to embed).
    again = run_ingest(settings, load_model=load)
    assert again.embedded == 0 and again.added == ["new-1"]
    assert not store.require_published().pinned
    assert [c.action for c in read_changes(store)] == ["ingest", "ingest", "rollback", "ingest"]


def test_rollback_to_a_named_version_and_every_refusal_changes_nothing(env) -> None:  # type: ignore[no-untyped-def]
    kb, settings, load = env
    first = run_ingest(settings, load_model=load).version
    add_study(kb, "new-1")
    second = run_ingest(settings, load_model=load).version
    store = open_store(settings)
    pointer = (settings.data_dir / "published.json").read_text()
    unknown = "20000101T000000-deadbeef"
    for version, fragment in ((second, "already the live version"), (unknown, f"no kept version '{unknown}'")):
        with pytest.raises(UnknownVersion, match=fragment) as err:
            rollback(settings, version, who="ada")
        assert "othing was changed" in str(err.value)
    assert (settings.data_dir / "published.json").read_text() == pointer
    assert len(read_changes(store)) == 2, "a refused rollback is not logged"
    assert rollback(settings, first, who="ada").version == first
    with pytest.raises(UnknownVersion, match="no version older than the live"):
        rollback(settings, who="ada")
    assert store.require_published().version == first
    assert len(read_changes(store)) == 3


def test_a_version_whose_collections_are_gone_is_refused(env) -> None:  # type: ignore[no-untyped-def]
    kb, settings, load = env
    first = run_ingest(settings, load_model=load).version
    add_study(kb, "new-1")
    run_ingest(settings, load_model=load)
    store = open_store(settings)
    store.client(first).delete_collection(collection_name(first, "sentences"))  # type: ignore[attr-defined]
    with pytest.raises((IndexMissing, IndexCorrupt)):  # either way a clear error naming the fix
        rollback(settings, first, who="ada")
    assert not store.require_published().pinned


def test_version_lines_mark_the_live_one(env) -> None:  # type: ignore[no-untyped-def]
    _kb, settings, load = env
    assert "no published version is kept yet" in version_lines([], None)[0]
    first = run_ingest(settings, load_model=load).version
    kept, live = list_versions(settings)
    [line] = version_lines(kept, live)
    assert line.startswith(f"* {first}") and "6 entries" in line and "no eval" in line


def test_stale_is_still_reported_without_a_pin(env) -> None:  # type: ignore[no-untyped-def]
    kb, settings, load = env
    run_ingest(settings, load_model=load)
    add_study(kb, "new-1")
    with pytest.raises(IndexStale):
        require_current(settings, open_store(settings))
