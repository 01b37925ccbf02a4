"""A bibliographic record read from an editor's export (PubMed XML, CSL-JSON, RIS, BibTeX), checked
before it becomes a draft entry."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from kbchat.ingest.kb.validate import DOI_RE, EARLIEST_YEAR, PMID_RE

DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")
# Words a journal title keeps in lower case when NLM's sentence-case title is title-cased.
MINOR_WORDS = {"a", "an", "and", "as", "at", "by", "de", "for", "in", "of", "on", "or", "the", "to", "with"}


class ImportProblem(ValueError):
    """An export that cannot become a draft; the message names the record and what to do."""


@dataclass
class Citation:
    """One record, in the KB's terms: authors as 'Family, Given', the year as an int."""

    title: str = ""
    authors: list[str] = field(default_factory=list)
    journal: str = ""
    year: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    abstract: str = ""
    publication_types: list[str] = field(default_factory=list)  # words that hint at the design
    where: str = ""  # "FILE, record 2" for messages

    def label(self) -> str:
        title = self.title if len(self.title) <= 60 else self.title[:57] + "..."
        return f"{self.where} ({title!r})" if title else self.where


def clean_doi(raw: str) -> str:
    """'https://doi.org/10.1/X' or 'doi:10.1/X' → '10.1/X' (DOIs are case-insensitive; kept as given)."""
    doi = raw.strip()
    for prefix in DOI_PREFIXES:
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix):].strip()
    return doi


def clean_text(raw: str) -> str:
    """Collapse whitespace (exports wrap long titles and abstracts)."""
    return re.sub(r"\s+", " ", raw).strip()


def title_case_journal(title: str) -> str:
    """NLM writes 'Drug and alcohol dependence'; the KB writes 'Drug and Alcohol Dependence'."""
    words = title.split(" ")
    return " ".join(w if (i and w.lower() in MINOR_WORDS) or not w[:1].islower() else w[:1].upper() + w[1:]
                    for i, w in enumerate(words))


def first_year(text: str) -> int | None:
    """The first four-digit year in '2019 Nov-Dec', '2020/09/01/' or '2020'."""
    found = re.search(r"\b(1[89]\d\d|2\d\d\d)\b", text)
    return int(found.group(1)) if found else None


def check_citation(c: Citation, *, need_doi: bool = False) -> list[str]:
    """What is wrong with a record before it can be a draft (empty list: nothing)."""
    problems = []
    if not c.title:
        problems.append("it has no title")
    if not c.authors:
        problems.append("it has no authors")
    if not c.journal:
        problems.append("it has no journal (is it a book or a web page? write that entry by hand)")
    if c.year is None:
        problems.append("it has no publication year")
    elif not EARLIEST_YEAR <= c.year <= dt.date.today().year + 1:
        problems.append(f"its year {c.year} is not a plausible publication year")
    if c.doi and not DOI_RE.match(c.doi):
        problems.append(f"its DOI {c.doi!r} is not 10.<registrant>/<suffix>")
    if c.pmid and not PMID_RE.match(c.pmid):
        problems.append(f"its PMID {c.pmid!r} is not 1-9 digits")
    if need_doi and not c.doi:
        problems.append("it has no DOI (use `kbchat kb import pubmed` for a PubMed record)")
    elif not c.doi and not c.pmid:
        problems.append("it has neither a DOI nor a PMID, so a reader could not find it")
    return problems
