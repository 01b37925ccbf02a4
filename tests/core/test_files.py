"""Atomic writes: the old file or the new one, never a half-written one, and no stray temp files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kbchat.core import files
from kbchat.core.files import append_line, create_atomic, write_atomic


def test_write_atomic_replaces_in_one_step_and_leaves_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "entry.md"
    write_atomic(path, "first")
    write_atomic(path, "second")
    assert path.read_text() == "second"
    assert [p.name for p in path.parent.iterdir()] == ["entry.md"]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "entry.md"
    write_atomic(path, "old")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk full (injected)")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError, match="injected"):
        write_atomic(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["entry.md"]


def test_create_atomic_never_replaces_a_file(tmp_path: Path) -> None:
    path = tmp_path / "entry.md"
    create_atomic(path, "mine")
    with pytest.raises(FileExistsError):
        create_atomic(path, "theirs")
    assert path.read_text() == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["entry.md"]


def test_append_line_adds_whole_lines_only(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    append_line(path, '{"a": 1}')
    append_line(path, '{"b": 2}')
    assert path.read_text().splitlines() == ['{"a": 1}', '{"b": 2}']
    with pytest.raises(ValueError, match="one line"):
        append_line(path, "two\nlines")
    assert os.path.getsize(path) == len('{"a": 1}\n{"b": 2}\n')
