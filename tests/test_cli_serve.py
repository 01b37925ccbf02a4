"""`kbchat serve` on a broken index stops at start-up with one line that says what is wrong and
what to run, before any worker starts (no traceback, no half-started service)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kbchat import bootstrap
from kbchat.core.embedder import Embedder
from kbchat.ingest.index.build import run_ingest
from tests.chroma_server import free_port
from tests.helpers import FIXTURE_KB, settings_for

KBCHAT = Path(sys.executable).parent / "kbchat"
START_TIMEOUT_S = 120  # a healthy start would never return, so a timeout is a failure


def remove_version_folder(data: Path, version: str) -> None:
    import shutil

    shutil.rmtree(data / "versions" / version)


def garble_pointer(data: Path, _version: str) -> None:
    (data / "published.json").write_text('{"version": "2026', encoding="utf-8")  # a write cut short


def garble_database(data: Path, version: str) -> None:
    (data / "versions" / version / "chroma.sqlite3").write_bytes(b"not a database" * 100)


@pytest.mark.parametrize(("damage", "says"), [
    (remove_version_folder, "is missing"),
    (garble_pointer, "published pointer"),
    (garble_database, "cannot be opened"),
])
def test_a_missing_or_corrupt_index_stops_serve_with_a_clear_error(
    tmp_path: Path, embedder: Embedder, damage: Callable[[Path, str], None], says: str
) -> None:
    data = tmp_path / "data"
    settings = settings_for(FIXTURE_KB, data)
    version = bootstrap.publish(settings, embedder).version
    damage(data, version)
    env = {**os.environ, "KBCHAT_KB_DIR": str(FIXTURE_KB), "KBCHAT_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1",
           "KBCHAT_PORT": str(free_port())}
    result = subprocess.run([str(KBCHAT), "serve"], env=env, capture_output=True, text=True,
                            timeout=START_TIMEOUT_S)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and says in last and "kbchat ingest --rebuild" in last, result.stderr
    assert "Traceback" not in result.stderr

    # What the message says to run repairs it.
    rebuilt = run_ingest(settings, load_model=lambda _name: embedder, rebuild=True)
    assert bootstrap.check_index(settings) == rebuilt.version
