"""`kbchat ingest` killed with SIGKILL at each step (no cleanup runs, as after a power cut or the
OOM killer): the published index stays whole, a running service keeps answering from it, and the
next ingest completes. Each kill is of a real subprocess running the real command and model."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kbchat import bootstrap
from kbchat.core.config import Settings
from kbchat.core.embedder import Embedder
from kbchat.ingest.index.build import run_ingest
from kbchat.ingest.index.loaded import load_index
from kbchat.ingest.index.store import open_store
from kbchat.service.answer.engine import Engine
from kbchat.service.web.api import create_app
from tests.helpers import STUDY_FRONT, copy_kb, settings_for, write_entry

ROOT = Path(__file__).resolve().parents[3]
REACH_TIMEOUT_S = 180  # the subprocess loads torch and the model on a shared CPU first
QUESTION = {"messages": [{"role": "user", "content": "Do kratom users say it helps their depression?"}]}


@dataclass
class Live:
    settings: Settings
    engine: Engine
    client: TestClient
    first: str  # the version published before the killed ingest


@pytest.fixture
def live(tmp_path: Path, embedder: Embedder) -> Iterator[Live]:
    """A published index, the real app serving it, and a KB edit the next ingest must publish."""
    kb = copy_kb(tmp_path)
    settings = settings_for(kb, tmp_path / "data")
    first = bootstrap.publish(settings, embedder).version
    engine = bootstrap.build(settings, embedder)
    write_entry(kb, "studies", "new-study", STUDY_FRONT.format(id="new-study"),
                "In a new test survey of kratom users, 40% reported calm.")
    with TestClient(create_app(settings, lambda: engine), raise_server_exceptions=False) as client:
        yield Live(settings, engine, client, first)
    engine.queries.close()


def kill_at(step: str, settings: Settings, tmp_path: Path) -> None:
    """Run `kbchat ingest` until it reaches `step`, then SIGKILL it."""
    marker = tmp_path / f"reached-{step}"
    env = {**os.environ, "KBCHAT_KB_DIR": str(settings.kb_dir), "KBCHAT_DATA_DIR": str(settings.data_dir),
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "tests.ingest.index.held_ingest", step, str(marker)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + REACH_TIMEOUT_S
    while not marker.exists():
        if proc.poll() is not None:
            _out, err = proc.communicate()
            pytest.fail(f"the ingest ended ({proc.returncode}) before reaching {step}: {err.decode()[-2000:]}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the ingest did not reach {step} within {REACH_TIMEOUT_S} s")
        time.sleep(0.1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL


def answers_from(live: Live, version: str) -> None:
    reply = live.client.post("/api/chat", json=QUESTION)
    assert reply.status_code == 200 and not reply.json()["abstained"]
    assert reply.json()["index_version"] == version
    assert live.client.get("/readyz").json()["index_version"] == version


@pytest.mark.parametrize("step", ["embedding", "writing", "swap"])
def test_killed_before_the_switch_leaves_the_previous_index_serving(
    live: Live, step: str, tmp_path: Path, embedder: Embedder
) -> None:
    kill_at(step, live.settings, tmp_path)
    store = open_store(live.settings)
    assert store.require_published().version == live.first
    if step == "swap":  # killed between writing the new pointer and renaming it over the old one
        [pending] = live.settings.data_dir.glob(".published.json.*.tmp")  # core/files.py's temporary name
        assert live.first not in pending.read_text()
    assert not live.engine.holder.refresh(), "the reloader sees nothing new"
    answers_from(live, live.first)
    # A restarted service would load the same, whole version.
    assert "new-study" not in load_index(store, store.require_published()).entries

    recovered = run_ingest(live.settings, load_model=lambda _name: embedder)  # the lock died with the process
    assert recovered.added == ["new-study"]
    versions = {p.name for p in (live.settings.data_dir / "versions").iterdir()}
    assert versions == {live.first, recovered.version}, "the killed run's half-written version is removed"
    assert live.engine.holder.refresh()
    answers_from(live, recovered.version)


def test_killed_after_the_switch_serves_the_new_index_whole(live: Live, tmp_path: Path, embedder: Embedder) -> None:
    kill_at("pruning", live.settings, tmp_path)
    store = open_store(live.settings)
    published = store.require_published().version
    assert published != live.first
    assert "new-study" in load_index(store, store.require_published()).entries
    assert live.engine.holder.refresh()
    answers_from(live, published)
    assert run_ingest(live.settings, load_model=lambda _name: embedder).unchanged
