"""Review states: draft → reviewed (who and when) → retired. Only `reviewed` entries are indexed.

`kbchat kb review` and `kbchat kb retire` edit the front matter in place: only the `status`,
`reviewed_on` and `reviewed_by` lines change, the rest of the file stays byte for byte. The entry
is checked as it would be after the change, together with the rest of the KB; if the change would
leave a problem (a missing field, the import placeholder, a summary citing a study that is not
reviewed), nothing is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from kbchat.core.files import write_atomic
from kbchat.ingest.kb.format import Entry
from kbchat.ingest.kb.parse import DELIMITER, EntryParseError, parse_text
from kbchat.ingest.kb.validate import check_entries, check_kb

REVIEWABLE = ("draft", "reviewed")  # reviewing a reviewed entry again renews its date (stale reviews)


class ReviewProblem(ValueError):
    """A state change that cannot be made; nothing was written."""


@dataclass(frozen=True)
class Transition:
    id: str
    path: Path
    before: str
    after: str


def review(kb_dir: Path, entry_id: str, *, by: str, on: dt.date) -> Transition:
    """Mark an entry reviewed by `by` on `on`, if it passes every check as a reviewed entry."""
    if not by.strip():
        raise ReviewProblem("--by needs the reviewer's name")
    entry, entries = _find(kb_dir, entry_id)
    if entry.status not in REVIEWABLE:
        raise ReviewProblem(f"{entry_id} is {entry.status}; to bring it back, set `status: draft` in {entry.path}, "
                            "check it, then review it")
    fields = {"status": "reviewed", "reviewed_on": on.isoformat(), "reviewed_by": by.strip()}
    return _apply(entry, entries, fields)


def retire(kb_dir: Path, entry_id: str) -> Transition:
    """Take an entry out of the index; refused while a reviewed summary still cites it."""
    entry, entries = _find(kb_dir, entry_id)
    if entry.status == "draft":
        raise ReviewProblem(f"{entry_id} is a draft and was never served; delete {entry.path} instead of retiring it")
    if entry.status != "reviewed":
        raise ReviewProblem(f"{entry_id} is already {entry.status}")
    return _apply(entry, entries, {"status": "retired"})


def _find(kb_dir: Path, entry_id: str) -> tuple[Entry, list[Entry]]:
    check = check_kb(kb_dir)
    match = [e for e in check.entries if e.id == entry_id]
    if not match:
        unreadable = [str(p) for p in check.problems if p.path.stem == entry_id]
        hint = f" ({unreadable[0]})" if unreadable else "; `kbchat kb status` lists the drafts"
        raise ReviewProblem(f"no entry with id {entry_id!r} in {kb_dir}{hint}")
    return match[0], check.entries


def review_blockers(entry: Entry, entries: list[Entry], today: dt.date) -> list[str]:
    """What would stop `kbchat kb review` of this entry today (empty: it can be reviewed)."""
    fields = {"status": "reviewed", "reviewed_on": today.isoformat(), "reviewed_by": "editor"}
    return introduced_problems(entry, entries, set_front_matter(entry.path.read_text(encoding="utf-8"), fields))


def introduced_problems(entry: Entry, entries: list[Entry], new_text: str) -> list[str]:
    """Problems of the entry once it has `new_text`, and problems it would cause elsewhere."""
    try:
        changed = parse_text(entry.path, new_text)
    except EntryParseError as exc:  # cannot happen for a file that parsed before; said plainly if it does
        return [str(exc.problem)]
    before = {str(p) for p in check_entries(entries)}
    after = check_entries([changed if e is entry else e for e in entries])
    return [str(p) for p in after if p.path == entry.path or str(p) not in before]


def _apply(entry: Entry, entries: list[Entry], fields: dict[str, str]) -> Transition:
    new_text = set_front_matter(entry.path.read_text(encoding="utf-8"), fields)
    introduced = introduced_problems(entry, entries, new_text)
    if introduced:
        verb = "reviewed" if fields["status"] == "reviewed" else fields["status"]
        raise ReviewProblem("\n".join([f"{entry.id} cannot be {verb}; nothing was changed. Fix these first:",
                                       *(f"  {p}" for p in introduced)]))
    write_atomic(entry.path, new_text)
    return Transition(entry.id, entry.path, entry.status, fields["status"])


def set_front_matter(text: str, fields: dict[str, str]) -> str:
    """Set top-level scalar fields of the front matter; a missing one goes after `status:`."""
    lines = text.split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == DELIMITER)
    previous = None  # a field that is missing goes after the one set before it
    for key, value in fields.items():
        rendered = yaml.safe_dump({key: value}, allow_unicode=True, width=1000).rstrip("\n")
        at = next((i for i in range(1, end) if lines[i].startswith(f"{key}:")), None)
        if at is not None:
            stop = at + 1
            while stop < end and lines[stop].startswith((" ", "\t", "- ")):  # a value over several lines
                stop += 1
            lines[at:stop] = [rendered]
            end -= stop - at - 1
        else:
            at = previous + 1 if previous is not None else end
            lines.insert(at, rendered)
            end += 1
        previous = at
    return "\n".join(lines)
