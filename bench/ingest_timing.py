"""Time `kbchat ingest` as an editor runs it: a full build into an empty data dir, then the
unchanged re-run, for the fixture KB and the real KB. Wall-clock, including process start.

    .venv/bin/python bench/ingest_timing.py
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KBS = {"fixture KB (tests/fixtures/kb)": ROOT / "tests" / "fixtures" / "kb", "real KB (kb/)": ROOT / "kb"}


def timed_ingest(kb: Path, data: Path) -> tuple[float, str]:
    env = {**os.environ, "KBCHAT_KB_DIR": str(kb), "KBCHAT_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1"}
    start = time.perf_counter()
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "kbchat"), "ingest"], env=env, capture_output=True, text=True,
                          check=True)
    return time.perf_counter() - start, done.stdout.strip()


def main() -> None:
    results = {}
    for name, kb in KBS.items():
        with tempfile.TemporaryDirectory() as tmp:
            full, full_line = timed_ingest(kb, Path(tmp))
            again, again_line = timed_ingest(kb, Path(tmp))
        results[name] = {"full_s": round(full, 2), "full": full_line,
                         "unchanged_s": round(again, 2), "unchanged": again_line}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
