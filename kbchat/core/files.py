"""Atomic file writes: a reader (or a crash) sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
from pathlib import Path


def _temp_copy(path: Path, text: str) -> Path:
    """`text` in a temporary file beside `path` (same file system), flushed to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    return tmp


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` in one rename."""
    tmp = _temp_copy(path, text)
    try:
        os.replace(tmp, path)  # atomic on POSIX within one file system
    finally:
        tmp.unlink(missing_ok=True)


def create_atomic(path: Path, text: str) -> None:
    """Create `path` with `text` in one step; FileExistsError if it is already there."""
    tmp = _temp_copy(path, text)
    try:
        os.link(tmp, path)  # atomic, and unlike a rename it never replaces an existing file
    finally:
        tmp.unlink(missing_ok=True)


def append_line(path: Path, line: str) -> None:
    """Append one line with a single write to a file opened with O_APPEND, then fsync it."""
    if "\n" in line:
        raise ValueError("append_line writes one line; the text contains a newline")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
