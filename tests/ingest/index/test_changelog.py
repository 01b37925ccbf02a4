"""The changelog: JSON lines beside the index, read back in order."""

from __future__ import annotations

from pathlib import Path

from kbchat.ingest.index.changelog import Change, read_changes, record
from kbchat.ingest.index.store import LocalStore


def test_changes_round_trip_in_order_and_a_hand_edited_line_is_skipped(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    first = Change(at="2026-12-03T09:00:00+00:00", who="ada", action="publish", version="v1", previous=None,
                   summary="6 added", eval={"qa.citation_recall": 0.7})
    forced = Change(at="2026-12-03T10:00:00+00:00", who="bo", action="publish", version="v2", previous="v1",
                    forced=True, floor_failures=["qa.citation_recall = 0.500 is under the floor 0.6"])
    record(store, first)
    with (tmp_path / "changelog.jsonl").open("a") as fh:
        fh.write("not json, typed by hand\n")
    record(store, forced)
    assert read_changes(store) == [first, forced]
