"""The changelog beside the index: one JSON line per publish or rollback (who, when, what).

It lives where the index lives (`<data dir>/changelog.jsonl`, or rows of the pointer collection on
a Chroma server), so every service replica can show it (`GET /api/kb`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Literal

from kbchat.ingest.index.store import IndexStore

Action = Literal["publish", "ingest", "rollback"]


@dataclass(frozen=True)
class Change:
    """`publish` passed the eval gate (or was forced past it); `ingest` skipped the gate
    (`kbchat ingest`, or `kbchat serve` building a missing index); `rollback` moved the pointer back."""

    at: str
    who: str
    action: Action
    version: str
    previous: str | None
    summary: str = ""  # "2 added, 1 changed, 0 removed, …" or "back to …"
    forced: bool = False  # published although an eval floor was broken
    floor_failures: list[str] = field(default_factory=list)
    eval: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> Change:
        return cls(**json.loads(line))


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def record(store: IndexStore, change: Change) -> None:
    store.append_change(change.to_json())


def read_changes(store: IndexStore) -> list[Change]:
    """Every recorded change, oldest first; a line that is not a change (hand-edited) is skipped."""
    changes = []
    for line in store.changes():
        try:
            changes.append(Change.from_json(line))
        except (ValueError, TypeError):
            continue
    return changes
