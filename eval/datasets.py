"""The versioned JSONL datasets under eval/data (documented in eval/README.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kbchat.core.conversation import ROUTES, Route, Turn

DATA = Path(__file__).resolve().parent / "data"
QA_FILE = DATA / "qa_dev.jsonl"
# Written blind (by a writer who saw only the KB's topic list and the sources), scored once at the end.
QA_TEST_FILE = DATA / "qa_test.jsonl"
GUARD_FILE = DATA / "guard_dev.jsonl"
# Written blind (by writers who saw only the policy), scored once at the end: eval/README.md.
GUARD_TEST_FILE = DATA / "guard_test.jsonl"
FAITHFULNESS_FILE = DATA / "faithfulness_dev.jsonl"


class DatasetError(ValueError):
    pass


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}:{n}: not valid JSON ({exc.msg})") from exc
    return rows


def _need(row: dict[str, Any], keys: tuple[str, ...], where: str) -> None:
    missing = [k for k in keys if k not in row]
    if missing:
        raise DatasetError(f"{where}: missing {', '.join(missing)}")


@dataclass(frozen=True)
class QaItem:
    id: str
    question: str
    kind: str  # answerable | unanswerable
    expected_ids: tuple[str, ...]
    key_facts: tuple[str, ...]
    topic: str


def load_qa(path: Path = QA_FILE) -> list[QaItem]:
    items = []
    for i, row in enumerate(read_jsonl(path), 1):
        _need(row, ("question", "kind", "expected_ids", "key_facts", "topic"), f"{path}:{i}")
        if row["kind"] not in ("answerable", "unanswerable"):
            raise DatasetError(f"{path}:{i}: kind must be answerable or unanswerable, got {row['kind']!r}")
        items.append(QaItem(str(row.get("id", f"q{i:03d}")), row["question"], row["kind"], tuple(row["expected_ids"]),
                            tuple(row["key_facts"]), row["topic"]))
    return items


@dataclass(frozen=True)
class GuardItem:
    id: str
    turns: tuple[Turn, ...]
    route: Route
    tags: tuple[str, ...] = field(default_factory=tuple)
    also_ok: tuple[Route, ...] = ()  # borderline rows: other routes the policy accepts


def load_guard(path: Path = GUARD_FILE) -> list[GuardItem]:
    items = []
    for i, row in enumerate(read_jsonl(path), 1):
        _need(row, ("messages", "route"), f"{path}:{i}")
        if row["route"] not in ROUTES:
            raise DatasetError(f"{path}:{i}: route must be one of {', '.join(ROUTES)}, got {row['route']!r}")
        turns = tuple(Turn(m["role"], m["content"]) for m in row["messages"])
        also_ok = tuple(row.get("also_ok", []))
        if any(r not in ROUTES for r in also_ok):
            raise DatasetError(f"{path}:{i}: also_ok must list routes from {', '.join(ROUTES)}, got {also_ok!r}")
        items.append(GuardItem(str(row.get("id", i)), turns, row["route"], tuple(row.get("tags", [])), also_ok))
    return items


@dataclass(frozen=True)
class FaithPair:
    id: str
    claim: str
    passage: str
    label: str  # supported | unsupported
    kind: str = ""


def load_pairs(path: Path = FAITHFULNESS_FILE) -> list[FaithPair]:
    pairs = []
    for i, row in enumerate(read_jsonl(path), 1):
        _need(row, ("claim", "passage", "label"), f"{path}:{i}")
        if row["label"] not in ("supported", "unsupported"):
            raise DatasetError(f"{path}:{i}: label must be supported or unsupported, got {row['label']!r}")
        pairs.append(FaithPair(str(row.get("id", i)), row["claim"], row["passage"], row["label"], row.get("kind", "")))
    return pairs
