"""`kbchat kb status`: what editors have to do: drafts, stale reviews, uncited summary sentences,
and summaries that cite entries which are not served."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from kbchat.core.sentences import split_sentences
from kbchat.ingest.kb.format import Entry
from kbchat.ingest.kb.review import review_blockers
from kbchat.ingest.kb.validate import check_kb


@dataclass(frozen=True)
class DraftItem:
    id: str
    path: Path
    title: str
    blockers: list[str]  # what `kbchat kb review` would refuse today; empty = ready


@dataclass(frozen=True)
class StaleItem:
    id: str
    path: Path
    reviewed_on: dt.date
    age_days: int


@dataclass(frozen=True)
class SentenceItem:
    """A summary sentence: uncited, or citing `cited` whose status is `cited_status`."""

    entry_id: str
    path: Path
    line: int
    text: str
    cited: str = ""
    cited_status: str = ""


@dataclass
class KbStatus:
    counts: dict[str, int] = field(default_factory=dict)  # entries per status
    drafts: list[DraftItem] = field(default_factory=list)
    stale: list[StaleItem] = field(default_factory=list)
    uncited: list[SentenceItem] = field(default_factory=list)
    unserved_citations: list[SentenceItem] = field(default_factory=list)
    problems: int = 0  # what `kbchat kb check` reports


def kb_status(kb_dir: Path, *, today: dt.date, max_age_days: int) -> KbStatus:
    check = check_kb(kb_dir)
    entries = check.entries
    status = KbStatus(problems=len(check.problems))
    for entry in entries:
        status.counts[entry.status] = status.counts.get(entry.status, 0) + 1
    status.drafts = [DraftItem(e.id, e.path, e.title, review_blockers(e, entries, today))
                     for e in entries if e.status == "draft"]
    status.stale = _stale(entries, today, max_age_days)
    studies = {e.id: e.status for e in entries if e.kind == "study"}
    for entry in (e for e in entries if e.kind == "summary" and e.status != "retired"):
        for sentence in split_sentences(entry.body):
            line = entry.body_line + entry.body[: sentence.start].count("\n")
            item = SentenceItem(entry.id, entry.path, line, sentence.clean)
            if not sentence.citations:
                status.uncited.append(item)
            status.unserved_citations += [
                SentenceItem(entry.id, entry.path, line, sentence.clean, cid, studies.get(cid, "missing"))
                for cid in sentence.citations if studies.get(cid) != "reviewed"
            ]
    return status


def _stale(entries: list[Entry], today: dt.date, max_age_days: int) -> list[StaleItem]:
    items = []
    for entry in entries:
        reviewed = _date(entry.meta.get("reviewed_on"))
        if entry.status == "reviewed" and reviewed and (today - reviewed).days > max_age_days:
            items.append(StaleItem(entry.id, entry.path, reviewed, (today - reviewed).days))
    return sorted(items, key=lambda i: i.reviewed_on)


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None
