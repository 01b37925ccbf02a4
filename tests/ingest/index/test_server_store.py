"""The deployment mode that outgrows one machine: a real Chroma server, the pointer inside it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kbchat.core.conversation import Turn
from kbchat.core.embedder import Embedder
from kbchat.ingest.index.build import run_ingest
from kbchat.ingest.index.store import open_store
from kbchat.service.answer.engine import build_engine
from kbchat.service.answer.pipeline import respond
from tests.helpers import copy_kb, settings_for

CHROMA = Path(sys.executable).parent / "chroma"
START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    if not CHROMA.exists() and shutil.which("chroma") is None:
        pytest.fail("the chroma CLI (from the chromadb package) is missing")
    port = free_port()
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("the Chroma server did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


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
