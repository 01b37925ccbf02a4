"""`kbchat ingest` with one step held open, for the SIGKILL tests (test_ingest_kill.py).

    python -m tests.ingest.index.held_ingest STEP MARKER

Runs the real command with the real model; when STEP is reached it writes MARKER and sleeps until
the test kills it. STEP is one of: embedding (half the new texts encoded), writing (the first
collection of the new version written, the second not), swap (the new pointer written and synced,
not yet renamed over the published one), pruning (the pointer switched, old versions not yet removed).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from kbchat.cli import app
from kbchat.core.embedder import Embedder
from kbchat.ingest.index import build, store

HOLD_S = 600  # far longer than any test waits: only the test's SIGKILL ends it


def hold(marker: Path) -> None:
    marker.write_text(f"pid {os.getpid()}", encoding="utf-8")
    time.sleep(HOLD_S)


def arm(step: str, marker: Path) -> None:
    if step == "embedding":
        encode = Embedder.encode_documents

        def half_then_hold(self: Embedder, texts: list[str], show_progress: bool = False) -> Any:
            encode(self, texts[: len(texts) // 2 + 1])
            hold(marker)

        Embedder.encode_documents = half_then_hold  # type: ignore[method-assign]
    elif step == "writing":
        write, calls = build.write_rows, []

        def second_waits(collection: Any, rows: Any, cache: Any) -> None:
            calls.append(1)
            if len(calls) == 2:
                hold(marker)
            write(collection, rows, cache)

        build.write_rows = second_waits
    elif step == "swap":
        replace = os.replace

        def pointer_waits(src: Any, dst: Any) -> None:
            if Path(dst).name == "published.json":
                hold(marker)
            replace(src, dst)

        store.os.replace = pointer_waits  # type: ignore[attr-defined]
    elif step == "pruning":
        store.LocalStore.prune = lambda self, keep: hold(marker)  # type: ignore[assignment, method-assign, misc]
    else:
        raise SystemExit(f"unknown step {step!r}")


if __name__ == "__main__":
    arm(sys.argv[1], Path(sys.argv[2]))
    app(["ingest"])
