"""`kbchat kb check`: every problem in kb/, as `path:line: message`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kbchat.core.sentences import split_sentences
from kbchat.ingest.kb.format import (
    AGENCY_DESIGNS,
    AGENCY_EXEMPT,
    COMMON_REQUIRED,
    DESIGNS,
    DRAFT_MAY_LACK,
    KIND_FOLDERS,
    LOCATORS,
    PLACEHOLDER_MARK,
    STATUSES,
    STUDY_OPTIONAL,
    STUDY_REQUIRED,
    SUMMARY_OPTIONAL,
    TOPICS,
    Entry,
)
from kbchat.ingest.kb.parse import EntryParseError, Problem, parse_entry

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_RE = re.compile(r"^[1-9]\d{0,8}$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
URL_RE = re.compile(r"^https?://\S+$")
EARLIEST_YEAR = 1900  # nothing on kratom in the KB predates modern journals


@dataclass
class KbCheck:
    """Entries that parsed, and everything wrong with the KB."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def kb_files(kb_dir: Path) -> list[Path]:
    return sorted(p for folder in KIND_FOLDERS.values() for p in (kb_dir / folder).glob("*.md"))


def check_kb(kb_dir: Path) -> KbCheck:
    """Parse and validate every entry under `kb_dir`; never raises for content problems."""
    result = KbCheck()
    if not (kb_dir / "studies").is_dir() and not (kb_dir / "summaries").is_dir():
        result.problems.append(Problem(kb_dir, 0, "no studies/ or summaries/ folder here; "
                                       "set KBCHAT_KB_DIR to the knowledge-base folder"))
        return result
    for path in kb_files(kb_dir):
        try:
            result.entries.append(parse_entry(path))
        except EntryParseError as exc:
            result.problems.append(exc.problem)
    result.problems.extend(check_entries(result.entries))
    result.problems.sort(key=lambda p: (str(p.path), p.line))
    return result


def check_entries(entries: list[Entry]) -> list[Problem]:
    """Every problem of these parsed entries, alone and together (ids, citations)."""
    problems = [p for entry in entries for p in check_entry(entry)]
    return problems + _check_ids(entries) + _check_citations(entries)


def check_entry(entry: Entry) -> list[Problem]:
    """Field-level checks of one entry."""
    kind = entry.kind
    if kind not in KIND_FOLDERS:
        return [_at(entry, "kind", f"kind must be 'study' or 'summary', got {kind!r}")]
    problems = _check_fields(entry, kind)
    expected_folder = KIND_FOLDERS[kind]
    if entry.path.parent.name != expected_folder:
        problems.append(_at(entry, "kind", f"a {kind} belongs in {expected_folder}/, not {entry.path.parent.name}/"))
    if entry.id and entry.id != entry.path.stem:
        problems.append(_at(entry, "id", f"id {entry.id!r} does not match the file name {entry.path.stem!r}"))
    if entry.id and not ID_RE.match(entry.id):
        problems.append(_at(entry, "id", f"id {entry.id!r} must be lower-case letters, digits and hyphens"))
    problems.extend(_check_values(entry))
    if kind == "study":
        problems.extend(_check_study(entry))
    if not entry.body.strip():
        problems.append(Problem(entry.path, entry.body_line, "empty body: write the digest below the front matter"))
    elif PLACEHOLDER_MARK in entry.body and entry.status != "draft":
        problems.append(Problem(entry.path, entry.body_line + entry.body[: entry.body.index(PLACEHOLDER_MARK)]
                                .count("\n"), f"the body still holds the {PLACEHOLDER_MARK} placeholder of "
                                "`kbchat kb import`: write the digest, or keep the entry as draft"))
    return problems


def _at(entry: Entry, key: str, message: str) -> Problem:
    return Problem(entry.path, entry.line_of(key), message)


def _check_fields(entry: Entry, kind: str) -> list[Problem]:
    required: tuple[str, ...] = STUDY_REQUIRED if kind == "study" else COMMON_REQUIRED
    allowed = set(required) | set(STUDY_OPTIONAL if kind == "study" else SUMMARY_OPTIONAL)
    if entry.meta.get("design") in AGENCY_DESIGNS:
        required = tuple(k for k in required if k not in AGENCY_EXEMPT)
    if entry.status == "draft":
        required = tuple(k for k in required if k not in DRAFT_MAY_LACK)
    problems = [
        _at(entry, key, f"unknown field {key!r} for a {kind} (allowed: {', '.join(sorted(allowed))})")
        for key in entry.meta if key not in allowed
    ]
    problems += [
        Problem(entry.path, 1, f"missing field {key!r}")
        for key in required if entry.meta.get(key) in (None, "", [])
    ]
    return problems


def _check_values(entry: Entry) -> list[Problem]:
    meta, problems = entry.meta, []
    status = meta.get("status")
    if status is not None and status not in STATUSES:
        problems.append(_at(entry, "status", f"status must be one of {', '.join(STATUSES)}, got {status!r}"))
    topics = meta.get("topics")
    if topics is not None and not isinstance(topics, list):
        problems.append(_at(entry, "topics", "topics must be a list of topic slugs"))
    for topic in topics if isinstance(topics, list) else []:
        if topic not in TOPICS:
            problems.append(_at(entry, "topics", f"unknown topic {topic!r} (see kb/README.md for the list)"))
    reviewed = meta.get("reviewed_on")
    if reviewed not in (None, "") and not _is_date(reviewed):
        problems.append(_at(entry, "reviewed_on", f"reviewed_on must be a date YYYY-MM-DD, got {reviewed!r}"))
    reviewer = meta.get("reviewed_by")
    if reviewer is not None and not (isinstance(reviewer, str) and reviewer.strip()):
        problems.append(_at(entry, "reviewed_by", f"reviewed_by must be the reviewer's name, got {reviewer!r}"))
    abstract = meta.get("abstract")
    if abstract is not None and not isinstance(abstract, str):
        problems.append(_at(entry, "abstract", "abstract must be text"))
    return problems


def _is_date(value: Any) -> bool:
    if isinstance(value, dt.date):
        return True
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _check_study(entry: Entry) -> list[Problem]:
    meta, problems = entry.meta, []
    # A draft may wait for its official identifier; nothing unlocatable is ever indexed.
    if entry.status == "reviewed" and not any(meta.get(k) for k in LOCATORS):
        problems.append(Problem(entry.path, 1, "a reviewed study needs a doi, a pmid or an official url "
                                "that an editor has seen; keep it as draft until then"))
    doi, pmid, url, year = meta.get("doi"), meta.get("pmid"), meta.get("url"), meta.get("year")
    if doi and not DOI_RE.match(str(doi)):
        problems.append(_at(entry, "doi", f"bad DOI {doi!r}: expected 10.<registrant>/<suffix>, without https://doi.org/"))
    if pmid and not PMID_RE.match(str(pmid)):
        problems.append(_at(entry, "pmid", f"bad PMID {pmid!r}: expected 1-9 digits"))
    if url and not URL_RE.match(str(url)):
        problems.append(_at(entry, "url", f"bad url {url!r}: expected http(s)://..."))
    if year is not None and not (isinstance(year, int) and EARLIEST_YEAR <= year <= dt.date.today().year + 1):
        problems.append(_at(entry, "year", f"bad year {year!r}: expected a 4-digit publication year"))
    design = meta.get("design")
    if design is not None and design not in DESIGNS:
        problems.append(_at(entry, "design", f"unknown design {design!r} (allowed: {', '.join(DESIGNS)})"))
    authors = meta.get("authors")
    if authors is not None and not (isinstance(authors, list) and all(isinstance(a, str) for a in authors)):
        problems.append(_at(entry, "authors", "authors must be a list of names"))
    return problems


def _check_ids(entries: list[Entry]) -> list[Problem]:
    seen: dict[str, Entry] = {}
    problems = []
    for entry in entries:
        if not entry.id:
            continue
        if entry.id in seen:
            first = seen[entry.id]
            problems.append(_at(entry, "id", f"duplicate id {entry.id!r} (also in {first.path})"))
        else:
            seen[entry.id] = entry
    return problems


def _check_citations(entries: list[Entry]) -> list[Problem]:
    studies = {e.id: e for e in entries if e.kind == "study"}
    problems = []
    for entry in entries:
        if entry.kind != "summary":
            continue
        for sentence in split_sentences(entry.body):
            line = entry.body_line + entry.body[: sentence.start].count("\n")
            if not sentence.citations:
                problems.append(Problem(entry.path, line,
                                        f"sentence has no citation [@study-id]: {sentence.text[:70]!r}"))
            for cid in sentence.citations:
                problems.extend(_check_cited(entry, studies.get(cid), cid, line))
    return problems


def _check_cited(summary: Entry, study: Entry | None, cid: str, line: int) -> list[Problem]:
    if study is None:
        return [Problem(summary.path, line, f"citation [@{cid}] names no study in kb/studies/")]
    if summary.status == "reviewed" and study.status != "reviewed":
        return [Problem(summary.path, line,
                        f"citation [@{cid}] names a study whose status is {study.status!r}, not 'reviewed'")]
    return []
