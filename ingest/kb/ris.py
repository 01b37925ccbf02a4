"""RIS (what doi.org returns for `Accept: application/x-research-info-systems`, and what reference
managers export) → citations."""

from __future__ import annotations

import re
from pathlib import Path

from kbchat.ingest.kb.citation import Citation, ImportProblem, clean_doi, clean_text, first_year

TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
JOURNAL_TAGS = ("JF", "T2", "JO", "JA")  # full title first; T2 is the journal for TY JOUR


def looks_like_ris(text: str) -> bool:
    return any(line.startswith("TY  -") for line in text.splitlines())


def read_ris(path: Path, text: str) -> list[Citation]:
    records = _records(path, text)
    if not records:
        raise ImportProblem(f"{path} has no RIS record (a record starts with 'TY  - ' and ends with 'ER  - ')")
    return [_citation(r, f"{path}, record {n}") for n, r in enumerate(records, 1)]


def _records(path: Path, text: str) -> list[dict[str, list[str]]]:
    records: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] | None = None
    last = ""
    for n, line in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        match = TAG.match(line.rstrip())
        if match:
            last, value = match.group(1), (match.group(2) or "").strip()
            if last == "TY":
                current = {}
                records.append(current)
            if current is None:
                raise ImportProblem(f"{path}:{n}: tag {last} comes before the first 'TY  - ' line")
            if last == "ER":
                current = None
                continue
            current.setdefault(last, []).append(value)
        elif line.strip() and current is not None and last:  # a wrapped value continues the last tag
            current[last][-1] += " " + line.strip()
    if current is not None:
        raise ImportProblem(f"{path}: the last record has no 'ER  - ' line; is the file truncated?")
    return records


def _one(record: dict[str, list[str]], *tags: str) -> str:
    return next((clean_text(record[t][0]) for t in tags if record.get(t) and record[t][0].strip()), "")


def _citation(record: dict[str, list[str]], where: str) -> Citation:
    start, end = _one(record, "SP"), _one(record, "EP")
    doi = _one(record, "DO")
    if not doi:
        doi = next((u for u in record.get("UR", []) if "doi.org/" in u), "")
    return Citation(
        title=_one(record, "TI", "T1"),
        authors=[clean_text(a) for a in record.get("AU", []) + record.get("A1", []) if a.strip()],
        journal=_one(record, *JOURNAL_TAGS),
        year=first_year(_one(record, "PY", "Y1", "DA")),
        volume=_one(record, "VL"),
        issue=_one(record, "IS"),
        pages=f"{start}-{end}" if start and end and start != end else start,
        doi=clean_doi(doi),
        abstract=_one(record, "AB", "N2"),
        publication_types=[_one(record, "TY")],
        where=where,
    )
