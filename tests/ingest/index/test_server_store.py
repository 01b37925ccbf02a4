"""The deployment mode that outgrows one machine: a real Chroma server, the pointer inside it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kbchat.core.conversation import Turn
from kbchat.core.embedder import Embedder
from kbchat.ingest.index.build import run_ingest
from kbchat.ingest.index.store import open_store
from kbchat.service.answer.engine import build_engine
from kbchat.service.answer.pipeline import respond
from tests.chroma_server import ChromaServer
from tests.helpers import copy_kb, settings_for


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    server = ChromaServer(tmp_path / "chroma-server")
    try:
        server.start()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield server.url
    server.stop()


def test_ingest_and_answer_through_a_chroma_server(tmp_path: Path, chroma_url: str, embedder: Embedder) -> None:
    kb = copy_kb(tmp_path)
    settings = settings_for(kb, tmp_path / "data", chroma_url=chroma_url)
    first = run_ingest(settings, load_model=lambda _name: embedder)
    assert not (tmp_path / "data" / "published.json").exists(), "the pointer lives in the server"
    # A second, stateless replica needs nothing local but the settings.
    replica = settings_for(kb, tmp_path / "replica-data", chroma_url=chroma_url)
    assert open_store(replica).require_published().version == first.version
    engine = build_engine(replica, embedder)
    reply = respond([Turn("user", "Do kratom users say it helps their depression?")], engine)
    assert reply.route == "answer" and not reply.abstained
    assert run_ingest(settings, load_model=lambda _name: embedder).unchanged


def test_versions_changelog_and_rollback_live_in_the_server(tmp_path: Path, chroma_url: str,
                                                            embedder: Embedder) -> None:
    from kbchat.ingest.index.changelog import read_changes
    from kbchat.ingest.index.versions import rollback
    from tests.helpers import STUDY_FRONT, write_entry

    kb = copy_kb(tmp_path)
    settings = settings_for(kb, tmp_path / "data", chroma_url=chroma_url, keep_versions=2)
    versions = [run_ingest(settings, load_model=lambda _name: embedder, who="ada").version]
    for n in (1, 2):
        write_entry(kb, "studies", f"new-{n}", STUDY_FRONT.format(id=f"new-{n}"), f"In survey {n}, 40% felt calm.")
        versions.append(run_ingest(settings, load_model=lambda _name: embedder, who="bo").version)
    replica = open_store(settings_for(kb, tmp_path / "replica-data", chroma_url=chroma_url))
    assert [m.version for m in replica.kept_versions()] == versions[1:], "the oldest was pruned, rows and all"
    assert [c.version for c in read_changes(replica)] == versions
    rollback(settings, who="ada")
    assert replica.require_published().version == versions[1] and replica.require_published().pinned
    assert [c.action for c in read_changes(replica)] == ["ingest", "ingest", "ingest", "rollback"]
    assert not (tmp_path / "data" / "changelog.jsonl").exists(), "the changelog lives in the server too"
