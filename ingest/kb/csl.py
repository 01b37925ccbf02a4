"""CSL-JSON (what doi.org returns for `Accept: application/vnd.citationstyles.csl+json`, and what
Zotero exports) → citations."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from kbchat.ingest.kb.citation import Citation, ImportProblem, clean_doi, clean_text

DATE_FIELDS = ("issued", "published-print", "published", "published-online", "created")


def read_csl(path: Path, text: str) -> list[Citation]:
    """One citation per item of a CSL-JSON list (or the single item of a CSL-JSON object)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportProblem(f"{path} is not valid JSON ({exc.msg} at line {exc.lineno}); "
                            "export it again as CSL-JSON") from exc
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(i, dict) for i in items):
        raise ImportProblem(f"{path} is JSON but not CSL-JSON (expected an object or a list of objects)")
    return [_citation(item, f"{path}, record {n}") for n, item in enumerate(items, 1)]


def _first(value: Any) -> str:
    """CSL allows a string or a list of strings for titles."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return clean_text(str(value)) if value is not None else ""


def _citation(item: dict[str, Any], where: str) -> Citation:
    return Citation(
        title=_first(item.get("title")),
        authors=[a for a in (_author(x) for x in item.get("author") or [] if isinstance(x, dict)) if a],
        journal=_first(item.get("container-title")),
        year=_year(item),
        volume=_first(item.get("volume")),
        issue=_first(item.get("issue")),
        pages=_first(item.get("page")).replace("--", "-"),
        doi=clean_doi(_first(item.get("DOI"))),
        pmid=_first(item.get("PMID")),
        pmcid=_first(item.get("PMCID")),
        abstract=_strip_markup(_first(item.get("abstract"))),
        publication_types=[_first(item.get("type"))],
        where=where,
    )


def _author(person: dict[str, Any]) -> str:
    if person.get("literal"):
        return clean_text(str(person["literal"]))
    family, given = clean_text(str(person.get("family", ""))), clean_text(str(person.get("given", "")))
    return f"{family}, {given}" if family and given else family


def _year(item: dict[str, Any]) -> int | None:
    for key in DATE_FIELDS:
        date = item.get(key)
        parts = date.get("date-parts") if isinstance(date, dict) else None
        if parts and parts[0] and str(parts[0][0]).isdigit():
            return int(parts[0][0])
    return None


def _strip_markup(text: str) -> str:
    """Crossref abstracts arrive as JATS XML (<jats:p>…): keep the words only."""
    return clean_text(html.unescape(re.sub(r"<[^>]+>", " ", text)))
