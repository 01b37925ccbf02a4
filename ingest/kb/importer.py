"""`kbchat kb import`: an editor's export → `draft` study entries in kb/studies/, all or nothing.

Each record is checked (DOI and PMID format, year, journal, authors) and compared with every entry
already in the KB (same DOI or PMID = the same paper). Only when every record passes are the
drafts written, each in one atomic step; a problem with any record writes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from kbchat.core.files import create_atomic
from kbchat.ingest.kb.bibtex import looks_like_bibtex, read_bibtex
from kbchat.ingest.kb.citation import Citation, ImportProblem, check_citation
from kbchat.ingest.kb.csl import read_csl
from kbchat.ingest.kb.format import BODY_PLACEHOLDER, KIND_FOLDERS, Entry
from kbchat.ingest.kb.parse import EntryParseError, parse_text
from kbchat.ingest.kb.pubmed import read_pubmed
from kbchat.ingest.kb.ris import looks_like_ris, read_ris
from kbchat.ingest.kb.validate import check_entries, check_kb

Source = Literal["pubmed", "doi"]
FOLDER = KIND_FOLDERS["study"]
# Publication types that say what kind of study it is; anything else starts as `other` and the
# editor sets the design when writing the digest.
DESIGN_HINTS = (
    ("meta-analysis", "systematic_review"), ("systematic review", "systematic_review"),
    ("randomized controlled trial", "randomized_trial"), ("case reports", "case_report"),
    ("review", "narrative_review"),
)
TITLE_SKIP = {"a", "an", "and", "are", "as", "at", "by", "does", "for", "from", "in", "is", "its", "of", "on",
              "or", "the", "to", "with", "kratom", "mitragyna", "speciosa", "use", "users"}


@dataclass(frozen=True)
class Draft:
    """A draft entry about to be written (or written): its id, file and text."""

    id: str
    path: Path
    citation: Citation
    text: str


def read_export(source: Source, path: Path) -> list[Citation]:
    """The records of a PubMed XML file, or of a CSL-JSON / RIS / BibTeX file (told apart by content)."""
    if not path.is_file():
        raise ImportProblem(f"no file at {path}")
    if source == "pubmed":
        return read_pubmed(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportProblem(f"{path} is not UTF-8 text ({exc.reason}); export it again as UTF-8") from exc
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return read_csl(path, text)
    if looks_like_ris(text):
        return read_ris(path, text)
    if looks_like_bibtex(text):
        return read_bibtex(path, text)
    raise ImportProblem(f"{path} is neither CSL-JSON, RIS nor BibTeX; save the DOI's citation in one of them")


def plan_import(kb_dir: Path, citations: list[Citation], *, source: Source, entry_id: str | None = None) -> list[Draft]:
    """The drafts these records would become; ImportProblem listing every problem if any record fails."""
    if entry_id is not None and len(citations) != 1:
        raise ImportProblem(f"--id names one entry, but the file holds {len(citations)} records; "
                            "import without --id (ids are made from author, year and title) and rename after")
    if not (kb_dir / FOLDER).is_dir():
        raise ImportProblem(f"no {FOLDER}/ folder under {kb_dir}; set KBCHAT_KB_DIR to the knowledge-base folder")
    existing = check_kb(kb_dir).entries
    problems = [f"{c.label()}: {p}" for c in citations for p in check_citation(c, need_doi=source == "doi")]
    problems += _duplicates(citations, existing)
    if problems:
        raise ImportProblem(_listing(problems))
    taken = {e.id for e in existing} | {p.stem for p in (kb_dir / FOLDER).glob("*.md")}
    drafts = []
    for citation in citations:
        new_id = entry_id or _free_id(_make_id(citation), taken)
        if new_id in taken:
            raise ImportProblem(f"--id {new_id!r} is already an entry of {kb_dir}; choose another id")
        taken.add(new_id)
        drafts.append(Draft(new_id, kb_dir / FOLDER / f"{new_id}.md", citation, render(new_id, citation)))
    _check_drafts(drafts, existing)
    return drafts


def write_drafts(drafts: list[Draft]) -> None:
    """Create every draft's file; each appears whole or not at all, and none replaces a file."""
    for draft in drafts:
        try:
            create_atomic(draft.path, draft.text)
        except FileExistsError as exc:
            raise ImportProblem(f"{draft.path} appeared while importing; nothing after it was written, "
                                "check it and import again") from exc


def import_file(kb_dir: Path, source: Source, path: Path, *, entry_id: str | None = None) -> list[Draft]:
    """Read, check and write: the whole `kbchat kb import` command."""
    drafts = plan_import(kb_dir, read_export(source, path), source=source, entry_id=entry_id)
    write_drafts(drafts)
    return drafts


def render(entry_id: str, c: Citation) -> str:
    """The draft's file: front matter in the KB's field order, then the body placeholder."""
    meta: dict[str, Any] = {"id": entry_id, "kind": "study", "title": c.title, "authors": c.authors,
                            "journal": c.journal, "year": c.year}
    meta |= {k: v for k, v in (("volume", c.volume), ("issue", c.issue), ("pages", c.pages), ("doi", c.doi),
                                ("pmid", c.pmid), ("pmcid", c.pmcid)) if v}
    meta |= {"design": guess_design(c.publication_types), "population": "", "topics": [], "status": "draft"}
    if c.abstract:
        meta["abstract"] = c.abstract
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return f"---\n{front}---\n\n{BODY_PLACEHOLDER}\n"


def guess_design(publication_types: list[str]) -> str:
    lowered = [t.lower() for t in publication_types]
    return next((design for hint, design in DESIGN_HINTS if hint in lowered), "other")


def _duplicates(citations: list[Citation], existing: list[Entry]) -> list[str]:
    """Same DOI (case-insensitive) or same PMID as an existing entry, or as an earlier record."""
    seen: dict[tuple[str, str], str] = {}
    for entry in existing:
        for key in ("doi", "pmid"):
            if entry.meta.get(key):
                seen[(key, str(entry.meta[key]).lower())] = f"the entry {entry.id!r} ({entry.path})"
    problems = []
    for c in citations:
        for key, value in (("doi", c.doi), ("pmid", c.pmid)):
            owner = seen.get((key, value.lower())) if value else None
            if owner:
                problems.append(f"{c.label()}: its {key.upper()} {value} is already in {owner}; "
                                "edit that entry instead of importing the paper again")
            elif value:
                seen[(key, value.lower())] = c.where
    return problems


def _make_id(c: Citation) -> str:
    """'garcia-romeu-2020-demographics': first author's family name, year, first telling title word."""
    family = "-".join(_slug(c.authors[0].split(",")[0]).split("-")[:3]) if c.authors else ""
    family = family or "entry"
    words = [w for w in _slug(c.title).split("-") if len(w) > 2 and w not in TITLE_SKIP and not w.isdigit()]
    return "-".join(p for p in (family, str(c.year or ""), words[0] if words else "") if p)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _free_id(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… when another entry already has it."""
    n, candidate = 2, base
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _check_drafts(drafts: list[Draft], existing: list[Entry]) -> None:
    """The drafts must pass `kbchat kb check` as they are, or the next publish would stop on them."""
    parsed, problems = [], []
    for draft in drafts:
        try:
            parsed.append(parse_text(draft.path, draft.text))
        except EntryParseError as exc:
            problems.append(str(exc.problem))
    paths = {d.path for d in drafts}
    problems += [str(p) for p in check_entries(existing + parsed) if p.path in paths]
    if problems:
        raise ImportProblem(_listing(problems))


def _listing(problems: list[str]) -> str:
    head = f"{len(problems)} problem(s); nothing was written:" if len(problems) > 1 else "nothing was written:"
    return "\n".join([head, *(f"  {p}" for p in problems)])
