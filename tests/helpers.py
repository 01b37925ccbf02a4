"""Helpers for tests: copy the fixture KB somewhere writable, and build settings for it."""

from __future__ import annotations

import shutil
from pathlib import Path

from kbchat.core.config import Settings

FIXTURE_KB = Path(__file__).resolve().parent / "fixtures" / "kb"


def copy_kb(dest: Path) -> Path:
    target = dest / "kb"
    shutil.copytree(FIXTURE_KB, target)
    return target


def settings_for(kb_dir: Path, data_dir: Path, **extra: object) -> Settings:
    """Settings for a test: no background reloads, and no rate limit unless the test sets one."""
    options: dict[str, object] = {"reload_interval_s": 0, "rate_limit": None, **extra}
    return Settings(kb_dir=kb_dir, data_dir=data_dir, **options)  # type: ignore[arg-type]


def write_entry(kb_dir: Path, folder: str, entry_id: str, front: str, body: str) -> Path:
    path = kb_dir / folder / f"{entry_id}.md"
    path.write_text(f"---\n{front.strip()}\n---\n\n{body.strip()}\n", encoding="utf-8")
    return path


STUDY_FRONT = """id: {id}
kind: study
title: A test study about kratom and mood
authors:
- Tester, Ada
journal: Journal of Tests
year: 2021
doi: 10.1000/test.{id}
design: cross_sectional_survey
population: 100 adults answering an online survey
topics:
- mood
status: reviewed
reviewed_on: '2026-11-22'"""
