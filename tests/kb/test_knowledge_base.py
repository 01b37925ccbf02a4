"""The real knowledge base: clean, true to references.yaml, and free of dosing advice."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kbchat.core.sentences import split_sentences
from kbchat.ingest.kb.parse import parse_entry
from kbchat.ingest.kb.validate import check_kb
from kbchat.service.answer.rail import is_dosing_instruction

ROOT = Path(__file__).resolve().parents[2]
KB = ROOT / "kb"
REFERENCES = ROOT.parent / "shared" / "references" / "references.yaml"


def studies() -> list:  # type: ignore[type-arg]
    return [parse_entry(p) for p in sorted((KB / "studies").glob("*.md"))]


def test_kb_check_is_clean() -> None:
    result = check_kb(KB)
    assert [str(p) for p in result.problems] == []
    assert sum(e.kind == "summary" for e in result.entries) >= 18


@pytest.mark.skipif(not REFERENCES.exists(), reason="../shared/references is not beside this checkout")
def test_every_study_matches_references_yaml() -> None:
    refs = {r["id"]: r for r in yaml.safe_load(REFERENCES.read_text(encoding="utf-8"))}
    entries = studies()
    assert {e.id for e in entries} == set(refs), "one entry per reference (left-out ones stay as drafts)"
    for entry in entries:
        ref = refs[entry.id]
        for key in ("doi", "pmid", "year", "title", "journal"):
            assert entry.meta.get(key) == ref.get(key), f"{entry.id}: {key} differs from references.yaml"


def test_unlocatable_references_are_never_reviewed() -> None:
    readme = (KB / "README.md").read_text(encoding="utf-8")
    for entry in studies():
        if not any(entry.meta.get(k) for k in ("doi", "pmid", "url")):
            assert entry.status == "draft" and f"`{entry.id}`" in readme


def test_no_kb_sentence_gives_dosing_advice() -> None:
    advice = [(p.stem, s.clean) for p in KB.glob("*/*.md") for s in split_sentences(parse_entry(p).body)
              if is_dosing_instruction(s.clean)]
    assert advice == []
